"""Escalation (升级): the one path every escalation takes, manual or automatic.

It moves the complaint through a real transition of its active Workflow (so role limits and
conditions apply), and the Complaint controller records the history row and assigns the
next tier. Which workflow state means which tier is read from the Workflow itself (a state
whose "update field" is current_tier), so an admin may rename states or add transitions.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.model.workflow import (
	get_transitions,
	get_workflow,
	get_workflow_name,
	is_transition_condition_satisfied,
)

from kesu_app.permissions import may_read
from kesu_app.rules.tiers import (
	MANUAL,
	NOT_SATISFIED,
	REASON_TYPES,
	TIER_ROLES,
	choose_assignees,
	target_tier,
	tier_rank,
)
from kesu_app.system import acting_user, as_system

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
	target = target_tier(doc.current_tier, doc.severity, reason_type)
	if not target:
		frappe.throw(_("This complaint is already at the highest tier."), title=_("Escalate"))
	doc.flags.escalation = frappe._dict(reason_type=reason_type, reason=reason.strip())
	with as_system(system):
		if get_workflow_name(doc.doctype):
			_apply_escalation_transition(doc, target)
		else:
			# no active workflow: the tier moves directly, and is logged the same way
			doc.current_tier = target
			doc.flags.server_write = True
			save(doc)
	return doc


def can_escalate(doc, reason_type: str, system: bool = True) -> bool:
	"""Whether ``escalate`` would find a higher tier and a transition to reach it."""
	if not target_tier(doc.current_tier, doc.severity, reason_type):
		return False
	if not get_workflow_name(doc.doctype):
		return True
	with as_system(system):
		return bool(escalation_transitions(doc))


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
	state = escalation_state(doc, workflow, target)
	if not state:
		frappe.throw(
			_("The workflow allows you no escalation from state {0}.").format(
				frappe.bold(_(doc.workflow_state, context=doc.doctype))
			),
			title=_("Escalate"),
		)
	apply_transition(doc, workflow, state.state)


def escalation_state(doc, workflow, target: str):
	"""The workflow state an escalation towards ``target`` moves to: the exact tier if a
	transition the session user may apply reaches it, else the highest one allowed."""
	tiers = state_tiers(workflow)
	candidates = escalation_transitions(doc)
	if not candidates:
		return None
	candidates.sort(key=lambda t: (tiers[t.next_state] == target, tier_rank(tiers[t.next_state])))
	return next(s for s in workflow.states if s.state == candidates[-1].next_state)


def apply_transition(doc, workflow, next_state: str):
	"""Move ``doc`` to ``next_state`` as Frappe's apply_workflow does (state, its update
	field, save, comment), but keeping what the caller set on the document in memory, which
	apply_workflow would reload from the database. validate_workflow still checks that the
	session user may make the transition."""
	state = next(s for s in workflow.states if s.state == next_state)
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
	"""The Complaint Escalation row of a tier rise: from where, to where, why, by whom."""
	return {
		"from_tier": before.current_tier,
		"to_tier": doc.current_tier,
		"reason_type": escalation.reason_type,
		"reason": escalation.reason,
		"escalated_by": acting_user(),
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


def assign_to_tier(doc, users: list[str], reason: str):
	"""A ToDo (and Frappe's assignment notification) for each person of the new tier."""
	if not users:
		return
	add_assignment(
		{"doctype": doc.doctype, "name": doc.name, "assign_to": users, **assignment(doc, reason)},
		ignore_permissions=True,
	)


def assignment(doc, reason: str) -> dict:
	"""What the next tier's ToDo says, and how urgent it is."""
	return {
		"description": _("Escalated to {0}: {1}").format(_(doc.current_tier, context=doc.doctype), reason),
		"priority": todo_priority(doc),
	}


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
