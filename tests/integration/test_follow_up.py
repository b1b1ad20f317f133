"""Follow-up: what a resolved complaint schedules, the survey answered once from its link,
an unsatisfied answer reopening the complaint as a new cycle, and the daily reminders."""

from __future__ import annotations

import json
import re

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.model.workflow import apply_workflow  # noqa: E402
from frappe.utils import add_days, add_to_date, get_datetime, getdate, today  # noqa: E402

from kesu_app.follow_up import send_follow_up_reminders  # noqa: E402
from kesu_app.rules.privacy import survey_key_hash  # noqa: E402
from kesu_app.survey import submit_survey  # noqa: E402
from tests.integration.factories import AGENT, SUPERVISOR, complaint  # noqa: E402


def resolved_complaint(masters) -> str:
	doc = frappe.get_doc(
		complaint(
			masters, received_at=add_to_date(None, days=-3), handler=AGENT, contact_email="wang@example.com"
		)
	)
	doc.insert()
	frappe.db.set_value(
		"Complaint",
		doc.name,
		{
			"workflow_state": "Awaiting Customer Feedback",
			"status": "Awaiting Feedback",
			"findings": "Redness is a known reaction.",
			"resolution_summary": "Free soothing treatment.",
			"customer_feedback": "Accepted on the phone.",
		},
	)
	doc = frappe.get_doc("Complaint", doc.name)
	doc.status = "Awaiting Feedback"
	doc.save()  # stamps the stage times the status shows
	frappe.set_user(AGENT)
	apply_workflow(frappe.get_doc("Complaint", doc.name).as_dict(), "Customer Accepts")
	frappe.set_user("Administrator")
	return doc.name


def follow_ups(name) -> dict:
	rows = frappe.get_all("Follow-up", filters={"complaint": name}, fields=["*"])
	return {row.follow_up_type: row for row in rows}


def survey_key_of(name) -> str:
	"""A survey link's key as staff would issue it (only its hash is stored)."""
	from kesu_app.follow_up import issue_survey_key

	return issue_survey_key(frappe.get_doc("Follow-up", follow_ups(name)["Satisfaction Survey"].name))


def test_resolving_schedules_the_follow_ups_and_assigns_them(masters, calendar):
	name = resolved_complaint(masters)
	complaint_doc = frappe.get_doc("Complaint", name)
	assert complaint_doc.status == "Resolved"
	made = follow_ups(name)
	# the customer heard the result and answered it at acceptance: no Result Feedback call again
	assert set(made) == {"Satisfaction Survey", "Post-Treatment Revisit"}
	assert made["Satisfaction Survey"].scheduled_date == getdate(complaint_doc.feedback_due)
	assert made["Post-Treatment Revisit"].scheduled_date == getdate(add_days(today(), 14))
	assert len(made["Satisfaction Survey"].survey_key) == 64  # a hash: the key itself is not stored
	for row in made.values():
		assert row.assigned_to == AGENT
		assert frappe.db.exists(
			"ToDo", {"reference_type": "Follow-up", "reference_name": row.name, "allocated_to": AGENT}
		)


def test_survey_answer_lands_once(masters, calendar):
	name = resolved_complaint(masters)
	key = survey_key_of(name)
	frappe.set_user("Guest")
	try:
		with pytest.raises(frappe.ValidationError):
			submit_survey("x" * 32, 5, 1)
		with pytest.raises(frappe.ValidationError):
			submit_survey(key, 9, 1)
		submit_survey(key, 5, 1, "Thank you")
		with pytest.raises(frappe.ValidationError):
			submit_survey(key, 1, 0, "changed my mind")
	finally:
		frappe.set_user("Administrator")
	survey = follow_ups(name)["Satisfaction Survey"]
	assert survey.outcome == "Satisfied" and survey.satisfaction_rating == 1.0 and survey.status == "Done"
	assert survey.survey_answered_at and survey.satisfaction_reason == "Thank you"
	assert frappe.db.get_value("Complaint", name, "status") == "Resolved"


def test_unsatisfied_answer_reopens_a_new_cycle_keeping_the_first(masters, calendar):
	name = resolved_complaint(masters)
	first = frappe.get_doc("Complaint", name)
	first_results = {
		s: (first.get(f"{s}_due"), first.get(f"{s}_met_at")) for s in ("acknowledgement", "resolution")
	}
	key = survey_key_of(name)
	frappe.set_user("Guest")
	try:
		submit_survey(key, 2, 0, "Still red after two weeks")
	finally:
		frappe.set_user("Administrator")

	doc = frappe.get_doc("Complaint", name)
	assert doc.reopen_count == 1 and doc.cycle == 2
	[earlier] = doc.cycles
	results = json.loads(earlier.stage_results)
	for stage, (due, met) in first_results.items():
		assert results[stage]["due"] == str(due) and results[stage]["met_at"] == str(met)
	# the new cycle runs from its own start
	assert not doc.acknowledgement_met_at and not doc.resolution_met_at
	assert get_datetime(doc.acknowledgement_due) == add_to_date(get_datetime(doc.cycle_started_at), hours=24)
	# and the dissatisfied customer's case went up a tier
	assert [row.reason_type for row in doc.escalations][-1] == "Customer Not Satisfied"


def test_daily_reminders_once_each(masters, calendar):
	name = resolved_complaint(masters)
	made = follow_ups(name)
	frappe.db.set_value("Follow-up", made["Post-Treatment Revisit"].name, "scheduled_date", today())
	frappe.db.set_value(
		"Follow-up", made["Satisfaction Survey"].name, "scheduled_date", add_days(today(), -2)
	)
	frappe.db.sql("update `tabFollow-up` set reminded_on = %s where complaint != %s", (today(), name))
	assert send_follow_up_reminders() == 2
	subjects = frappe.get_all(
		"Notification Log",
		filters={
			"document_type": "Follow-up",
			"for_user": AGENT,
			"document_name": ("in", [r.name for r in made.values()]),
		},
		pluck="subject",
	)
	assert any("due today" in s for s in subjects) and any("overdue since" in s for s in subjects)
	assert send_follow_up_reminders() == 0


def test_survey_page_renders_for_a_guest_and_refuses_a_bad_key(masters, calendar):
	from frappe.utils import set_request
	from frappe.website.serve import get_response_content

	name = resolved_complaint(masters)
	key = survey_key_of(name)
	frappe.set_user("Guest")
	try:
		set_request(method="GET", path="/satisfaction", query_string=f"key={key}")
		frappe.local.form_dict = frappe._dict(key=key)
		page = get_response_content("satisfaction")
		set_request(method="GET", path="/satisfaction", query_string="key=nope")
		frappe.local.form_dict = frappe._dict(key="nope")
		refused = get_response_content("satisfaction")
	finally:
		frappe.local.request = None
		frappe.local.form_dict = frappe._dict()
		frappe.set_user("Administrator")
	assert "kesu-survey-form" in page and name in page
	assert "kesu-survey-form" not in refused and "This survey link is not valid." in refused


def test_survey_link_is_emailed_when_the_site_can_send_mail(masters, calendar):
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "_Kesu Outgoing",
			"email_id": "clinic@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "127.0.0.1",
			"no_smtp_authentication": 1,
		}
	).insert()
	name = resolved_complaint(masters)
	survey = follow_ups(name)["Satisfaction Survey"]
	assert survey.survey_sent_at
	queued = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Follow-up", "reference_name": survey.name},
		fields=["name", "message"],
	)
	assert len(queued) == 1
	# the mail carries the key whose hash is stored (the MIME text may wrap or encode the link)
	tokens = re.findall(r"[A-Za-z0-9]{32}", queued[0].message.replace("=\n", "").replace("=3D", "="))
	assert any(survey_key_hash(token) == survey.survey_key for token in tokens)
	recipients = frappe.get_all(
		"Email Queue Recipient", filters={"parent": queued[0].name}, pluck="recipient"
	)
	assert recipients == ["wang@example.com"]


def test_a_follow_up_is_done_only_with_its_outcome(masters, calendar):
	name = resolved_complaint(masters)
	follow_up = frappe.get_doc("Follow-up", follow_ups(name)["Post-Treatment Revisit"].name)
	follow_up.status = "Done"
	with pytest.raises(frappe.ValidationError, match="outcome"):
		follow_up.save()
	assert frappe.db.get_value("Follow-up", follow_up.name, "status") == "Scheduled"
	follow_up.reload()
	follow_up.outcome = "Unreachable"
	follow_up.save()
	assert (follow_up.status, bool(follow_up.done_at)) == ("Done", True)


def test_a_result_not_yet_heard_is_fed_back_by_the_front_desk(masters, calendar):
	"""Resolved with no answer from the customer on record (a site without the workflow): the
	result is fed back, and every follow-up is on the list of the front desk's person on the
	case, not of the supervisor who handled it."""
	from kesu_app.follow_up import schedule_after_resolution

	doc = frappe.get_doc(complaint(masters, handler=SUPERVISOR, received_by=AGENT)).insert()
	doc.customer_feedback = None
	schedule_after_resolution(doc)
	made = follow_ups(doc.name)
	assert set(made) == {"Result Feedback", "Satisfaction Survey", "Post-Treatment Revisit"}
	assert {row.assigned_to for row in made.values()} == {AGENT}
	# an admin may name another role in Kesu Settings
	calendar.follow_up_role = "Complaint Supervisor"
	calendar.save()
	frappe.db.delete("Follow-up", {"complaint": doc.name})
	schedule_after_resolution(doc)
	assert {row.assigned_to for row in follow_ups(doc.name).values()} == {SUPERVISOR}
