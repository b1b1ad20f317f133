"""Who acts next (下一步): each step of a complaint is on the to-do list of whoever must take it.

The next step is read from the active Workflow (rules.workflow_paths.next_steps): the actions
that move the case forward from its state, and the role allowed each. The person is the one
who already works the case when they hold that role (its handler, then whoever received it),
else the tier's people for a tier role, else everyone with the role who may read the case.
Their ToDo is opened and the others' closed, so a case is never on the list of someone who has
nothing left to do on it, nor missing from the list of the one who has.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.desk.form.assign_to import set_status as set_assignment_status
from frappe.model.workflow import get_workflow, get_workflow_name

from kesu_app.escalation import Assignees, role_holders, todo_priority
from kesu_app.permissions import may_read
from kesu_app.rules.tiers import TIER_ROLES
from kesu_app.rules.workflow_paths import next_steps

TIER_OF_ROLE = {role: tier for tier, role in TIER_ROLES.items()}


# (workflow, its last change, state) -> next steps: read on every save that moves a case
_STEPS: dict[tuple, list[tuple[str, str]]] = {}
STATE_KEYS, TRANSITION_KEYS = (
	("state", "update_field", "update_value"),
	("state", "action", "allowed", "next_state"),
)


def steps_now(doc) -> list[tuple[str, str]]:
	"""The (action, role) pairs that move ``doc`` forward from its workflow state."""
	if not get_workflow_name(doc.doctype):
		return []
	workflow = get_workflow(doc.doctype)
	state = doc.get(workflow.workflow_state_field)
	key = (workflow.name, str(workflow.modified), state)
	if key not in _STEPS:
		states = [{k: row.get(k) for k in STATE_KEYS} for row in workflow.states]
		transitions = [{k: row.get(k) for k in TRANSITION_KEYS} for row in workflow.transitions]
		_STEPS[key] = next_steps(states, transitions, state)
	return _STEPS[key]


def people_for(doc, role: str, on_the_case_only: bool = False) -> list[str]:
	"""Who takes a step allowed to ``role``: whoever works the case already, if they may; else
	(unless ``on_the_case_only``) the tier's people, or everyone with the role."""
	for user in dict.fromkeys((doc.handler, doc.received_by, doc.owner)):
		if user and holds_role(user, role) and may_read(user, doc):
			return [user]
	if on_the_case_only:
		return []
	tier = TIER_OF_ROLE.get(role)
	if tier:
		return Assignees([doc]).find(doc, tier)
	return sorted(user for user in role_holders(role) if may_read(user, doc))


def holds_role(user: str, role: str) -> bool:
	"""From Frappe's cached roles: asked on every save that moves a case, it costs no query."""
	if user in ("Administrator", "Guest") or not frappe.get_cached_value("User", user, "enabled"):
		return False
	return role in frappe.get_roles(user)


def next_people(doc, on_the_case_only: bool = False) -> tuple[list[tuple[str, str]], list[str]]:
	steps = steps_now(doc)
	people = []
	for _action, role in steps:
		people += [user for user in people_for(doc, role, on_the_case_only) if user not in people]
	return steps, people


def hand_over(
	doc, people: list[str] | None = None, description: str | None = None, on_the_case_only: bool = False
):
	"""Put the next step on its people's lists and take it off everyone else's. ``people`` (and
	the ToDo's ``description``) when the caller chose them already, as an escalation does."""
	steps = None
	if people is None:
		steps, people = next_people(doc, on_the_case_only)
	if not people:
		return  # nobody to hand over to: whoever has it keeps it (see unheld tiers)
	todos = open_todos(doc)
	close_todos(doc, [todo for todo in todos if todo.allocated_to not in people])
	have = {todo.allocated_to for todo in todos}
	new = [user for user in people if user not in have]
	if not new:
		return
	if description is None:
		description = _("Next: {0}").format(", ".join(_(action) for action, _role in steps))
	add_assignment(
		{
			"doctype": doc.doctype,
			"name": doc.name,
			"assign_to": new,
			"description": description,
			"priority": todo_priority(doc),
		},
		ignore_permissions=True,
	)


def open_todos(doc) -> list:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": doc.doctype, "reference_name": doc.name, "status": "Open"},
		fields=["name", "allocated_to"],
		order_by="creation",
	)


def close_todos(doc, todos: list):
	"""Frappe's own way (its comment and notification), only for ToDos still open: a closed one
	is not notified twice."""
	for todo in todos:
		set_assignment_status(
			doc.doctype,
			doc.name,
			todo=todo.name,
			assign_to=todo.allocated_to,
			status="Closed",
			ignore_permissions=True,
		)


def next_step_summary(doc) -> dict | None:
	"""What the form says in one line: the next actions, the roles allowed them, and the people
	whose list the case is on."""
	steps = steps_now(doc)
	if not steps:
		return None
	people = [todo.allocated_to for todo in open_todos(doc)]
	return {
		"actions": list(dict.fromkeys(action for action, _role in steps)),
		"roles": list(dict.fromkeys(role for _action, role in steps)),
		"people": [{"user": user, "name": frappe.utils.get_fullname(user)} for user in people],
	}


@frappe.whitelist()
def get_form_guidance(name: str) -> dict:
	"""What the form shows above a complaint, fresh after each action (a workflow action answers
	with the document alone): the next step, and whether Finish Intake is offered."""
	doc = frappe.get_doc("Complaint", name)
	doc.check_permission("read")
	return {"next_step": next_step_summary(doc), "may_finish_intake": doc.may_finish_intake()}
