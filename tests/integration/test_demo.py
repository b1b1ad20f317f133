"""The demo: a living year that every report and the workspace show, then removed with
everything written about it, worker or not."""

from __future__ import annotations

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.utils import add_days, today  # noqa: E402

from kesu_app.compat import set_in_test  # noqa: E402
from kesu_app.rules.compensation import TYPES  # noqa: E402
from kesu_app.rules.tiers import DEPARTMENT_MANAGER, MANAGEMENT, REASON_TYPES, SUPERVISOR  # noqa: E402

REPORTS = (
	"compensation_register",
	"complaint_accountability",
	"complaint_category_analysis",
	"complaint_hotspots",
	"overdue_complaints",
	"quarterly_complaint_analysis",
)
CARDS = ("Open Complaints", "Complaints This Quarter")
# what is written about a record, and the fields that name it
TRACES = {
	"ToDo": ("reference_type", "reference_name"),
	"Comment": ("reference_doctype", "reference_name"),
	"Version": ("ref_doctype", "docname"),
	"Workflow Action": ("reference_doctype", "reference_name"),
	"File": ("attached_to_doctype", "attached_to_name"),
}


def year() -> dict:
	return {"from_date": add_days(today(), -366), "to_date": today()}


def report(name: str, **filters):
	module = frappe.get_module(f"kesu_app.kesu_app.report.{name}.{name}")
	return module.execute(frappe._dict(filters))


def card_values() -> dict:
	from frappe.desk.doctype.number_card.number_card import get_result

	from kesu_app.kesu_app.report.overdue_complaints.overdue_complaints import overdue_count

	values = {name: get_result(frappe.get_doc("Number Card", name), "[]") for name in CARDS}
	values["Overdue Complaints"] = overdue_count("[]")["value"]
	return values


@pytest.fixture(scope="module")
def demo(site, masters):
	"""The demo, made once for this module and committed, as the bench command makes it; the
	last test removes it (and this, again, if a test before it failed)."""
	from kesu_app.demo import make_demo, remove_demo

	before = set(frappe.get_all("Complaint", filters={"is_demo": 1}, pluck="name"))
	cards = card_values()
	# as on a bench command: a test run writes no Versions, and queues nothing for a worker
	set_in_test(False)
	try:
		made = make_demo(count=40, seed=3)
		frappe.db.commit()
	finally:
		set_in_test(True)
	names = sorted(set(frappe.get_all("Complaint", filters={"is_demo": 1}, pluck="name")) - before)
	yield frappe._dict(made=made, names=names, cards_before=cards)
	remove_demo()
	frappe.db.commit()


def of_demo(demo, doctype: str, **filters) -> list[dict]:
	return frappe.get_all(
		doctype, filters={"complaint": ("in", demo.names), **filters}, fields=["*"], limit_page_length=0
	)


def test_the_demo_makes_a_year_of_complaints_and_walks_some_through_the_app(demo):
	assert demo.made == len(demo.names) >= 40 + 25
	received = frappe.get_all(
		"Complaint", filters={"name": ("in", demo.names)}, pluck="received_at", limit_page_length=0
	)
	assert (max(received) - min(received)).days > 300


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_shows_the_demo(demo, name):
	result = report(name, **year())
	rows = result[1]
	assert rows, name
	if name == "complaint_hotspots":
		for based_on in ("Practitioner", "Service", "Branch", "Category", "Root Cause"):
			assert report(name, based_on=based_on, **year())[1], based_on
	if name == "compensation_register":
		for group in ("Type", "Category", "Branch"):
			assert report(name, group_by=group, **year())[1], group
	if name == "quarterly_complaint_analysis":
		# a living year: complaints, compensation and ratings in most quarters
		assert sum(1 for row in rows if row.new) >= 4
		assert sum(1 for row in rows if row.compensation_cost) >= 3
		assert sum(1 for row in rows if row.satisfaction) >= 3
	if name == "complaint_category_analysis":
		assert any(row.compensation_cost for row in rows) and any(row.satisfaction for row in rows)
		assert any(row.reopen_rate for row in rows)
		assert report(name, based_on="Root Cause", **year())[1]
	if name == "quarterly_complaint_analysis":
		# every major case the story closed has its approved special report
		assert any(row.major for row in rows) and any(row.third_party for row in rows)
		closed = frappe.get_all(
			"Complaint", filters={"is_major": 1, "status": ("in", ("Closed", "Rejected"))}, pluck="name"
		)
		assert closed and all(frappe.db.get_value("Complaint", name, "major_report") for name in closed)
	if name == "complaint_accountability":
		assert any(row.substantiated for row in rows) and any(row.compensation for row in rows)
		assert any(row.retraining or row.verbal_warning or row.points_deducted for row in rows)


def test_the_compensation_register_has_every_type_at_every_tier(demo):
	_columns, rows = report("compensation_register", **year())
	ours = [row for row in rows if row.complaint in set(demo.names)]
	tiers = dict(
		frappe.get_all(
			"Compensation",
			filters={"name": ("in", [row.compensation for row in ours])},
			fields=["name", "required_tier"],
			as_list=True,
		)
	)
	made = {
		(frappe.db.get_value("Compensation", row.compensation, "compensation_type"), tiers[row.compensation])
		for row in ours
	}
	assert made >= {(kind, tier) for kind in TYPES for tier in (SUPERVISOR, DEPARTMENT_MANAGER, MANAGEMENT)}
	# each approved by the tier its amount needs, with its ERPNext document made
	for row in ours:
		[approval] = frappe.get_all(
			"Compensation Approval",
			filters={"parent": row.compensation, "action": "Approved"},
			fields=["tier", "user"],
		)
		assert approval.tier == tiers[row.compensation] and approval.user == row.approved_by
		assert row.erpnext_doctype and frappe.db.exists(row.erpnext_doctype, row.erpnext_document)
	# and some were turned down first, or wait for their decision
	statuses = {row.approval_status for row in of_demo(demo, "Compensation")}
	assert {"Approved", "Rejected", "Pending"} <= statuses
	assert any(row.settlement_signed for row in ours)


def test_follow_ups_are_done_with_ratings(demo):
	done = of_demo(demo, "Follow-up", status="Done")
	rated = [row for row in done if row.satisfaction_rating]
	assert len(rated) >= 20
	# no Result Feedback call: the customer heard and answered the result at acceptance
	assert {row.follow_up_type for row in rated} == {"Satisfaction Survey", "Post-Treatment Revisit"}
	assert {row.outcome for row in rated} >= {"Satisfied", "Not Satisfied"}
	# the survey answered by the customer from the link
	assert any(row.channel == "Survey Link" and row.survey_answered_at for row in rated)


def test_cases_are_rejected_reopened_and_escalated_with_full_timelines(demo):
	complaints = frappe.get_all(
		"Complaint",
		filters={"name": ("in", demo.names)},
		fields=["name", "status", "reopen_count", "rejection_reason"],
		limit_page_length=0,
	)
	rejected = [row for row in complaints if row.status == "Rejected"]
	assert rejected and all(row.rejection_reason for row in rejected)
	assert sum(1 for row in complaints if row.reopen_count) >= 3
	assert frappe.db.count("Complaint Cycle", {"parent": ("in", demo.names)}) >= 3
	escalations = frappe.get_all(
		"Complaint Escalation",
		filters={"parent": ("in", demo.names)},
		fields=["reason_type", "escalated_by", "to_tier"],
		limit_page_length=0,
	)
	assert {row.reason_type for row in escalations} == set(REASON_TYPES)
	# the timelines are what the real paths write: workflow steps, changes, comments, assignments
	walked = frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Complaint",
			"reference_name": ("in", demo.names),
			"comment_type": "Workflow",
		},
		pluck="reference_name",
	)
	assert len(set(walked)) >= 25
	for doctype, (kind, name) in TRACES.items():
		if doctype != "File":
			assert frappe.db.count(doctype, {kind: "Complaint", name: ("in", demo.names)}), doctype
	assert frappe.db.count(
		"Comment",
		{"reference_doctype": "Complaint", "reference_name": ("in", demo.names), "comment_type": "Comment"},
	)


def test_the_workspace_cards_and_charts_show_the_demo(demo):
	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as chart_data

	from kesu_app.kesu_app.dashboard_chart_source.complaints_by_category.complaints_by_category import get

	after = card_values()
	for name, value in after.items():
		assert value > demo.cards_before[name], name
	assert sum(get(chart_name="Complaints by Category")["datasets"][0]["values"])
	trend = chart_data(chart_name="Complaints Monthly Trend", refresh=1)
	assert sum(1 for value in trend["datasets"][0]["values"] if value) >= 10


def test_removing_the_demo_leaves_nothing_of_it(demo):
	from kesu_app.demo import remove_demo
	from kesu_app.demo_walk import INVOICE_REMARK

	names = demo.names
	compensations = frappe.get_all("Compensation", filters={"complaint": ("in", names)}, pluck="name")
	follow_ups = frappe.get_all("Follow-up", filters={"complaint": ("in", names)}, pluck="name")
	erpnext = {
		doctype: frappe.get_all(doctype, filters={"kesu_compensation": ("in", compensations)}, pluck="name")
		for doctype in ("Sales Invoice", "Journal Entry", "Sales Order", "Coupon Code")
	}
	invoices = frappe.get_all("Sales Invoice", filters={"remarks": INVOICE_REMARK}, pluck="name")
	made = {
		"Complaint": names,
		"Compensation": compensations,
		"Follow-up": follow_ups,
		**erpnext,
		"Sales Invoice": erpnext["Sales Invoice"] + invoices,
		"Major Complaint Report": frappe.get_all(
			"Major Complaint Report", filters={"complaint": ("in", names)}, pluck="name"
		),
		"Accountability Outcome": frappe.get_all(
			"Accountability Outcome", filters={"complaint": ("in", names)}, pluck="name"
		),
	}
	assert all(made.values()), {doctype: len(found) for doctype, found in made.items()}
	assert frappe.db.count("ToDo", {"reference_type": "Follow-up", "reference_name": ("in", follow_ups)})
	assert frappe.db.count(
		"File", {"attached_to_doctype": "Compensation", "attached_to_name": ("in", compensations)}
	)
	# as on a bench command: Frappe queues the removal of traces for a worker (a test runs it inline)
	set_in_test(False)
	try:
		assert remove_demo() == len(names)
		frappe.db.commit()
		assert remove_demo() == 0  # and again, with nothing left to remove
	finally:
		set_in_test(True)
	for doctype, found in made.items():
		assert not frappe.db.count(doctype, {"name": ("in", found)}), doctype
		for trace, (kind, name) in TRACES.items():
			assert not frappe.db.count(trace, {kind: doctype, name: ("in", found)}), (doctype, trace)
		assert not frappe.db.count(
			"Deleted Document", {"deleted_doctype": doctype, "deleted_name": ("in", found)}
		)
	for ledger in ("GL Entry", "Payment Ledger Entry"):
		assert not frappe.db.count(ledger, {"voucher_type": "Sales Invoice", "voucher_no": ("in", invoices)})
	assert not frappe.db.count("Compensation Approval", {"parent": ("in", compensations)})
	# nor its staff, who would be handed the site's own escalations
	from kesu_app.demo_walk import STAFF

	assert not frappe.get_all("User", filters={"name": ("in", [email for email, *_ in STAFF.values()])})
	assert not frappe.db.count("Complaint Escalation", {"parent": ("in", names)})
