"""The 15-minute time-limit job at a frozen moment: exactly the expected warnings, breaches,
escalations and history rows; a second run does nothing; one broken complaint does not stop
the others."""

from __future__ import annotations

from datetime import datetime

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from kesu_app.alerts import due_complaints, process_time_limit_alerts  # noqa: E402
from tests.integration.factories import SUPERVISOR, complaint, make_user  # noqa: E402

# Wednesday 8 April 2026, 10:00; Monday the 6th is the calendar fixture's public holiday
NOW = datetime(2026, 4, 8, 10, 0)


def file(masters, **values) -> str:
	doc = frappe.get_doc(complaint(masters, **values))
	doc.insert()
	return doc.name


@pytest.fixture
def seeded(masters, calendar):
	# only the complaints of this test are due for alerts
	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	quiet = make_user("kesu.quiet@example.com", ["Complaint Agent"])
	frappe.db.set_value("Notification Settings", quiet, "enabled", 0) if frappe.db.exists(
		"Notification Settings", quiet
	) else None
	names = {
		# acknowledgement due Wed 11:00: inside the 4-hour lead of a general case
		"warn": file(masters, received_at="2026-04-07 11:00:00"),
		# acknowledgement was due Tue 09:00: overdue
		"overdue": file(masters, received_at="2026-04-06 09:00:00", handler=quiet),
		"overdue_no_handler": file(masters, received_at="2026-04-06 09:30:00"),
		"acknowledged": file(masters, received_at="2026-04-07 11:00:00", status="Acknowledged"),
		"paused": file(masters, received_at="2026-04-06 09:00:00"),
		"broken": file(masters, received_at="2026-04-06 10:00:00"),
	}
	frappe.get_doc("Complaint", names["paused"]).pause_clock("Waiting for the customer's photos")
	# a complaint that cannot be saved any more: its escalation will fail
	frappe.db.set_value(
		"Complaint",
		names["broken"],
		{"channel": "Third Party", "third_party_body": None},
		update_modified=False,
	)
	return names


def alerts_for(names) -> list[tuple[str, str]]:
	logs = frappe.get_all(
		"Notification Log",
		filters={"document_type": "Complaint", "document_name": ("in", list(names)), "type": "Alert"},
		fields=["document_name", "for_user"],
	)
	return sorted((log.document_name, log.for_user) for log in logs)


def test_job_warns_alerts_escalates_once(seeded):
	names = seeded
	assert set(due_complaints(NOW)) == {
		names["warn"],
		names["overdue"],
		names["overdue_no_handler"],
		names["broken"],
	}

	done = process_time_limit_alerts(NOW)
	assert done == {"warnings": 1, "breaches": 2, "escalations": 2, "errors": 1}

	warn = frappe.get_doc("Complaint", names["warn"])
	assert warn.acknowledgement_alert_level == 1 and warn.current_tier == "Front Desk"

	for key in ("overdue", "overdue_no_handler"):
		doc = frappe.get_doc("Complaint", names[key])
		assert doc.acknowledgement_alert_level == 2 and doc.acknowledgement_breached
		assert str(doc.acknowledgement_breached_at) == str(doc.acknowledgement_due)
		assert doc.current_tier == "Supervisor" and doc.workflow_state == "Escalated to Supervisor"
		[row] = doc.escalations
		assert row.reason_type == "Overdue" and "Acknowledgement" in row.reason
		assert SUPERVISOR in frappe.get_all(
			"ToDo", filters={"reference_name": doc.name}, pluck="allocated_to"
		)

	# the handler without email notifications still got the system alert, and the case moved
	assert (names["overdue"], "kesu.quiet@example.com") in alerts_for([names["overdue"]])
	# the tier above was alerted too
	assert (names["overdue"], SUPERVISOR) in alerts_for([names["overdue"]])

	broken = frappe.get_doc("Complaint", names["broken"])
	assert broken.current_tier == "Front Desk" and not broken.escalations
	assert frappe.db.exists("Error Log", {"reference_name": names["broken"]})
	# it is tried again in an hour, not in every run
	assert str(broken.next_alert_at) == "2026-04-08 11:00:00"

	for key in ("acknowledged", "paused"):
		doc = frappe.get_doc("Complaint", names[key])
		assert not doc.escalations and not any(
			doc.get(f"{s}_alert_level") for s in ("acknowledgement", "investigation", "resolution")
		)

	# a run repeated at once sends nothing and escalates nothing
	sent = alerts_for(names.values())
	history = frappe.db.count("Complaint Escalation", {"parent": ("in", list(names.values()))})
	again = process_time_limit_alerts(NOW)
	assert again["warnings"] == again["breaches"] == again["escalations"] == 0
	assert alerts_for(names.values()) == sent
	assert frappe.db.count("Complaint Escalation", {"parent": ("in", list(names.values()))}) == history


def test_nothing_due_means_nothing_selected(masters, calendar):
	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	name = file(masters, received_at="2026-04-07 11:00:00")
	assert due_complaints(datetime(2026, 4, 8, 6, 59)) == []
	assert due_complaints(datetime(2026, 4, 8, 7, 0)) == [name]


def test_scheduler_entry_hands_work_to_one_deduplicated_worker_job(masters, calendar):
	from unittest.mock import patch

	from kesu_app.alerts import JOB_ID, run_time_limit_alerts

	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	with patch("kesu_app.alerts.frappe.enqueue") as enqueue:
		run_time_limit_alerts()
	enqueue.assert_not_called()  # nothing due: the cheap query alone

	file(masters, received_at="2026-04-06 09:00:00")
	with patch("kesu_app.alerts.frappe.enqueue") as enqueue:
		run_time_limit_alerts()
	kwargs = enqueue.call_args.kwargs
	assert enqueue.call_args.args[0] == "kesu_app.alerts.process_time_limit_alerts"
	assert kwargs["job_id"] == JOB_ID and kwargs["deduplicate"] is True and kwargs["commit"] is True

	calendar.enable_time_limit_alerts = 0
	calendar.save()
	with patch("kesu_app.alerts.frappe.enqueue") as enqueue:
		run_time_limit_alerts()
	enqueue.assert_not_called()


def test_stage_names_read_as_a_complaints_in_chinese():
	"""ERPNext's Chinese says 决议 (a resolution voted on) and 反馈 for the bare words; alerts,
	the escalation reason and the reports name the complaint's stages 处理 and 结果反馈."""
	from kesu_app.alerts import overdue_text, warning_text
	from kesu_app.kesu_app.report.complaint_category_analysis.complaint_category_analysis import columns
	from kesu_app.time_limits import stage_label

	doc = frappe._dict(name="CMP-2026-00001", subject="Redness", resolution_due=NOW, feedback_due=NOW)
	frappe.local.lang = "zh"
	try:
		texts = [overdue_text(doc, "resolution"), warning_text(doc, "feedback")]
		labels = [stage_label(stage) for stage in ("resolution", "feedback")]
		headings = " ".join(column["label"] for column in columns())
	finally:
		frappe.local.lang = "en"
	assert labels == ["处理", "结果反馈"]
	assert "处理" in texts[0] and "结果反馈" in texts[1]
	assert "决议" not in " ".join(texts) + headings and "处理" in headings
