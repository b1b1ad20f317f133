"""Workflow actions that wait for a field: offered in the desk, with the field asked for.

Frappe hides a transition until its condition holds, so "Reject" stays out of sight until
someone fills in the reason, and a supervisor looking at a new case cannot fill it in at all
(the workflow lets only the front desk edit in that state). The form offers each action the
user's roles allow from this state whose condition only waits for fields, asks for them, saves
them, and then makes the transition, checked by Frappe's own transition rules.
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

from kesu_app.escalation import apply_transition, raises_tier, state_tiers
from kesu_app.rules.conditions import fields_awaited


def waiting_actions(doc) -> list[dict]:
	"""Actions the session user may take from this state once some fields are filled in."""
	if doc.is_new() or not get_workflow_name(doc.doctype):
		return []
	workflow = get_workflow(doc.doctype)
	roles = set(frappe.get_roles())
	state = doc.get(workflow.workflow_state_field)
	tiers = state_tiers(workflow)
	waiting = {}
	for transition in workflow.transitions:
		if transition.state != state or transition.allowed not in roles or transition.action in waiting:
			continue
		if raises_tier(doc, transition, tiers):
			continue  # an escalation asks for its reason its own way
		fields = fields_awaited(transition.condition)
		if not fields or is_transition_condition_satisfied(transition, doc):
			continue
		waiting[transition.action] = {
			"action": transition.action,
			"fields": [
				{
					"fieldname": field,
					"label": _(doc.meta.get_label(field), context=doc.doctype),
					"fieldtype": doc.meta.get_field(field).fieldtype,
					"default": doc.get(field),
				}
				for field in fields
				if doc.meta.get_field(field)
			],
		}
	return [action for action in waiting.values() if action["fields"]]


@frappe.whitelist()
def get_waiting_actions(name: str) -> list[dict]:
	doc = frappe.get_doc("Complaint", name)
	doc.check_permission("read")
	return waiting_actions(doc)


@frappe.whitelist()
def apply_waiting_action(name: str, action: str, values: str | dict) -> str:
	"""Fill in what ``action`` waits for, then take it. Returns the new workflow state."""
	doc = frappe.get_doc("Complaint", name)
	doc.check_permission("write")
	waiting = {a["action"]: a for a in waiting_actions(doc)}
	if action not in waiting:
		frappe.throw(_("{0} is not an action you can take on this complaint now.").format(_(action)))
	values = frappe.parse_json(values) or {}
	for field in waiting[action]["fields"]:
		value = (values.get(field["fieldname"]) or "").strip()
		if not value:
			frappe.throw(_("Fill in {0}.").format(frappe.bold(field["label"])), title=_(action))
		doc.set(field["fieldname"], value)
	# Frappe checks a transition against the document as it was saved: the fields first
	doc.save()
	workflow = get_workflow(doc.doctype)
	transition = next((t for t in get_transitions(doc, workflow) if t.action == action), None)
	if not transition:
		frappe.throw(_("{0} is not an action you can take on this complaint now.").format(_(action)))
	apply_transition(doc, workflow, transition.next_state)
	return doc.get(workflow.workflow_state_field)
