"""Daily digest and quarterly summary: who gets what, with figures counted independently."""

from __future__ import annotations

from unittest.mock import patch

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.utils import add_to_date, now_datetime  # noqa: E402

from kesu_app.digests import send_daily_digest, send_quarterly_summary  # noqa: E402
from tests.integration.factories import DIRECTOR, complaint, make_user  # noqa: E402


def file(masters, **values) -> str:
	doc = frappe.get_doc(complaint(masters, **values))
	doc.insert()
	return doc.name


def test_daily_digest_lists_each_managers_open_and_overdue_complaints(masters, calendar):
	boss = make_user("kesu.digest@example.com", ["Complaint Supervisor"])
	recent = add_to_date(now_datetime(), hours=-1)
	mine = [
		file(masters, handler=boss, received_at="2026-04-06 09:00:00"),  # long overdue
		file(masters, handler=boss, received_at="2026-04-07 09:00:00"),  # overdue
		file(masters, handler=boss, received_at=recent),  # nothing due yet
	]
	closed = file(masters, handler=boss, received_at=recent)
	frappe.db.set_value("Complaint", closed, "status", "Closed")
	with patch("kesu_app.digests.frappe.sendmail") as sendmail:
		send_daily_digest()
	mails = {call.kwargs["recipients"][0]: call.kwargs for call in sendmail.call_args_list}
	mail = mails[boss]
	assert mail["subject"] == "Complaints: 3 open, 2 overdue"
	assert [row.name for row in mail["args"]["rows"]][:2] == mine[:2]
	assert {row.name for row in mail["args"]["rows"]} == set(mine)
	html = frappe.get_template(f"templates/emails/{mail['template']}.html").render(mail["args"])
	assert all(name in html for name in mine) and "2 of them overdue" in html


def test_digest_is_switched_off_in_settings(masters, calendar):
	calendar.enable_daily_digest = 0
	calendar.save()
	with patch("kesu_app.digests.frappe.sendmail") as sendmail:
		send_daily_digest()
	sendmail.assert_not_called()


def test_quarterly_summary_of_the_quarter_just_ended(masters, calendar):
	frappe.db.delete("Complaint")
	q2 = [
		file(masters, received_at="2026-04-07 10:00:00", category="Privacy", severity="Important"),
		file(masters, received_at="2026-05-12 10:00:00", category="Privacy"),
		file(masters, received_at="2026-06-30 23:00:00", category="Other"),
	]
	file(masters, received_at="2026-07-01 08:00:00")  # the next quarter
	file(masters, received_at="2026-03-31 22:00:00")  # the one before
	frappe.db.set_value(
		"Complaint", q2[0], {"closed_at": "2026-05-01 10:00:00", "substantiated": "Substantiated"}
	)
	# acknowledged in time for one, late for another
	frappe.db.set_value("Complaint", q2[1], "acknowledgement_met_at", "2026-05-12 11:00:00")
	frappe.db.set_value("Complaint", q2[2], "acknowledgement_met_at", "2026-07-03 09:00:00")

	# compensation approved in the quarter, and one approved after it
	for amount, approved_at in (
		(300, "2026-05-02 10:00:00"),
		(200, "2026-06-10 10:00:00"),
		(999, "2026-07-02 10:00:00"),
	):
		frappe.get_doc(
			{"doctype": "Compensation", "complaint": q2[0], "compensation_type": "Other", "amount": amount}
		).insert()
		frappe.db.sql(
			"update `tabCompensation` set docstatus = 1, approved_at = %s where amount = %s",
			(approved_at, amount),
		)
	# two ratings given in the quarter: 4 and 2 stars
	for rating, done_at in ((0.8, "2026-05-20 10:00:00"), (0.4, "2026-06-20 10:00:00")):
		follow_up = frappe.get_doc(
			{
				"doctype": "Follow-up",
				"complaint": q2[1],
				"follow_up_type": "Satisfaction Survey",
				"scheduled_date": "2026-05-20",
				"outcome": "Satisfied",
				"satisfaction_rating": rating,
			}
		).insert()
		frappe.db.set_value("Follow-up", follow_up.name, "done_at", done_at)

	make_user(DIRECTOR, ["Complaint Management"])
	with patch("kesu_app.digests.frappe.sendmail") as sendmail:
		assert send_quarterly_summary("2026-07-02") is None  # not a quarter's first day
		figures = send_quarterly_summary("2026-07-01")[DIRECTOR]
	assert figures["new"] == 3 and figures["closed"] == 1
	# received by the end of June and not closed by then: two of Q2, and the March one
	assert figures["open_at_end"] == 3
	assert figures["substantiated"] == 1
	assert figures["acknowledgement_due"] == 3 and figures["acknowledgement_on_time"] == 1
	assert {row.label: row.count for row in figures["by_category"]} == {"Privacy": 2, "Other": 1}
	assert figures["repeat_customers"][0].count == 3
	assert figures["compensation_cost"] == 500 and figures["compensations"] == 2
	assert abs(figures["satisfaction"] - 3.0) < 1e-6 and figures["satisfaction_answers"] == 2
	recipients = [call.kwargs["recipients"][0] for call in sendmail.call_args_list]
	assert DIRECTOR in recipients
	assert sendmail.call_args.kwargs["subject"].endswith("2026 Q2")
	mail = sendmail.call_args.kwargs
	html = frappe.get_template(f"templates/emails/{mail['template']}.html").render(mail["args"])
	assert "Privacy" in html and "33.3%" in html
