import frappe

from kesu_app.install import load_workflow_definition

TRANSITION = {"state": "Resolved", "action": "Customer Not Satisfied", "next_state": "Reopened"}


def execute():
	"""Sites that have the default workflow get its new transition: a resolved complaint whose
	customer is not satisfied is reopened. A workflow the admin replaced is left alone."""
	if not frappe.db.exists("Workflow", "Complaint Escalation"):
		return
	workflow = frappe.get_doc("Workflow", "Complaint Escalation")
	states = {row.state for row in workflow.states}
	if not {TRANSITION["state"], TRANSITION["next_state"]} <= states:
		return
	if any(all(row.get(k) == v for k, v in TRANSITION.items()) for row in workflow.transitions):
		return
	shipped = next(
		t
		for t in load_workflow_definition()["workflow"]["transitions"]
		if all(t.get(k) == v for k, v in TRANSITION.items())
	)
	workflow.append("transitions", shipped)
	workflow.save(ignore_permissions=True)
