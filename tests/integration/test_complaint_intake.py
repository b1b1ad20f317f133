"""Filing complaints in a real site: due times read back, bad input refused with nothing saved."""

from __future__ import annotations

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.utils import add_to_date, get_datetime, now_datetime  # noqa: E402

from kesu_app.rules.defaults import DEFAULT_WORKING_HOURS  # noqa: E402
from kesu_app.rules.time_limits import default_limit_rows  # noqa: E402
from tests.integration.factories import AGENT, complaint  # noqa: E402


def file_as_agent(values: dict) -> dict:
	frappe.set_user(AGENT)
	try:
		name = frappe.client.insert(values)["name"]
		return frappe.client.get("Complaint", name)
	finally:
		frappe.set_user("Administrator")


def dt(text):
	return get_datetime(text)


def test_install_created_the_defaults(site):
	assert "kesu_app" in frappe.get_installed_apps()
	for role in (
		"Complaint Agent",
		"Complaint Supervisor",
		"Complaint Department Manager",
		"Complaint Management",
	):
		assert frappe.db.exists("Role", role)
	categories = frappe.get_all("Complaint Category", filters={"is_group": 0}, pluck="name")
	assert {"Treatment Outcome", "Medical Safety", "Privacy", "Other"} <= set(categories)
	assert frappe.db.get_value("Complaint Category", "Medical Safety", "default_severity") == "Urgent"
	settings = frappe.get_single("Kesu Settings")
	assert len(settings.working_hours) == len(DEFAULT_WORKING_HOURS)
	assert len(settings.time_limits) == len(default_limit_rows())
	assert (
		frappe.db.get_value("Workflow", {"document_type": "Complaint", "is_active": 1})
		== "Complaint Escalation"
	)
	assert frappe.db.exists("Custom DocPerm", {"parent": "Customer", "role": "Complaint Agent", "select": 1})


def test_agent_files_an_urgent_complaint_and_reads_every_due_time(masters, calendar):
	saved = file_as_agent(complaint(masters, severity="Urgent"))
	assert saved["name"].startswith("CMP-")
	assert saved["received_by"] == AGENT
	assert saved["customer_name"] == masters["customer_a"]
	# an urgent case goes straight to management, through the workflow, with its history
	assert saved["current_tier"] == "Management" and saved["status"] == "Escalated"
	assert saved["workflow_state"] == "Escalated to Management"
	[row] = saved["escalations"]
	assert (row["from_tier"], row["to_tier"], row["reason_type"]) == ("Front Desk", "Management", "Severity")
	# received Friday 17:55; Saturday, Sunday and the holiday Monday do not count
	assert saved["first_response_due"] == dt("2026-04-03 18:55")
	assert saved["acknowledgement_due"] == dt("2026-04-04 17:55")
	assert saved["investigation_due"] == dt("2026-04-07 18:00")
	assert saved["resolution_due"] == dt("2026-04-07 18:00")
	assert saved["feedback_due"] is None
	# April is long gone: every running stage is breached
	assert saved["first_response_breached"] == 1 and saved["resolution_breached"] == 1
	assert saved["feedback_breached"] == 0


def test_general_complaint_due_times(masters, calendar):
	saved = file_as_agent(complaint(masters, severity="General"))
	assert saved["first_response_due"] is None
	assert saved["status"] == "Open" and saved["workflow_state"] == "New" and not saved["escalations"]
	assert saved["acknowledgement_due"] == dt("2026-04-04 17:55")
	assert saved["investigation_due"] == dt("2026-04-09 18:00")
	assert saved["resolution_due"] == dt("2026-04-13 18:00")
	assert saved["current_tier"] == "Front Desk"


def test_limits_and_make_up_days_come_from_settings(masters, calendar):
	for row in calendar.time_limits:
		if row.severity == "General" and row.stage == "Acknowledgement":
			row.limit_value, row.unit = 1, "Working Hours"
	calendar.append("extra_working_days", {"work_date": "2026-04-04", "works_like": "Monday"})
	calendar.save()
	saved = file_as_agent(complaint(masters, severity="General"))
	# 5 minutes on Friday, 55 on the make-up Saturday
	assert saved["acknowledgement_due"] == dt("2026-04-04 09:55")
	# Saturday (make-up), Tuesday, Wednesday
	assert saved["investigation_due"] == dt("2026-04-08 18:00")


def test_status_meets_stages_and_feedback_runs_from_resolution(masters, calendar):
	saved = file_as_agent(complaint(masters, received_at=add_to_date(now_datetime(), hours=-2)))
	doc = frappe.get_doc("Complaint", saved["name"])
	doc.status = "Acknowledged"
	doc.save()
	assert doc.acknowledgement_met_at and doc.acknowledgement_breached == 0
	assert not doc.investigation_met_at
	doc.status = "Resolved"
	doc.resolution_summary = "Free follow-up treatment booked."
	doc.save()
	assert doc.investigation_met_at and doc.resolution_met_at
	assert doc.feedback_due and get_datetime(doc.feedback_due) > get_datetime(doc.resolution_met_at)
	assert doc.resolution_working_hours is not None and doc.resolution_working_hours >= 0


def test_pause_and_resume_move_the_due_times(masters, calendar):
	received = add_to_date(now_datetime(), hours=-5).replace(microsecond=0)
	saved = file_as_agent(complaint(masters, received_at=received))
	before = get_datetime(saved["acknowledgement_due"])
	assert before == add_to_date(received, hours=24)

	frappe.set_user(AGENT)
	doc = frappe.get_doc("Complaint", saved["name"])
	doc.pause_clock("Waiting for before/after photos")
	assert doc.clock_paused == 1 and len(doc.pauses) == 1
	with pytest.raises(frappe.ValidationError):
		doc.pause_clock("again")
	# pretend the pause began three hours ago
	paused_at = add_to_date(now_datetime(), hours=-3).replace(microsecond=0)
	frappe.db.set_value("Complaint Clock Pause", doc.pauses[0].name, "paused_at", paused_at)
	doc = frappe.get_doc("Complaint", saved["name"])
	doc.resume_clock()
	frappe.set_user("Administrator")

	doc.reload()
	assert doc.clock_paused == 0 and doc.pauses[0].resumed_at
	paused_for = get_datetime(doc.pauses[0].resumed_at) - paused_at
	assert get_datetime(doc.acknowledgement_due) == before + paused_for
	with pytest.raises(frappe.ValidationError):
		doc.resume_clock()


BAD_INPUTS = {
	"no way to reach the customer": dict(contact_phone=None, contact_email=None),
	"neither customer nor name": dict(customer=None, customer_name=None, sales_invoice=None),
	"received in the future": dict(received_at="__future__"),
	"invoice of another customer": dict(sales_invoice="__invoice_b__"),
	"practitioner of another company": dict(practitioner="__other_practitioner__"),
	"third party without its body": dict(channel="Third Party", third_party_body=None),
	"a phone number too short to dial": dict(contact_phone="12345"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_saves_nothing(masters, calendar, case):
	values = dict(BAD_INPUTS[case])
	for key, value in values.items():
		if value == "__future__":
			values[key] = add_to_date(now_datetime(), hours=2)
		elif value == "__invoice_b__":
			values[key] = masters["invoice_b"]
		elif value == "__other_practitioner__":
			values[key] = masters["other_practitioner"]
	count = frappe.db.count("Complaint")
	with pytest.raises(frappe.ValidationError):
		file_as_agent(complaint(masters, **values))
	assert frappe.db.count("Complaint") == count


def test_new_contact_without_a_customer_is_accepted(masters, calendar):
	saved = file_as_agent(
		complaint(
			masters,
			customer=None,
			sales_invoice=None,
			customer_name="王芳",
			contact_phone=None,
			contact_email="wang.fang@example.com",
		)
	)
	assert saved["customer"] is None and saved["customer_name"] == "王芳"


def test_errors_are_translated_for_chinese_users(masters, calendar):
	frappe.local.lang = "zh"
	with pytest.raises(frappe.ValidationError) as error:
		file_as_agent(complaint(masters, received_at=add_to_date(now_datetime(), hours=2)))
	assert "不能晚于当前时间" in str(error.value)


def test_settings_refuse_overlapping_windows(site):
	settings = frappe.get_single("Kesu Settings")
	settings.append("working_hours", {"weekday": "Monday", "start_time": "11:00:00", "end_time": "14:00:00"})
	with pytest.raises(frappe.ValidationError):
		settings.save()
