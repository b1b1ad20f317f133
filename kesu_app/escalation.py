"""Escalation (升级): the one path every escalation takes, manual or automatic.

It moves the complaint through a real transition of its active Workflow (so role limits and
conditions apply), and the Complaint controller records the history row and assigns the
next tier. Which workflow state means which tier is read from the Workflow itself (a state
whose "update field" is current_tier), so an admin may rename states or add transitions.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.workflow import (
	get_transitions,
	get_workflow,
	get_workflow_name,
	is_transition_condition_satisfied,
)

from kesu_app.permissions import may_read
from kesu_app.rules.tiers import (
	MANAGEMENT,
	MANUAL,
	NOT_SATISFIED,
	REASON_TYPES,
	TIER_ROLES,
	choose_assignees,
	first_held_tier,
	target_tier,
	tier_rank,
)
from kesu_app.system import as_system, triggered_by

TIER_FIELD = "current_tier"
# the desk asks for the reason before Frappe's apply_workflow runs (which reloads the document
# from the database), so the reason waits here, for this user and complaint, for a few minutes
PENDING_KEY = "kesu_app:pending_escalation"
PENDING_SECONDS = 600


def escalate(doc, reason_type: str, reason: str, system: bool = False):
	"""Raise ``doc`` to the tier ``reason_type`` calls for and save it.

	``system`` escalations (by severity at intake, by an overdue stage) are the app's own step
	(kesu_app.system), so they do not depend on the roles of whoever saved last.
	"""
	if reason_type not in REASON_TYPES:
		frappe.throw(_("Unknown escalation reason: {0}").format(reason_type))
	if not (reason or "").strip():
		frappe.throw(_("Give a reason for the escalation."), title=_("Escalate"))
	target = target_for(doc, reason_type)
	if not target:
		frappe.throw(_("This complaint is already at the highest tier."), title=_("Escalate"))
	doc.flags.escalation = frappe._dict(reason_type=reason_type, reason=reason.strip(), automatic=system)
	with as_system(system):
		if get_workflow_name(doc.doctype):
			_apply_escalation_transition(doc, target)
		else:
			# no active workflow: the tier moves directly (past tiers nobody holds), logged the same way
			doc.current_tier, doc.flags.escalation.passed = first_held_tier(
				target, Assignees([doc]).holds(doc)
			)
			doc.flags.server_write = True
			save(doc)
	return doc


def can_escalate(doc, reason_type: str, system: bool = True) -> bool:
	"""Whether ``escalate`` would find a higher tier and a transition to reach it."""
	if not target_for(doc, reason_type):
		return False
	if not get_workflow_name(doc.doctype):
		return True
	with as_system(system):
		return bool(escalation_transitions(doc))


def third_party_tier() -> str:
	"""The tier third parties' cases go to (Kesu Settings)."""
	return frappe.get_cached_doc("Kesu Settings").third_party_tier or MANAGEMENT


def target_for(doc, reason_type: str) -> str | None:
	"""The tier an escalation for this reason should reach (rules.tiers.target_tier), with the
	third parties' tier from Kesu Settings."""
	return target_tier(doc.current_tier, doc.severity, reason_type, third_party_tier())


def escalation_transitions(doc) -> list[dict]:
	"""Transitions the session user (or, in a system step, the app) may apply now that raise the
	complaint's tier."""
	if not get_workflow_name(doc.doctype) or doc.is_new():
		return []
	workflow = get_workflow(doc.doctype)
	tiers = state_tiers(workflow)
	return [t for t in transitions_now(doc, workflow) if raises_tier(doc, t, tiers)]


def transitions_now(doc, workflow) -> list:
	"""The transitions open now: the session user's (Frappe's get_transitions), or in the app's
	own step every transition from the current state whose condition holds."""
	if not frappe.flags.kesu_system_step:
		return get_transitions(doc, workflow)
	return system_transitions(doc, workflow)


def system_transitions(doc, workflow, state: str | None = None) -> list:
	current = state or doc.get(workflow.workflow_state_field) or workflow.states[0].state
	return [
		t for t in workflow.transitions if t.state == current and is_transition_condition_satisfied(t, doc)
	]


def raises_tier(doc, transition, tiers: dict[str, str]) -> bool:
	"""Whether ``transition`` leads to a state of a higher tier than the complaint's."""
	next_tier = tiers.get(transition.next_state)
	return bool(next_tier) and tier_rank(next_tier) > tier_rank(doc.get(TIER_FIELD))


def state_tiers(workflow) -> dict[str, str]:
	return {
		s.state: s.update_value for s in workflow.states if s.update_field == TIER_FIELD and s.update_value
	}


def _apply_escalation_transition(doc, target: str):
	workflow = get_workflow(doc.doctype)
	state, passed = escalation_state(doc, workflow, target)
	if not state:
		frappe.throw(
			_("The workflow allows you no escalation from state {0}.").format(
				frappe.bold(_(doc.workflow_state, context=doc.doctype))
			),
			title=_("Escalate"),
		)
	doc.flags.escalation.passed = passed
	# past a tier nobody holds, the app takes the workflow's next steps itself: nobody could
	with as_system(bool(passed) or bool(frappe.flags.kesu_system_step)):
		apply_transition(doc, workflow, state.state)


def escalation_state(doc, workflow, target: str, assignees: Assignees | None = None):
	"""The workflow state an escalation towards ``target`` moves to, and the tiers it passes
	over because nobody holds them (for this complaint's branch): the first held tier from
	``target`` up, if the workflow's escalation transitions lead there from one the session user
	may apply (in the app's own step, along further escalations too); else the exact tier if such a
	transition reaches it, else the highest one allowed."""
	tiers = state_tiers(workflow)
	candidates = escalation_transitions(doc)
	if not candidates:
		return None, []
	wanted, passed = first_held_tier(target, (assignees or Assignees([doc])).holds(doc))
	# the app's own step goes on along the workflow's escalations to the tier it is after (a third
	# party's case to management, past the supervisor); a person's escalation takes one of theirs
	direct = any(tiers[t.next_state] == wanted for t in candidates)
	if passed or (frappe.flags.kesu_system_step and not direct):
		reach = escalation_reach(doc, workflow, [t.next_state for t in candidates], tiers)
		state = next((name for name in reach if tiers[name] == wanted), None)
		if state:
			return state_named(workflow, state), passed
	candidates.sort(key=lambda t: (tiers[t.next_state] == target, tier_rank(tiers[t.next_state])))
	return state_named(workflow, candidates[-1].next_state), []


def state_named(workflow, name: str | None):
	"""The workflow's state row of that name, or None."""
	return next((s for s in workflow.states if s.state == name), None)


def state_of(doc, workflow):
	"""The state row ``doc`` stands in: its workflow state, or the first state before it has one."""
	return state_named(workflow, doc.get(workflow.workflow_state_field) or workflow.states[0].state)


def escalation_reach(doc, workflow, starts: list[str], tiers: dict[str, str]) -> list[str]:
	"""The escalation states reached from ``starts`` by further transitions that each raise the
	tier and whose condition holds, nearest first."""
	reached, queue = list(dict.fromkeys(starts)), list(dict.fromkeys(starts))
	while queue:
		state = queue.pop(0)
		for t in workflow.transitions:
			if (
				t.state == state
				and t.next_state in tiers
				and t.next_state not in reached
				and tier_rank(tiers[t.next_state]) > tier_rank(tiers[state])
				and is_transition_condition_satisfied(t, doc)
			):
				reached.append(t.next_state)
				queue.append(t.next_state)
	return reached


def system_may_reach(doc, workflow, current: str, target: str) -> bool:
	"""Whether the app's own step may move ``doc`` from ``current`` to ``target``: by one
	transition whose condition holds, or along escalation transitions past tiers nobody holds."""
	direct = [t.next_state for t in system_transitions(doc, workflow, current)]
	if target in direct:
		return True
	tiers = state_tiers(workflow)
	return target in escalation_reach(doc, workflow, [s for s in direct if s in tiers], tiers)


def apply_transition(doc, workflow, next_state: str):
	"""Move ``doc`` to ``next_state`` as Frappe's apply_workflow does (state, its update
	field, save, comment), but keeping what the caller set on the document in memory, which
	apply_workflow would reload from the database. validate_workflow still checks that the
	session user may make the transition."""
	state = state_named(workflow, next_state)
	set_state(doc, workflow, state)
	save(doc)
	doc.add_comment("Workflow", _(state.state))


def save(doc):
	"""Save as the session user, or in the app's own step with the app's rights."""
	previous = doc.flags.ignore_permissions
	if frappe.flags.kesu_system_step:
		doc.flags.ignore_permissions = True
	try:
		doc.save()
	finally:
		doc.flags.ignore_permissions = previous


def set_state(doc, workflow, state):
	doc.set(workflow.workflow_state_field, state.state)
	if state.update_field:
		doc.set(state.update_field, state.update_value)


def history_row(doc, before, escalation, assignees: list[str], now) -> dict:
	"""The Complaint Escalation row of a tier rise: from where, to where, why, by whom (the user
	whose save or action caused it; marked Automatic when it was the app's own rule)."""
	return {
		"from_tier": before.current_tier,
		"to_tier": doc.current_tier,
		"reason_type": escalation.reason_type,
		"reason": escalation.reason,
		"automatic": int(bool(escalation.automatic)),
		"passed_tiers": ", ".join(escalation.passed or []),
		"escalated_by": triggered_by(),
		"escalated_at": now,
		"assigned_to": ", ".join(assignees),
		"from_state": before.get("workflow_state"),
		"to_state": doc.get("workflow_state"),
	}


def find_assignees(doc, tier: str) -> list[str]:
	return Assignees([doc]).find(doc, tier)


class Assignees:
	"""Who works a tier of each complaint (see choose_assignees), with the lookups made once
	for all the complaints given, so a batch of them costs three queries, not three each."""

	def __init__(self, docs):
		handlers = sorted({doc.handler for doc in docs if doc.handler})
		departments = sorted({doc.handling_department or doc.department for doc in docs} - {None, ""})
		self.reports_to = self._managers_of(handlers) if handlers else {}
		self.heads = (
			dict(
				frappe.get_all(
					"Department",
					filters={"name": ("in", departments)},
					fields=["name", "kesu_complaint_manager"],
					as_list=True,
				)
			)
			if departments
			else {}
		)
		self.holders = {}

	@staticmethod
	def _managers_of(users: list[str]) -> dict[str, str]:
		employee, manager = frappe.qb.DocType("Employee"), frappe.qb.DocType("Employee").as_("manager")
		rows = (
			frappe.qb.from_(employee)
			.join(manager)
			.on(manager.name == employee.reports_to)
			.select(employee.user_id, manager.user_id)
			.where(employee.user_id.isin(users) & (employee.status == "Active"))
			.run()
		)
		return {user: manager_user for user, manager_user in rows if manager_user}

	def holds(self, doc):
		"""``is_held(tier)``: whether someone works ``tier`` for ``doc``."""
		return lambda tier: bool(self.find(doc, tier))

	def find(self, doc, tier: str) -> list[str]:
		role = TIER_ROLES[tier]
		if role not in self.holders:
			self.holders[role] = role_holders(role)
		# only people who may read this complaint (another branch's supervisor may not): the app
		# never shares a complaint to put it before someone its permissions keep it from
		holders = {user for user in self.holders[role] if may_read(user, doc)}
		department = doc.handling_department or doc.department
		return choose_assignees(
			self.reports_to.get(doc.handler) if doc.handler else None,
			self.heads.get(department) if department else None,
			sorted(holders),
			holders.__contains__,
		)

	def current_handlers(self, doc) -> list[str]:
		"""Who works the case now: its handler, else whoever its tier's rule names."""
		if doc.handler and may_read(doc.handler, doc):
			return [doc.handler]
		return self.find(doc, doc.current_tier)


def role_holders(role: str) -> set[str]:
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	return set(
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.where(
			(has_role.role == role)
			& (has_role.parenttype == "User")
			& (user.enabled == 1)
			& (user.name.notin(["Administrator", "Guest"]))
		)
		.run(pluck=True)
	)


def assignment(doc, escalation) -> dict:
	"""What the next tier's ToDo says (why, whether the app's own rule raised it, which empty
	tiers it passed over), and how urgent it is."""
	tier = _(doc.current_tier, context=doc.doctype)
	if escalation.automatic:
		text = _("Escalated automatically to {0}: {1}").format(tier, escalation.reason)
	else:
		text = _("Escalated to {0}: {1}").format(tier, escalation.reason)
	if escalation.passed:
		passed = ", ".join(_(t, context=doc.doctype) for t in escalation.passed)
		text += " " + _("(passed over {0}: nobody holds it)").format(passed)
	return {"description": text, "priority": todo_priority(doc)}


def todo_priority(doc) -> str:
	"""An urgent case's ToDos come first on everyone's list."""
	return "High" if doc.severity == "Urgent" else "Medium"


@frappe.whitelist()
def set_pending_escalation(name: str, reason: str, reason_type: str = MANUAL):
	"""Called by the form when the user picks an escalating workflow action."""
	doc = frappe.get_doc("Complaint", name)
	doc.check_permission("write")
	_check_manual(reason, reason_type)
	frappe.cache.set_value(
		_pending_key(name),
		{"reason_type": reason_type, "reason": reason.strip()},
		expires_in_sec=PENDING_SECONDS,
	)


def pop_pending_escalation(name: str):
	key = _pending_key(name)
	value = frappe.cache.get_value(key)
	if value:
		frappe.cache.delete_value(key)
		return frappe._dict(value)
	return None


def _pending_key(name: str) -> str:
	return f"{PENDING_KEY}:{frappe.session.user}:{name}"


def _check_manual(reason: str, reason_type: str):
	if reason_type not in (MANUAL, NOT_SATISFIED):
		frappe.throw(_("A manual escalation is either Manual or Customer Not Satisfied."))
	if not (reason or "").strip():
		frappe.throw(_("Give a reason for the escalation."), title=_("Escalate"))


@frappe.whitelist()
def escalate_complaint(name: str, reason: str, reason_type: str = MANUAL):
	"""The desk's Escalate action: asks for a reason, then the same path as automatic ones."""
	doc = frappe.get_doc("Complaint", name)
	doc.check_permission("write")
	_check_manual(reason, reason_type)
	escalate(doc, reason_type, reason)
	return doc.name


@frappe.whitelist()
def get_escalation_actions(name: str) -> list[str]:
	doc = frappe.get_doc("Complaint", name)
	doc.check_permission("read")
	return sorted({t.action for t in escalation_transitions(doc)})
