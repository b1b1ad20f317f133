"""Regulator cases, the special report of a major complaint, and who answers for a substantiated
one (#18)."""

from __future__ import annotations

from datetime import timedelta

import pytest

frappe = pytest.importorskip("frappe")

from frappe.utils import add_to_date, get_datetime, now_datetime  # noqa: E402

from kesu_app.alerts import process_time_limit_alerts  # noqa: E402
from kesu_app.analysis import quarterly_figures  # noqa: E402
from kesu_app.kesu_app.doctype.major_complaint_report.major_complaint_report import (  # noqa: E402
	make_report,
)
from kesu_app.kesu_app.report.complaint_accountability import complaint_accountability  # noqa: E402
from kesu_app.kesu_app.report.complaint_category_analysis import complaint_category_analysis  # noqa: E402
from kesu_app.kesu_app.report.complaint_hotspots import complaint_hotspots  # noqa: E402
from kesu_app.kesu_app.report.overdue_complaints.overdue_complaints import overdue_rows  # noqa: E402
from kesu_app.rules.quarters import quarter_of  # noqa: E402
from tests.integration.factories import (  # noqa: E402
	AGENT,
	DIRECTOR,
	SUPERVISOR,
	complaint,
	make_employee,
	make_user,
)
from tests.integration.http_client import Http, api_keys  # noqa: E402
from tests.integration.test_channels import (  # noqa: E402, F401
	api_payload,
	call_api,
	inbox,
	integration,
	raw_email,
	receive,
	submit_web_form,
	unique,
	web_data,
)
from tests.integration.test_security import delete_complaints  # noqa: E402
from tests.integration.test_workflow_escalation import put_in_state  # noqa: E402

HR = "kesu.hr@example.com"


def third_party(masters, days: float = 2, **values) -> dict:
	return complaint(
		masters,
		channel="Third Party",
		third_party_body="Regulator",
		third_party_name="12315 hotline",
		third_party_deadline=add_to_date(now_datetime(), days=days),
		received_at=add_to_date(now_datetime(), minutes=-10),
		**values,
	)


def file(values: dict, user: str = AGENT):
	frappe.set_user(user)
	try:
		return frappe.get_doc(values).insert()
	finally:
		frappe.set_user("Administrator")


def approved_compensation(complaint: str, amount: float):
	"""A free service proposed by Administrator and approved by management (the proposer may not)."""
	compensation = frappe.get_doc(
		{
			"doctype": "Compensation",
			"complaint": complaint,
			"compensation_type": "Free Service",
			"amount": amount,
			"description": "Goodwill",
		}
	).insert()
	frappe.set_user(DIRECTOR)
	try:
		compensation.approve()
	finally:
		frappe.set_user("Administrator")


# --- 1. a regulator's case ------------------------------------------------------------------------


def test_a_third_party_case_has_the_bodys_deadline_as_a_stage_and_goes_to_management(masters, calendar):
	doc = frappe.get_doc("Complaint", file(third_party(masters, days=1)).name)
	deadline = get_datetime(doc.third_party_deadline)
	assert get_datetime(doc.third_party_due) == deadline
	# the body's date tightens every stage from receipt that would fall later
	for stage in ("acknowledgement", "investigation", "resolution"):
		assert get_datetime(doc.get(f"{stage}_due")) <= deadline, stage
	assert get_datetime(doc.resolution_due) == deadline  # five working days, cut to one day
	# raised at once to management, who are told (on their list), and why
	assert doc.current_tier == "Management" and doc.workflow_state == "Escalated to Management"
	row = doc.escalations[-1]
	assert (row.reason_type, row.reason, row.automatic) == ("Third Party", "Third party: 12315 hotline", 1)
	assert DIRECTOR in frappe.get_all(
		"ToDo", filters={"reference_name": doc.name, "status": "Open"}, pluck="allocated_to"
	)
	# a third party's case is major (Kesu Settings: every third-party case)
	assert doc.is_major and "third party" in doc.major_reason


def test_a_case_a_regulator_takes_up_later_goes_up_as_one_it_filed(masters, calendar):
	doc = file(complaint(masters))
	assert frappe.db.get_value("Complaint", doc.name, "current_tier") == "Front Desk"
	frappe.set_user(AGENT)
	doc = frappe.get_doc("Complaint", doc.name)
	doc.update(
		{
			"channel": "Third Party",
			"third_party_body": "Consumer Association",
			"third_party_deadline": add_to_date(now_datetime(), days=3),
		}
	)
	doc.save()
	frappe.set_user("Administrator")
	stored = frappe.get_doc("Complaint", doc.name)
	assert stored.current_tier == "Management" and stored.escalations[-1].reason_type == "Third Party"
	assert get_datetime(stored.third_party_due) == get_datetime(stored.third_party_deadline)
	assert stored.is_major


def test_the_third_party_tier_comes_from_the_settings(masters, calendar):
	calendar.third_party_tier = "Supervisor"
	calendar.save()
	doc = file(third_party(masters))
	assert frappe.db.get_value("Complaint", doc.name, "current_tier") == "Supervisor"


def test_the_bodys_deadline_is_alerted_breached_escalated_and_reported_like_the_other_stages(
	masters, calendar
):
	calendar.third_party_tier = "Supervisor"  # so that there is a tier above to escalate to
	calendar.save()
	doc = file(third_party(masters, days=6))
	assert frappe.db.get_value("Complaint", doc.name, "current_tier") == "Supervisor"
	# the clinic's own stages are met; only the body's date is left
	for stage in ("first_response", "acknowledgement", "investigation", "resolution"):
		frappe.db.set_value("Complaint", doc.name, f"{stage}_met_at", now_datetime())
	deadline = get_datetime(frappe.db.get_value("Complaint", doc.name, "third_party_due"))
	frappe.db.set_value("Complaint", doc.name, "next_alert_at", deadline - timedelta(hours=8))
	warned = process_time_limit_alerts(now=deadline - timedelta(hours=1))
	assert warned["warnings"] >= 1
	assert frappe.db.get_value("Complaint", doc.name, "third_party_alert_level") == 1
	done = process_time_limit_alerts(now=deadline + timedelta(hours=1))
	assert done["breaches"] >= 1
	stored = frappe.get_doc("Complaint", doc.name)
	assert stored.third_party_breached and get_datetime(stored.third_party_breached_at) == deadline
	# and the case went up a tier for it, as for any stage that ran out
	assert done["escalations"] == 1 and stored.current_tier == "Department Manager"
	assert stored.escalations[-1].reason_type == "Overdue"
	assert "Third-Party Deadline" in stored.escalations[-1].reason
	rows = overdue_rows(frappe._dict(third_party_body="Regulator"), deadline + timedelta(hours=1))
	assert [(row.complaint, row.stage) for row in rows] == [(doc.name, "Third-Party Deadline")]
	assert overdue_rows(frappe._dict(third_party_body="Platform"), deadline + timedelta(hours=1)) == []


@pytest.mark.parametrize(
	"values, message",
	[
		({"third_party_deadline": None}, "reply deadline"),
		({"third_party_deadline": "2026-01-01 10:00:00"}, "has passed"),
	],
)
def test_a_third_party_case_needs_its_deadline_ahead_through_http(masters, calendar, values, message):
	make_user(AGENT, ["Complaint Agent"])
	auth = api_keys(AGENT)
	frappe.db.commit()
	payload = {**third_party(masters), **values}
	payload.pop("doctype")
	before = frappe.db.count("Complaint")
	response = Http(frappe.local.site).post("/api/resource/Complaint", auth, payload)
	Http.fresh()
	assert response.refused and message in response.text, response
	assert frappe.db.count("Complaint") == before


def test_the_quarterly_figures_count_third_party_cases_and_their_on_time_rate(masters, calendar):
	on_time = file(third_party(masters, days=3))
	late = file(third_party(masters, days=3))
	now = now_datetime()
	frappe.db.set_value("Complaint", on_time.name, "third_party_met_at", now)
	frappe.db.set_value("Complaint", late.name, "third_party_met_at", add_to_date(now, days=5))
	quarter = quarter_of(now.date())
	figures = quarterly_figures([quarter], {"third_party_body": "Regulator", "company": masters["company"]})
	assert figures[quarter]["third_party"] == 2
	assert figures[quarter]["third_party_due"] == 2 and figures[quarter]["third_party_on_time"] == 1
	assert {m.name for m in figures[quarter]["major_complaints"]} >= {on_time.name, late.name}


# --- 2. the special report of a major complaint -----------------------------------------------


def test_an_urgent_case_is_major_and_says_why_and_who(masters, calendar):
	doc = file(complaint(masters, severity="Urgent"))
	stored = frappe.get_doc("Complaint", doc.name)
	assert stored.is_major and stored.major_reason == "Urgent severity"
	assert stored.major_flagged_by == AGENT and stored.major_flagged_at


def test_a_category_marked_major_makes_its_cases_major(masters, calendar):
	from kesu_app.major import category_is_major

	assert not category_is_major("Privacy")  # read, and so cached, before the change
	category = frappe.get_doc("Complaint Category", "Privacy")
	category.is_major = 1
	category.save()  # the set of major categories intake reads is cached until a category changes
	doc = file(complaint(masters, category="Privacy"))
	assert frappe.db.get_value("Complaint", doc.name, "major_reason") == "Category marked major"


def test_an_approved_compensation_above_the_amount_makes_the_case_major(masters, calendar):
	calendar.major_compensation_amount = 300
	calendar.save()
	doc = file(complaint(masters))
	assert not frappe.db.get_value("Complaint", doc.name, "is_major")
	approved_compensation(doc.name, 400)
	assert frappe.db.get_value("Complaint", doc.name, "is_major")
	assert "Compensation above" in frappe.db.get_value("Complaint", doc.name, "major_reason")


@pytest.fixture(scope="module")
def web(site, masters):
	frappe.set_user("Administrator")
	make_user(HR, ["HR Manager", "Employee"])
	auth = {user: api_keys(user) for user in (AGENT, SUPERVISOR, DIRECTOR, HR)}
	frappe.db.commit()
	made = []
	yield frappe._dict(http=Http(frappe.local.site), auth=auth, made=made)
	Http.fresh()
	delete_complaints(made)  # with their special reports and accountability outcomes
	frappe.db.commit()


def test_staff_flag_a_case_major_by_hand_only_with_a_reason(web, masters):
	doc = file(complaint(masters))
	web.made.append(doc.name)
	frappe.db.commit()
	refused = web.http.doc_method(web.auth[AGENT], "Complaint", doc.name, "flag_major", reason="  ")
	assert refused.refused, refused
	response = web.http.doc_method(
		web.auth[AGENT], "Complaint", doc.name, "flag_major", reason="A newspaper called"
	)
	assert response.status == 200, response
	Http.fresh()
	stored = frappe.get_doc("Complaint", doc.name)
	assert stored.is_major and stored.major_flagged_by == AGENT
	assert stored.major_reason == "Flagged by hand: A newspaper called"
	# the flag is the app's: a plain write of it is put back
	response = web.http.put(f"/api/resource/Complaint/{doc.name}", web.auth[AGENT], {"is_major": 0})
	Http.fresh()
	assert frappe.db.get_value("Complaint", doc.name, "is_major") == 1


def test_a_major_case_closes_only_with_its_report_approved_by_management(web, masters):
	doc = file(complaint(masters, severity="Urgent", received_at=add_to_date(now_datetime(), hours=-3)))
	web.made.append(doc.name)
	put_in_state(doc.name, "Resolved")
	frappe.db.commit()
	close = {"action": "Close", "doc": frappe.get_doc("Complaint", doc.name).as_dict()}
	response = web.http.call(
		"frappe.model.workflow.apply_workflow", web.auth[SUPERVISOR], doc=close["doc"], action="Close"
	)
	assert response.refused and "special report" in response.text, response
	Http.fresh()
	assert frappe.db.get_value("Complaint", doc.name, "status") != "Closed"

	report_name = web.http.call(
		"kesu_app.kesu_app.doctype.major_complaint_report.major_complaint_report.make_report",
		web.auth[SUPERVISOR],
		complaint=doc.name,
	).message
	Http.fresh()
	report = frappe.get_doc("Major Complaint Report", report_name)
	# the timeline is the case's own history: received, then its escalation to management
	stored = frappe.get_doc("Complaint", doc.name)
	kinds = [row.event for row in report.events]
	assert kinds[0] == "Received" and get_datetime(report.events[0].event_time) == get_datetime(
		stored.received_at
	)
	escalated = [row for row in report.events if row.event == "Escalated"]
	assert len(escalated) == len(stored.escalations) == 1
	assert get_datetime(escalated[0].event_time) == get_datetime(stored.escalations[0].escalated_at)
	assert "Management" in escalated[0].detail
	# a supervisor writes it but may not approve it; approving needs what head office reads
	report.facts = "<p>Burn on the left cheek after laser.</p>"
	report.lessons_learned = "<p>Test patch before every laser session.</p>"
	report.root_cause = "Practitioner Skill"
	report.responsibility = "Practitioner"
	frappe.set_user(SUPERVISOR)
	report.save()
	frappe.set_user("Administrator")
	frappe.db.commit()
	url = f"/api/resource/Major Complaint Report/{report_name}"
	# who approved and when are the app's to write, not a client's
	web.http.put(url, web.auth[SUPERVISOR], {"approved_by": SUPERVISOR, "approved_at": "2026-01-05 09:00:00"})
	Http.fresh()
	assert frappe.db.get_value("Major Complaint Report", report_name, ["approved_by", "approved_at"]) == (
		None,
		None,
	)
	refused = web.http.put(url, web.auth[SUPERVISOR], {"docstatus": 1})
	assert refused.refused, refused
	approved = web.http.put(url, web.auth[DIRECTOR], {"docstatus": 1})
	assert approved.status == 200, approved
	Http.fresh()
	assert frappe.db.get_value("Major Complaint Report", report_name, "approved_by") == DIRECTOR
	assert frappe.db.get_value("Complaint", doc.name, "major_report") == report_name
	assert frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": "Complaint",
			"attached_to_name": doc.name,
			"file_name": ("like", f"{report_name}.%"),
		},
	)
	response = web.http.call(
		"frappe.model.workflow.apply_workflow",
		web.auth[SUPERVISOR],
		doc=frappe.get_doc("Complaint", doc.name).as_dict(),
		action="Close",
	)
	assert response.status == 200, response
	Http.fresh()
	assert frappe.db.get_value("Complaint", doc.name, "status") == "Closed"


def test_the_reports_corrective_actions_become_quality_actions_through_http(web, masters):
	"""One call raises an ERPNext Quality Action per corrective action still without one, linked
	both ways; the action's text arrives as text, not markup; nothing else may raise them."""
	doc = file(complaint(masters, severity="Urgent", received_at=add_to_date(now_datetime(), hours=-3)))
	web.made.append(doc.name)
	report = frappe.get_doc("Major Complaint Report", make_report(doc.name))
	report.append("corrective_actions", {"action": "Keep the dose < 5 J & test a patch first"})
	report.append("corrective_actions", {"action": "Retrain the night shift"})
	report.save()
	frappe.db.commit()
	raise_them = lambda user: web.http.doc_method(  # noqa: E731
		web.auth[user], "Major Complaint Report", report.name, "raise_quality_actions"
	)
	try:
		refused = raise_them(AGENT)  # the front desk does not write special reports
		assert refused.refused, refused
		Http.fresh()
		assert not frappe.get_all("Quality Action", filters={"kesu_complaint": doc.name})

		response = raise_them(SUPERVISOR)
		assert response.status == 200, response
		Http.fresh()
		rows = frappe.get_doc("Major Complaint Report", report.name).corrective_actions
		raised = [row.quality_action for row in rows]
		assert all(raised) and sorted(response.message) == sorted(raised)
		first = frappe.get_doc("Quality Action", raised[0])
		assert (first.kesu_complaint, first.corrective_preventive, first.status) == (
			doc.name,
			"Corrective",
			"Open",
		)
		assert first.resolutions[0].resolution == "Keep the dose &lt; 5 J &amp; test a patch first"
		assert doc.name in first.resolutions[0].problem

		again = raise_them(SUPERVISOR)  # each row has its own now
		assert again.refused and "already" in again.text, again
		# an action added later gets its own; the others keep theirs
		Http.fresh()
		report = frappe.get_doc("Major Complaint Report", report.name)
		report.append("corrective_actions", {"action": "Call every laser patient of that week"})
		report.save()
		frappe.db.commit()
		third = raise_them(SUPERVISOR)
		assert third.status == 200, third
		Http.fresh()
		rows = frappe.get_doc("Major Complaint Report", report.name).corrective_actions
		assert [row.quality_action for row in rows][:2] == raised and third.message == [
			rows[2].quality_action
		]
		assert frappe.db.count("Quality Action", {"kesu_complaint": doc.name}) == 3
		# an approved report's actions stay as approved
		frappe.db.set_value("Major Complaint Report", report.name, "docstatus", 1)
		frappe.db.commit()
		approved = raise_them(SUPERVISOR)
		assert approved.refused, approved
	finally:
		Http.fresh()
		for name in frappe.get_all("Quality Action", filters={"kesu_complaint": doc.name}, pluck="name"):
			frappe.delete_doc("Quality Action", name, force=True, ignore_permissions=True)
		frappe.db.commit()


def test_a_report_is_refused_for_a_case_that_is_not_major(masters, calendar):
	doc = file(complaint(masters))
	with pytest.raises(frappe.ValidationError, match="not a major complaint"):
		make_report(doc.name)


# --- 3. investigation and accountability ----------------------------------------------------------


def test_a_substantiated_case_is_resolved_only_with_its_cause_and_who_answers(web, masters):
	doc = file(complaint(masters, received_at=add_to_date(now_datetime(), hours=-3)))
	web.made.append(doc.name)
	put_in_state(doc.name, "Awaiting Customer Feedback")
	frappe.db.set_value(
		"Complaint", doc.name, {"root_cause": None, "responsibility": None, "no_fault_reason": None}
	)
	frappe.db.commit()

	def accept():
		return web.http.call(
			"frappe.model.workflow.apply_workflow",
			web.auth[AGENT],
			doc=frappe.get_doc("Complaint", doc.name).as_dict(),
			action="Customer Accepts",
		)

	response = accept()
	assert response.refused and "Root Cause" in response.text, response
	Http.fresh()
	assert frappe.db.get_value("Complaint", doc.name, "status") == "Awaiting Feedback"
	# no one at fault needs its reason
	frappe.db.set_value(
		"Complaint", doc.name, {"root_cause": "Communication", "responsibility": "No One at Fault"}
	)
	frappe.db.commit()
	response = accept()
	assert response.refused and "No One Is at Fault" in response.text, response
	Http.fresh()
	frappe.db.set_value("Complaint", doc.name, "responsible_employee", masters["practitioner"])
	frappe.db.set_value("Complaint", doc.name, "responsibility", "Practitioner")
	frappe.db.commit()
	assert accept().status == 200
	Http.fresh()
	assert frappe.db.get_value("Complaint", doc.name, "status") == "Resolved"


def test_accountability_outcomes_are_read_by_management_and_hr_only(web, masters):
	doc = file(complaint(masters, substantiated="Substantiated"))
	web.made.append(doc.name)
	frappe.db.commit()
	payload = {
		"complaint": doc.name,
		"employee": masters["practitioner"],
		"outcome": "Written Warning",
		"decided_by": SUPERVISOR,  # the client's word for who decided is not taken
	}
	refused = web.http.post("/api/resource/Accountability Outcome", web.auth[AGENT], payload)
	assert refused.refused, refused
	made = web.http.post("/api/resource/Accountability Outcome", web.auth[DIRECTOR], payload)
	assert made.status == 200, made
	name = made.message["name"]
	Http.fresh()
	assert frappe.db.get_value("Accountability Outcome", name, "decided_by") == DIRECTOR
	url = f"/api/resource/Accountability Outcome/{name}"
	for user in (AGENT, SUPERVISOR):
		assert web.http.get(url, web.auth[user]).refused, user
	for user in (DIRECTOR, HR):
		assert web.http.get(url, web.auth[user]).status == 200, user
	# nobody answers for a complaint that was not substantiated
	other = file(complaint(masters))
	web.made.append(other.name)
	frappe.db.commit()
	refused = web.http.post(
		"/api/resource/Accountability Outcome", web.auth[DIRECTOR], {**payload, "complaint": other.name}
	)
	assert refused.refused and "not substantiated" in refused.text, refused


def test_the_accountability_report_counts_what_was_seeded(masters, calendar):
	company = masters["company"]
	first = make_employee(unique("Kesu First"), company)
	second = make_employee(unique("Kesu Second"), company)
	skill, talk = (
		frappe.get_doc({"doctype": "Complaint Root Cause", "root_cause": unique(cause)}).insert().name
		for cause in ("Skill", "Talk")
	)
	cases = [(first, skill, 400), (first, talk, 0), (second, talk, 250)]
	for employee, cause, amount in cases:
		doc = frappe.get_doc(
			complaint(
				masters,
				substantiated="Substantiated",
				root_cause=cause,
				responsibility="Practitioner",
				responsible_employee=employee,
			)
		).insert()
		if amount:
			approved_compensation(doc.name, amount)
		frappe.get_doc(
			{
				"doctype": "Accountability Outcome",
				"complaint": doc.name,
				"employee": employee,
				"outcome": "Performance Points Deducted" if employee == second else "Retraining",
				"points": 3 if employee == second else None,
			}
		).insert()
	filters = {"company": company, "from_date": "2026-01-01", "to_date": "2026-12-31"}
	_columns, rows = complaint_accountability.execute({**filters, "based_on": "Employee"})
	by = {row.value: row for row in rows}
	assert (by[first].substantiated, by[first].compensation, by[first].retraining) == (2, 400, 2)
	assert (by[second].substantiated, by[second].compensation, by[second].points) == (1, 250, 3)
	_columns, rows = complaint_accountability.execute({**filters, "based_on": "Root Cause"})
	by = {row.value: row for row in rows}
	assert (by[talk].substantiated, by[talk].compensation, by[talk].points) == (2, 250, 3)
	assert (by[skill].substantiated, by[skill].retraining) == (1, 1)
	# root cause is a dimension of the hotspots and the category analysis too
	_c, rows, *_ = complaint_hotspots.execute({**filters, "based_on": "Root Cause"})
	assert {row.value: row.complaints for row in rows}[talk] == 2
	_c, rows, *_ = complaint_category_analysis.execute({**filters, "based_on": "Root Cause"})
	assert {row.category: row.complaints for row in rows}[talk] == 2


# --- the category's default severity, on every channel ------------------------------------------


def test_the_category_sets_the_severity_of_an_api_complaint(web, masters):
	payload = complaint(masters, category="Medical Safety")
	payload.pop("doctype")
	payload.pop("severity")
	response = web.http.post("/api/resource/Complaint", web.auth[AGENT], payload)
	assert response.status == 200, response
	web.made.append(response.message["name"])
	Http.fresh()
	assert frappe.db.get_value("Complaint", response.message["name"], "severity") == "Urgent"


def test_the_settings_category_sets_the_severity_of_web_and_email_complaints(inbox, masters, calendar):  # noqa: F811
	calendar.website_category = "Privacy"
	calendar.email_category = "Treatment Outcome"
	calendar.save()
	web_doc = submit_web_form(web_data(f"{unique('web')}@example.com"))
	assert frappe.db.get_value("Complaint", web_doc.name, ["category", "severity"]) == (
		"Privacy",
		"Important",
	)
	mail = receive(inbox, raw_email(f"{unique('mail')}@example.com", "Scar", "A scar after the peel."))
	assert frappe.db.get_value("Complaint", mail.reference_name, ["category", "severity"]) == (
		"Treatment Outcome",
		"Important",
	)
	# a category given later raises the severity to at least its own
	doc = frappe.get_doc("Complaint", mail.reference_name)
	doc.category = "Medical Safety"
	doc.save()
	assert frappe.db.get_value("Complaint", doc.name, "severity") == "Urgent"


def test_the_category_sets_the_severity_of_a_chat_integrations_complaint(integration, masters):  # noqa: F811
	auth = f"token {integration['key']}:{integration['secret']}"
	made = call_api(auth, api_payload(category="Medical Safety"))
	assert frappe.db.get_value("Complaint", made["complaint"], ["category", "severity"]) == (
		"Medical Safety",
		"Urgent",
	)
	# a category the site does not have is refused, and nothing is made
	before = frappe.db.count("Complaint")
	with pytest.raises(frappe.ValidationError):
		call_api(auth, api_payload(category="No Such Category"))
	assert frappe.db.count("Complaint") == before


def test_anonymising_a_major_case_clears_the_patients_story_from_its_special_report(masters, calendar):
	from kesu_app.personal_data import MANUAL, anonymise

	doc = file(complaint(masters, severity="Urgent", subject="Burn after laser, Ms Wang"))
	report = frappe.get_doc("Major Complaint Report", make_report(doc.name))
	report.update(
		{
			"facts": "<p>Ms Wang, 138 0013 8000, burnt on the left cheek.</p>",
			"harm": "Second-degree burn",
			"root_cause": "Practitioner Skill",
			"responsibility": "Practitioner",
			"lessons_learned": "<p>Test patch first.</p>",
		}
	)
	report.save()
	report.submit()
	frappe.db.set_value("Complaint", doc.name, {"status": "Closed", "workflow_state": "Closed"})
	assert frappe.get_all("File", filters={"attached_to_doctype": "Complaint", "attached_to_name": doc.name})
	anonymise([doc.name], MANUAL)
	stored = frappe.db.get_value(
		"Major Complaint Report",
		report.name,
		["subject", "facts", "harm", "root_cause", "lessons_learned", "docstatus"],
		as_dict=True,
	)
	assert "Wang" not in str(stored.subject) and not stored.facts and not stored.harm
	# the clinic's own findings and the approval stay, for the figures and for head office
	assert (stored.root_cause, stored.docstatus) == ("Practitioner Skill", 1) and stored.lessons_learned
	assert frappe.db.get_value("Complaint", doc.name, ["is_major", "severity"]) == (1, "Urgent")
	# the printed report named the patient: it went with the complaint's other files
	assert not frappe.get_all(
		"File", filters={"attached_to_doctype": "Complaint", "attached_to_name": doc.name}
	)


def test_the_compensation_register_filters_by_the_third_party(masters, calendar):
	from kesu_app.kesu_app.report.compensation_register import compensation_register

	for values in (third_party(masters), complaint(masters)):
		approved_compensation(file(values).name, 100)
	filters = {"company": masters["company"], "from_date": "2026-01-01", "to_date": "2026-12-31"}
	everything = compensation_register.execute(filters)[1]
	regulators = compensation_register.execute({**filters, "third_party_body": "Regulator"})[1]
	platforms = compensation_register.execute({**filters, "third_party_body": "Platform"})[1]
	assert len(regulators) == 1 and len(everything) >= 2 and platforms == []


def test_hr_reads_the_accountability_figures_of_their_companies_and_no_complaint(masters, calendar):
	from frappe.desk.query_report import run
	from frappe.permissions import add_user_permission

	make_user(HR, ["HR Manager", "Employee"])
	employee = make_employee(unique("Kesu Accountable"), masters["company"])
	frappe.get_doc(
		complaint(
			masters,
			substantiated="Substantiated",
			root_cause="Communication",
			responsibility="Practitioner",
			responsible_employee=employee,
		)
	).insert()
	filters = {"from_date": "2026-01-01", "to_date": "2026-12-31", "based_on": "Employee"}

	def figures_as_hr() -> dict:
		frappe.set_user(HR)
		try:
			# through Frappe's report runner, which checks the report's roles and its doctype
			result = run("Complaint Accountability", filters=filters)["result"]
			with pytest.raises(frappe.PermissionError):
				frappe.get_list("Complaint")  # the figures, never the complaints
			return {row["value"]: row["substantiated"] for row in result if isinstance(row, dict)}
		finally:
			frappe.set_user("Administrator")

	assert figures_as_hr()[employee] == 1
	# kept to another company by a User Permission, HR sees none of this company's figures
	add_user_permission("Company", masters["other_company"], HR)
	assert employee not in figures_as_hr()
