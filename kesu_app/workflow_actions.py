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
)

from kesu_app.escalation import apply_transition, raises_tier, state_tiers
from kesu_app.rules.conditions import fields_awaited

UNDECIDED = ("", "Undetermined")
# what a step into a state of this status asks besides its condition: whether the complaint was
# substantiated (the reports count it), how the customer was told the result
ASKED_ON_STATUS = {"Closed": "substantiated", "Awaiting Feedback": "result_given_via"}


def waiting_actions(doc) -> list[dict]:
	"""Actions the session user may take from this state once some fields are filled in. Closing
	also waits for the verdict on whether the complaint was substantiated, which the reports
	count."""
	if doc.is_new() or not get_workflow_name(doc.doctype):
		return []
	workflow = get_workflow(doc.doctype)
	roles = set(frappe.get_roles())
	state = doc.get(workflow.workflow_state_field)
	tiers = state_tiers(workflow)
	asked_on = {
		s.state: ASKED_ON_STATUS[s.update_value]
		for s in workflow.states
		if s.update_field == "status" and s.update_value in ASKED_ON_STATUS
	}
	waiting = {}
	for transition in workflow.transitions:
		if transition.state != state or transition.allowed not in roles or transition.action in waiting:
			continue
		if raises_tier(doc, transition, tiers):
			continue  # an escalation asks for its reason its own way
		fields = fields_awaited(transition.condition)
		if fields is None and transition.condition:
			continue  # a condition of another kind: the workflow decides
		fields = list(fields or [])
		if asked_on.get(transition.next_state):
			fields.append(asked_on[transition.next_state])
		# only what is missing: what the case holds already is not asked again
		missing = [field for field in fields if doc.meta.get_field(field) and not is_given(doc, field)]
		if missing:
			waiting[transition.action] = {
				"action": transition.action,
				"fields": [field_to_ask(doc, field) for field in missing],
			}
	return list(waiting.values())


def is_given(doc, field: str) -> bool:
	value = doc.get(field)
	if field == "substantiated":
		return (value or "") not in UNDECIDED
	return bool(value.strip() if isinstance(value, str) else value)


def field_to_ask(doc, field: str) -> dict:
	df = doc.meta.get_field(field)
	asked = {
		"fieldname": field,
		"label": _(df.label, context=doc.doctype),
		"fieldtype": df.fieldtype,
		"default": doc.get(field),
	}
	if df.fieldtype == "Select":
		asked["options"] = [
			{"value": option, "label": _(option, context=doc.doctype)}
			for option in (df.options or "").split("\n")
			if option not in UNDECIDED
		]
		if asked["default"] in UNDECIDED:
			asked["default"] = doc.suggested_result_via() if field == "result_given_via" else None
	return asked


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
		# what the user typed, else the value the dialog offers them (how a result is usually
		# given to a customer of this channel)
		value = (values.get(field["fieldname"]) or field.get("default") or "").strip()
		if value in UNDECIDED or (
			field.get("options") and value not in [o["value"] for o in field["options"]]
		):
			frappe.throw(_("Fill in {0}.").format(frappe.bold(field["label"])), title=_(action))
		doc.set(field["fieldname"], value)
	# Frappe checks a transition against the document as it was saved: the fields first (the
	# only ones this user may change in this state, see Complaint.check_state_editing)
	doc.flags.awaited_fields = [field["fieldname"] for field in waiting[action]["fields"]]
	doc.save()
	doc.flags.awaited_fields = None
	workflow = get_workflow(doc.doctype)
	transition = next((t for t in get_transitions(doc, workflow) if t.action == action), None)
	if not transition:
		frappe.throw(_("{0} is not an action you can take on this complaint now.").format(_(action)))
	apply_transition(doc, workflow, transition.next_state)
	return doc.get(workflow.workflow_state_field)
