"""The escalation Workflow in a real site: every role against every transition, escalation
history and assignment, branch isolation, field-level privacy, and a case walked to closed."""

from __future__ import annotations

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.model.workflow import apply_workflow  # noqa: E402
from frappe.permissions import add_user_permission  # noqa: E402

from kesu_app.compat import set_in_test  # noqa: E402
from kesu_app.escalation import escalate_complaint, pop_pending_escalation, set_pending_escalation  # noqa: E402
from kesu_app.install import load_workflow_definition  # noqa: E402
from kesu_app.workflow_actions import apply_waiting_action, waiting_actions  # noqa: E402
from tests.integration.factories import (  # noqa: E402
	AGENT,
	DEPT_MANAGER,
	DIRECTOR,
	SUPERVISOR,
	complaint,
	make_linked_employee,
	make_user,
)

DEFINITION = load_workflow_definition()["workflow"]
TIER_OF_STATE = {
	s["state"]: s["update_value"] for s in DEFINITION["states"] if s["update_field"] == "current_tier"
}
STATUS_OF_STATE = {
	s["state"]: s["update_value"] for s in DEFINITION["states"] if s["update_field"] == "status"
}
ROLES = ("Complaint Agent", "Complaint Supervisor", "Complaint Department Manager", "Complaint Management")


def new_complaint(masters, **values) -> str:
	doc = frappe.get_doc(complaint(masters, received_at=frappe.utils.add_to_date(None, hours=-3), **values))
	doc.insert()
	return doc.name


def put_in_state(name: str, state: str):
	"""Place a complaint in a state with every field the transitions' conditions ask for."""
	frappe.db.set_value(
		"Complaint",
		name,
		{
			"workflow_state": state,
			"current_tier": TIER_OF_STATE.get(state, "Front Desk"),
			"status": STATUS_OF_STATE.get(state, "Escalated"),
			"severity": "Urgent",
			"findings": "Swelling within the normal range; aftercare explained badly.",
			"resolution_summary": "Free follow-up visit and a written aftercare guide.",
			"customer_feedback": "Accepted on the phone.",
			"rejection_reason": "Treatment record shows the agreed result.",
			"substantiated": "Substantiated",
			# a substantiated case is resolved only with its cause and who answers for it
			"root_cause": "Communication",
			"responsibility": "No One at Fault",
			"no_fault_reason": "A known reaction, explained in the consent form.",
		},
		update_modified=False,
	)


def is_escalation(transition) -> bool:
	return transition["next_state"] in TIER_OF_STATE and (
		TIER_OF_STATE[transition["next_state"]] != TIER_OF_STATE.get(transition["state"])
	)


def attempt(user: str, name: str, transition) -> Exception | None:
	frappe.set_user(user)
	try:
		if is_escalation(transition):
			set_pending_escalation(name, "Needs a higher tier", "Manual")
		apply_workflow(frappe.get_doc("Complaint", name).as_dict(), transition["action"])
		return None
	except frappe.ValidationError as e:
		return e
	finally:
		pop_pending_escalation(name)
		frappe.set_user("Administrator")
		frappe.clear_messages()


@pytest.mark.parametrize(
	"transition", DEFINITION["transitions"], ids=lambda t: f"{t['state']}--{t['action']}"
)
def test_each_role_against_each_transition(masters, calendar, transition):
	name = new_complaint(masters)
	for role in ROLES:
		put_in_state(name, transition["state"])
		before = frappe.db.get_value("Complaint", name, ["workflow_state", "modified"], as_dict=True)
		error = attempt(masters["users"][role], name, transition)
		after = frappe.db.get_value("Complaint", name, ["workflow_state", "modified"], as_dict=True)
		if role == transition["allowed"]:
			assert error is None, f"{role} should {transition['action']}: {error}"
			assert after.workflow_state == transition["next_state"]
		else:
			assert error is not None, f"{role} must not {transition['action']} from {transition['state']}"
			assert "Not a valid Workflow Action" in str(error) or "不是有效" in str(error)
			assert after == before, "a refused transition changed the complaint"


def test_manual_escalation_writes_one_history_row_and_one_todo_for_the_manager(masters, calendar):
	boss = make_linked_employee("_KesuBoss", masters["company"], SUPERVISOR)
	make_linked_employee("_KesuDesk", masters["company"], AGENT, reports_to=boss)
	name = new_complaint(masters, handler=AGENT)
	frappe.set_user(AGENT)
	escalate_complaint(name, "The customer asks for the head of the clinic")
	frappe.set_user("Administrator")

	doc = frappe.get_doc("Complaint", name)
	assert doc.current_tier == "Supervisor" and doc.workflow_state == "Escalated to Supervisor"
	assert doc.status == "Escalated" and doc.handler == SUPERVISOR
	[row] = doc.escalations
	assert (row.from_tier, row.to_tier, row.reason_type) == ("Front Desk", "Supervisor", "Manual")
	assert row.escalated_by == AGENT and row.assigned_to == SUPERVISOR
	todos = frappe.get_all(
		"ToDo",
		filters={"reference_type": "Complaint", "reference_name": name, "status": "Open"},
		pluck="allocated_to",
	)
	assert todos == [SUPERVISOR]


def test_escalation_without_a_manager_goes_to_everyone_with_the_role(masters, calendar):
	other = make_user("kesu.supervisor2@example.com", ["Complaint Supervisor"])
	name = new_complaint(masters)
	escalate_complaint(name, "Nobody at the desk can decide this")
	todos = set(
		frappe.get_all(
			"ToDo", filters={"reference_type": "Complaint", "reference_name": name}, pluck="allocated_to"
		)
	)
	assert {SUPERVISOR, other} <= todos
	assert all("Complaint Supervisor" in frappe.get_roles(user) for user in todos)


def test_escalation_needs_a_reason(masters, calendar):
	name = new_complaint(masters)
	with pytest.raises(frappe.ValidationError):
		escalate_complaint(name, "  ")
	with pytest.raises(frappe.ValidationError):
		apply_workflow(frappe.get_doc("Complaint", name).as_dict(), "Escalate")
	assert frappe.db.get_value("Complaint", name, "current_tier") == "Front Desk"
	assert not frappe.get_all("Complaint Escalation", filters={"parent": name})


def test_urgent_case_goes_straight_to_management_with_a_severity_row(masters, calendar):
	name = new_complaint(masters, severity="Urgent", category="Medical Safety")
	doc = frappe.get_doc("Complaint", name)
	assert doc.current_tier == "Management"
	[row] = doc.escalations
	assert row.reason_type == "Severity" and row.to_tier == "Management"
	assert DIRECTOR in frappe.get_all("ToDo", filters={"reference_name": name}, pluck="allocated_to")


def test_branch_agent_sees_only_the_branch(masters, calendar):
	agent_a = make_user("kesu.agent.a@example.com", ["Complaint Agent"])
	add_user_permission("Branch", masters["branch_a"], agent_a)
	mine = new_complaint(masters, branch=masters["branch_a"])
	theirs = new_complaint(masters, branch=masters["branch_b"])
	frappe.set_user(agent_a)
	try:
		assert frappe.has_permission("Complaint", "read", doc=mine)
		assert not frappe.has_permission("Complaint", "read", doc=theirs)
		listed = frappe.get_list("Complaint", filters={"name": ("in", [mine, theirs])}, pluck="name")
		assert listed == [mine]
		with pytest.raises(frappe.PermissionError):
			frappe.client.get("Complaint", theirs)
	finally:
		frappe.set_user("Administrator")


def test_agent_cannot_read_medical_details_and_others_see_a_masked_phone(masters, calendar):
	name = new_complaint(masters)
	frappe.get_doc(
		{
			"doctype": "Complaint Medical Record",
			"complaint": name,
			"medical_details": "Revision rhinoplasty, 2026-03-01, Dr. Zhang",
		}
	).insert()
	frappe.set_user(AGENT)
	as_agent = frappe.client.get("Complaint", name)
	with pytest.raises(frappe.PermissionError):
		frappe.client.get("Complaint Medical Record", name)
	frappe.set_user(SUPERVISOR)
	as_supervisor = frappe.client.get("Complaint Medical Record", name)
	frappe.set_user("Administrator")
	assert "medical_details" not in as_agent
	assert as_agent["contact_phone"] == "+86 138 0013 8000"
	assert as_supervisor["medical_details"].startswith("<p>Revision rhinoplasty") or as_supervisor[
		"medical_details"
	].startswith("Revision rhinoplasty")

	# a role that may see complaints but not how to reach the customer
	frappe.get_doc({"doctype": "Role", "role_name": "_Kesu Test Viewer", "desk_access": 1}).insert()
	frappe.permissions.add_permission("Complaint", "_Kesu Test Viewer", 0, "read")
	frappe.clear_cache(doctype="Complaint")
	viewer = make_user("kesu.viewer@example.com", ["_Kesu Test Viewer"])
	frappe.set_user(viewer)
	try:
		as_viewer = frappe.client.get("Complaint", name)
	finally:
		frappe.set_user("Administrator")
		frappe.clear_cache(doctype="Complaint")
	assert not as_viewer.get("contact_phone") and not as_viewer.get("evidence")
	assert as_viewer["contact_phone_masked"] == "+86138****8000"


def test_a_case_walks_from_intake_to_closed_each_step_by_its_role(masters, calendar):
	frappe.set_user(AGENT)
	name = frappe.client.insert(complaint(masters, received_at=frappe.utils.add_to_date(None, hours=-1)))[
		"name"
	]

	def act(user, action, **values):
		frappe.set_user(user)
		if values:
			doc = frappe.get_doc("Complaint", name)
			doc.update(values)
			doc.save()
		if action == "Escalate":
			set_pending_escalation(name, "Customer asks for a supervisor", "Manual")
		apply_workflow(frappe.get_doc("Complaint", name).as_dict(), action)

	def on_lists():
		return frappe.get_all(
			"ToDo",
			filters={"reference_type": "Complaint", "reference_name": name, "status": "Open"},
			pluck="allocated_to",
		)

	# filed at the desk: on the filer's list; acknowledging makes the agent its handler
	assert on_lists() == [AGENT]
	act(AGENT, "Acknowledge")
	assert frappe.db.get_value("Complaint", name, "handler") == AGENT and on_lists() == [AGENT]
	act(AGENT, "Start Investigation")
	act(AGENT, "Escalate")
	assert on_lists() == [SUPERVISOR]  # the agent's step is done: off their list
	act(
		SUPERVISOR,
		"Propose Resolution",
		findings="Redness is a known reaction; aftercare was not explained.",
		root_cause="Communication",
		responsibility="Practitioner",
		responsible_employee=masters["practitioner"],
	)
	# the front desk must send it: back on the agent's list, off the supervisor's
	assert on_lists() == [AGENT]
	act(AGENT, "Send to Customer", resolution_summary="Free soothing treatment and a call in a week.")
	# a phone complaint says how the result was given
	assert frappe.db.get_value("Complaint", name, "result_given_via") == "Phone Call"
	assert frappe.db.exists(
		"Comment", {"reference_name": name, "comment_type": "Info", "content": ("like", "%Phone Call%")}
	)
	act(AGENT, "Customer Accepts", customer_feedback="Satisfied with the offer.")
	assert on_lists() == [SUPERVISOR]  # who closes
	# closing asks whether the complaint was substantiated: the desk's way, for a role that may
	# close but not edit the resolved case
	frappe.set_user(SUPERVISOR)
	with pytest.raises(frappe.ValidationError, match="substantiated"):
		apply_workflow(frappe.get_doc("Complaint", name).as_dict(), "Close")
	assert [a["action"] for a in waiting_actions(frappe.get_doc("Complaint", name))] == ["Close"]
	apply_waiting_action(name, "Close", {"substantiated": "Substantiated"})
	frappe.set_user("Administrator")

	doc = frappe.get_doc("Complaint", name)
	assert doc.workflow_state == "Closed" and doc.status == "Closed" and doc.closed_at
	assert doc.substantiated == "Substantiated"
	assert all(
		doc.get(f"{stage}_met_at") for stage in ("acknowledgement", "investigation", "resolution", "feedback")
	)
	assert [row.to_tier for row in doc.escalations] == ["Supervisor"]
	# closed, it is on nobody's to-do list any more; the ToDos are kept, closed
	assert not on_lists()
	assert frappe.db.count("ToDo", {"reference_type": "Complaint", "reference_name": name}) >= 3
	assert not frappe.parse_json(frappe.db.get_value("Complaint", name, "_assign") or "[]")

	# reopened, it is back on the front desk's list
	frappe.set_user(SUPERVISOR)
	apply_workflow(frappe.get_doc("Complaint", name).as_dict(), "Reopen")
	frappe.set_user("Administrator")
	assert on_lists() == [AGENT]
	assert frappe.parse_json(frappe.db.get_value("Complaint", name, "_assign")) == [AGENT]


def test_closing_without_feedback_is_refused(masters, calendar):
	name = new_complaint(masters)
	put_in_state(name, "Resolved")
	frappe.db.set_value("Complaint", name, "customer_feedback", None, update_modified=False)
	frappe.set_user(SUPERVISOR)
	try:
		with pytest.raises(frappe.ValidationError):
			apply_workflow(frappe.get_doc("Complaint", name).as_dict(), "Close")
	finally:
		frappe.set_user("Administrator")
	assert frappe.db.get_value("Complaint", name, "workflow_state") == "Resolved"


def test_status_edited_to_closed_is_refused_while_the_workflow_is_on(masters, calendar):
	name = new_complaint(masters)
	put_in_state(name, "Escalated to Supervisor")
	frappe.set_user(SUPERVISOR)
	try:
		doc = frappe.get_doc("Complaint", name)
		doc.status = "Closed"
		with pytest.raises(frappe.ValidationError, match="workflow"):
			doc.save()
	finally:
		frappe.set_user("Administrator")
	assert frappe.db.get_value("Complaint", name, ["status", "workflow_state"]) == (
		"Escalated",
		"Escalated to Supervisor",
	)


def versions(name: str) -> list[tuple[str, dict]]:
	return [
		(v.owner, {row[0]: row[1:] for row in frappe.parse_json(v.data).get("changed", [])})
		for v in frappe.get_all(
			"Version",
			filters={"ref_doctype": "Complaint", "docname": name},
			fields=["owner", "data"],
			order_by="creation",
		)
	]


def test_a_severity_escalation_keeps_the_users_change_in_the_history(masters, calendar):
	"""Each save's Version says what it changed, by whom: the agent's raise of the severity, then
	the escalation the app made because of it; neither repeated, none lost."""
	set_in_test(False)  # Frappe writes no Versions in tests
	frappe.set_user(AGENT)
	try:
		received = frappe.utils.add_to_date(None, hours=-1)
		urgent = frappe.client.insert(complaint(masters, received_at=received, severity="Urgent"))["name"]
		general = frappe.client.insert(complaint(masters, received_at=received))["name"]
		doc = frappe.get_doc("Complaint", general)
		doc.severity = "Urgent"
		doc.save()
	finally:
		frappe.set_user("Administrator")
		set_in_test(True)
	# filed urgent: the escalation the app made at intake is the one Version, in the agent's save
	# (the app no longer switches the session to Administrator; its history row names itself)
	[(owner, changed)] = versions(urgent)
	assert owner == AGENT and changed["current_tier"][0] == "Front Desk"
	# the app's rule raised it, on the agent's save: recorded so, not as Administrator
	[row] = frappe.get_doc("Complaint", urgent).escalations
	assert (row.escalated_by, row.automatic) == (AGENT, 1)
	# raised to urgent by the agent: the agent's change, then the app's escalation
	[(first, raised), (second, escalated)] = versions(general)
	assert first == AGENT and raised["severity"] == ["General", "Urgent"]  # and the due times it moved
	assert "current_tier" not in raised and "workflow_state" not in raised
	assert second == AGENT and "severity" not in escalated
	assert escalated["current_tier"][0] == "Front Desk" and escalated["current_tier"][1] != "Front Desk"


def test_an_action_waiting_for_a_field_is_offered_and_asks_for_it(masters, calendar):
	"""A supervisor may reject a new case, though only the front desk edits in that state: the
	form offers Reject and asks for the reason. A blank reason, or someone the workflow does
	not let reject, changes nothing."""
	from kesu_app.workflow_actions import apply_waiting_action, get_waiting_actions

	name = new_complaint(masters)
	frappe.set_user(AGENT)
	try:
		assert "Reject" not in {a["action"] for a in get_waiting_actions(name)}
		with pytest.raises(frappe.ValidationError):
			apply_waiting_action(name, "Reject", {"rejection_reason": "Not ours"})
		frappe.set_user(SUPERVISOR)
		[reject] = [a for a in get_waiting_actions(name) if a["action"] == "Reject"]
		assert [f["fieldname"] for f in reject["fields"]] == ["rejection_reason"]
		with pytest.raises(frappe.ValidationError):
			apply_waiting_action(name, "Reject", {"rejection_reason": "  "})
		assert frappe.db.get_value("Complaint", name, ["workflow_state", "rejection_reason"]) == ("New", None)
		assert (
			apply_waiting_action(name, "Reject", {"rejection_reason": "Treated at another clinic."})
			== "Rejected"
		)
	finally:
		frappe.set_user("Administrator")
	doc = frappe.get_doc("Complaint", name)
	assert (doc.status, doc.rejection_reason) == ("Rejected", "Treated at another clinic.")


def test_quality_action_and_non_conformance_are_linked_both_ways(masters, calendar):
	name = new_complaint(masters, findings="Consent form missing the swelling risk.")
	doc = frappe.get_doc("Complaint", name)
	action = doc.make_quality_action()
	conformance = doc.make_non_conformance()
	doc.reload()
	assert doc.quality_action == action and doc.non_conformance == conformance
	assert frappe.db.get_value("Quality Action", action, "kesu_complaint") == name
	assert frappe.db.get_value("Non Conformance", conformance, "kesu_complaint") == name
	with pytest.raises(frappe.ValidationError):
		doc.make_quality_action()


def test_escalation_to_the_department_tier_goes_to_its_complaint_manager(masters, calendar):
	head = make_user("kesu.dept.head@example.com", ["Complaint Department Manager"])
	existing = frappe.db.get_value(
		"Department", {"department_name": "_Kesu Aesthetics", "company": masters["company"]}
	)
	department = (
		frappe.get_doc("Department", existing)
		if existing
		else frappe.get_doc(
			{"doctype": "Department", "department_name": "_Kesu Aesthetics", "company": masters["company"]}
		).insert()
	)
	department.db_set("kesu_complaint_manager", head)
	name = new_complaint(masters, handling_department=department.name)
	put_in_state(name, "Escalated to Supervisor")
	frappe.set_user(SUPERVISOR)
	try:
		escalate_complaint(name, "Needs the department head")
	finally:
		frappe.set_user("Administrator")
	doc = frappe.get_doc("Complaint", name)
	assert doc.current_tier == "Department Manager" and doc.handler == head
	assert doc.escalations[-1].assigned_to == head
	todos = frappe.get_all("ToDo", filters={"reference_name": name, "status": "Open"}, pluck="allocated_to")
	assert head in todos and DEPT_MANAGER not in todos
