"""Category and quarterly analysis against figures counted by hand from a known seed, the
permissions on their rows, and empty periods."""

from __future__ import annotations

import json

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.permissions import add_user_permission  # noqa: E402
from frappe.utils import formatdate, getdate, today  # noqa: E402

from kesu_app.kesu_app.report.complaint_category_analysis import complaint_category_analysis as category  # noqa: E402
from kesu_app.kesu_app.report.quarterly_complaint_analysis import quarterly_complaint_analysis as quarterly  # noqa: E402
from kesu_app.rules.quarters import quarter_bounds, quarter_of  # noqa: E402
from tests.integration.factories import complaint, make_user  # noqa: E402

PERIOD = {"from_date": "2024-01-01", "to_date": "2024-06-30"}

# (received, category, branch, customer, substantiated, hours to resolve, ack met, reopened)
SEED = [
	(
		"2024-01-10 10:00:00",
		"Privacy",
		"A",
		"_Kesu Customer A",
		"Substantiated",
		10,
		"2024-01-10 11:00:00",
		0,
	),
	(
		"2024-02-10 10:00:00",
		"Privacy",
		"B",
		"_Kesu Customer A",
		"Not Substantiated",
		20,
		"2024-02-12 10:00:00",
		1,
	),
	("2024-03-05 10:00:00", "Other", "A", "_Kesu Customer B", "Undetermined", None, None, 0),
	("2024-05-05 10:00:00", "Other", "A", "_Kesu Customer B", "Undetermined", 8, "2024-05-05 12:00:00", 0),
]


@pytest.fixture
def seeded(masters, calendar):
	branches = {"A": masters["branch_a"], "B": masters["branch_b"]}
	names = []
	for received, cat, branch, customer, substantiated, hours, ack_met, reopened in SEED:
		doc = frappe.get_doc(
			complaint(
				masters,
				received_at=received,
				category=cat,
				branch=branches[branch],
				customer=customer,
				sales_invoice=None,
			)
		)
		doc.insert()
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{
				"substantiated": substantiated,
				# unresolved complaints store 0 hours: only resolved ones may count
				"resolution_working_hours": hours or 0,
				"resolution_met_at": received if hours else None,
				"acknowledgement_met_at": ack_met,
				"reopen_count": reopened,
			},
		)
		names.append(doc.name)
	# 300 of compensation approved for the first Privacy complaint, a cancelled one ignored
	for amount, docstatus in ((300, 1), (700, 2)):
		comp = frappe.get_doc(
			{"doctype": "Compensation", "complaint": names[0], "compensation_type": "Other", "amount": amount}
		).insert()
		frappe.db.set_value(
			"Compensation", comp.name, {"docstatus": docstatus, "approved_at": "2024-01-20 10:00:00"}
		)
	follow_up = frappe.get_doc(
		{
			"doctype": "Follow-up",
			"complaint": names[1],
			"follow_up_type": "Satisfaction Survey",
			"scheduled_date": "2024-02-20",
			"outcome": "Satisfied",
			"satisfaction_rating": 0.8,
		}
	).insert()
	frappe.db.set_value("Follow-up", follow_up.name, "done_at", "2024-02-20 10:00:00")
	return {"names": names, "company": masters["company"], **branches}


def by_category(rows):
	return {row["category"]: row for row in rows}


def test_category_figures(seeded):
	_columns, rows, _message, chart, summary = category.execute({**PERIOD, "company": seeded["company"]})
	rows = by_category(rows)
	privacy, other = rows["Privacy"], rows["Other"]
	assert privacy["complaints"] == 2 and other["complaints"] == 2
	assert privacy["share"] == 50.0
	assert privacy["substantiated_share"] == 50.0 and other["substantiated_share"] == 0
	assert privacy["mean_hours"] == 15 and privacy["median_hours"] == 15
	assert other["mean_hours"] == 8 and other["median_hours"] == 8
	# acknowledgement due 24 h after receipt: the first in time, the second two days late
	assert privacy["acknowledgement_compliance"] == 50.0
	assert other["acknowledgement_compliance"] == 50.0
	assert privacy["reopen_rate"] == 50.0 and other["reopen_rate"] == 0
	assert privacy["repeat_complainants"] == 1 and other["repeat_complainants"] == 1
	assert privacy["compensation_cost"] == 300 and other["compensation_cost"] == 0
	assert privacy["satisfaction"] == pytest.approx(4.0) and other["satisfaction"] is None
	assert chart["data"]["datasets"][0]["values"] == [2, 2]
	assert summary[0]["value"] == 4
	# the report's chart says which period it counts (the workspace's counts this year)
	assert chart["title"] == "Complaints by category, {} to {}".format(
		formatdate(PERIOD["from_date"]), formatdate(PERIOD["to_date"])
	)


def test_category_report_honours_branch_permissions(seeded):
	user = make_user("kesu.branch.sup@example.com", ["Complaint Supervisor"])
	add_user_permission("Branch", seeded["A"], user)
	frappe.set_user(user)
	try:
		_columns, rows, *_ = category.execute({**PERIOD, "company": seeded["company"]})
	finally:
		frappe.set_user("Administrator")
	rows = by_category(rows)
	# the Privacy complaint of branch B is not counted for a branch A supervisor
	assert rows["Privacy"]["complaints"] == 1 and rows["Other"]["complaints"] == 2


def test_quarterly_figures_and_last_year(seeded):
	_columns, rows, _message, chart, _summary = quarterly.execute({**PERIOD, "company": seeded["company"]})
	q1, q2 = rows
	assert (q1["quarter"], q2["quarter"]) == ("2024 Q1", "2024 Q2")
	assert q1["new"] == 3 and q2["new"] == 1
	assert q1["new_last_year"] == 0 and q1["acknowledgement_compliance_last_year"] is None
	assert q1["severity_general"] == 3
	assert q1["open_at_end"] == 3 and q2["open_at_end"] == 4
	# a percentage to one decimal, as every report shows one
	assert q1["acknowledgement_compliance"] == 33.3
	assert q1["compensation_cost"] == 300 and q2["compensation_cost"] == 0
	assert q1["satisfaction"] == pytest.approx(4.0)
	assert q1["top_categories"].startswith("Privacy (2)")
	assert chart["data"]["datasets"][0]["values"] == [3, 1]


def test_complaints_per_thousand_invoices_of_the_quarter(seeded):
	year, quarter = quarter_of(getdate(today()))
	start, end = quarter_bounds(year, quarter)
	_columns, rows, *_ = quarterly.execute(
		{"from_date": start, "to_date": today(), "company": seeded["company"]}
	)
	[row] = rows
	invoices = frappe.db.count(
		"Sales Invoice",
		{
			"company": seeded["company"],
			"docstatus": 1,
			"is_return": 0,
			"posting_date": ["between", [start, end]],
		},
	)
	new = frappe.db.count(
		"Complaint",
		{
			"company": seeded["company"],
			"received_at": ["between", [f"{start} 00:00:00", f"{today()} 23:59:59"]],
		},
	)
	assert row["invoices"] == invoices and row["new"] == new
	assert row["per_thousand_invoices"] == pytest.approx(1000.0 * new / invoices)


def test_empty_periods_give_zeros_not_errors(masters, calendar):
	_columns, rows, _message, _chart, summary = quarterly.execute(
		{"from_date": "2019-01-01", "to_date": "2019-03-31"}
	)
	[row] = rows
	assert row["new"] == 0 and row["compensation_cost"] == 0 and row["acknowledgement_compliance"] is None
	# no compensation paid is not a warning
	assert [item["indicator"] for item in summary if item["datatype"] == "Currency"] == ["Gray"]
	_columns, rows, _message, _chart, summary = category.execute(
		{"from_date": "2019-01-01", "to_date": "2019-03-31"}
	)
	assert rows == []
	assert [item["indicator"] for item in summary if item["datatype"] == "Currency"] == ["Gray"]


def test_hotspots_rank_and_pareto(seeded):
	from kesu_app.kesu_app.report.complaint_hotspots import complaint_hotspots as hotspots

	_columns, rows, _message, chart, _summary = hotspots.execute(
		{**PERIOD, "company": seeded["company"], "based_on": "Branch"}
	)
	assert [(row["value"], row["complaints"]) for row in rows] == [(seeded["A"], 3), (seeded["B"], 1)]
	assert (
		rows[0]["share"] == 75.0
		and rows[0]["cumulative_share"] == 75.0
		and rows[1]["cumulative_share"] == 100.0
	)
	# the Pareto chart: shares as bars, the running share as a line over them
	assert chart["type"] == "axis-mixed"
	bars, line = chart["data"]["datasets"]
	assert (bars["chartType"], bars["values"]) == ("bar", [75.0, 25.0])
	assert (line["chartType"], line["values"]) == ("line", [75.0, 100.0])
	with pytest.raises(frappe.ValidationError):
		hotspots.execute({**PERIOD, "based_on": "Weather"})


def test_overdue_complaints_name_the_earliest_late_stage(seeded):
	from datetime import datetime

	from kesu_app.kesu_app.report.overdue_complaints import overdue_complaints as overdue

	frappe.db.set_value("Complaint", seeded["names"][3], "status", "Closed")
	rows = overdue.overdue_rows(frappe._dict(company=seeded["company"]), datetime(2024, 7, 1))
	ours = {row["complaint"]: row for row in rows if row["complaint"] in seeded["names"]}
	assert set(ours) == set(seeded["names"][:3])  # the closed one is not overdue work
	# never acknowledged: acknowledgement, due a day after receipt
	assert ours[seeded["names"][2]]["stage"] == "Acknowledgement"
	assert str(ours[seeded["names"][2]]["due"]) == "2024-03-06 10:00:00"
	# acknowledged in time, never investigated
	assert ours[seeded["names"][0]]["stage"] == "Investigation"
	assert [row["complaint"] for row in rows if row["complaint"] in ours] == seeded["names"][:3]


def test_the_overdue_card_counts_what_the_report_lists(seeded):
	from kesu_app.kesu_app.report.overdue_complaints import overdue_complaints as overdue
	from tests.integration.factories import SUPERVISOR

	frappe.set_user(SUPERVISOR)
	try:
		card = overdue.overdue_count("[]")
		rows = overdue.execute({})[1]
	finally:
		frappe.set_user("Administrator")
	assert card["value"] == len(rows) and card["route"] == ["query-report", "Overdue Complaints"]
	assert {seeded["names"][0], seeded["names"][2]} <= {row["complaint"] for row in rows}
	frappe.set_user("Guest")
	try:
		with pytest.raises(frappe.PermissionError):
			overdue.overdue_count()
	finally:
		frappe.set_user("Administrator")


def test_compensation_register_counts_only_approved_compensation(seeded):
	from kesu_app.kesu_app.report.compensation_register import compensation_register as register

	_columns, rows = register.execute({**PERIOD, "company": seeded["company"]})
	assert [(row["complaint"], row["base_amount"]) for row in rows] == [(seeded["names"][0], 300)]
	_columns, grouped, _message, _chart = register.execute(
		{**PERIOD, "company": seeded["company"], "group_by": "Type"}
	)
	assert [(row["label"], row["cost"]) for row in grouped] == [("Other", 300)]


def test_compensation_register_opens_for_a_supervisor_with_the_erpnext_document(seeded):
	"""Through the desk's report runner, which checks the doctypes its columns link to: a
	supervisor may not read DocType, so the document type column must not link to it."""
	from frappe.desk.query_report import run

	from tests.integration.factories import SUPERVISOR

	compensation = frappe.get_all("Compensation", filters={"complaint": seeded["names"][0], "docstatus": 1})[
		0
	]
	frappe.db.set_value(
		"Compensation",
		compensation.name,
		{"erpnext_doctype": "Journal Entry", "erpnext_document": "ACC-JV-2024-00001"},
	)
	frappe.set_user(SUPERVISOR)
	try:
		result = run("Compensation Register", filters={**PERIOD, "company": seeded["company"]})
	finally:
		frappe.set_user("Administrator")
	assert [(row["compensation"], row["erpnext_doctype"]) for row in result["result"]] == [
		(compensation.name, "Journal Entry")
	]


def test_report_rows_shown_as_text_read_in_chinese(seeded):
	"""Values a report shows as plain text are translated in the app's sense: an open complaint
	is 待处理 (Frappe's bare word is 开), a general one 一般, the front desk 前台."""
	from datetime import datetime

	from kesu_app.kesu_app.report.compensation_register import compensation_register as register
	from kesu_app.kesu_app.report.overdue_complaints import overdue_complaints as overdue

	frappe.db.set_value("Complaint", seeded["names"][2], "status", "Open")
	frappe.local.lang = "zh"
	try:
		rows = overdue.overdue_rows(frappe._dict(company=seeded["company"]), datetime(2024, 7, 1))
		_columns, compensations = register.execute({**PERIOD, "company": seeded["company"]})
	finally:
		frappe.local.lang = "en"
	row = next(row for row in rows if row["complaint"] == seeded["names"][2])
	assert (row["status"], row["severity"], row["stage"]) == ("待处理", "一般", "受理确认")
	assert row["current_tier"] == _zh("Front Desk")
	assert [row["compensation_type"] for row in compensations] == [_zh("Other", "Compensation")]


def test_report_labels_read_as_the_forms_do_in_chinese(seeded):
	"""Column labels take the app's sense of a word (a share of complaints is 占比, not Frappe's
	共享 of a document), and hotspots by category show the categories' Chinese names."""
	from kesu_app.kesu_app.report.complaint_hotspots import complaint_hotspots as hotspots

	frappe.local.lang = "zh"
	try:
		category_columns = category.columns()
		quarterly_columns = quarterly.execute({**PERIOD, "company": seeded["company"]})[0]
		_columns, rows, *_ = hotspots.execute(
			{**PERIOD, "company": seeded["company"], "based_on": "Category"}
		)
		hotspot_columns = hotspots.columns("Branch")
	finally:
		frappe.local.lang = "en"
	label = {c["fieldname"]: c["label"] for c in [*category_columns, *quarterly_columns, *hotspot_columns]}
	assert label["share"] == "占比" and label["new"] == "新投诉" and label["closed"] == "已结案"
	assert label["quarter"] == "季度" and label["value"] == "院区"
	assert {row["label"] for row in rows} == {_zh("Privacy"), _zh("Other")}


def _zh(text: str, context: str | None = None) -> str:
	from frappe import _

	translated = _(text, lang="zh", context=context)
	assert translated != text, f"{text} has no Chinese"
	return translated


def test_category_level_rolls_figures_up_the_tree(seeded, masters):
	for name, parent, is_group in (
		("_Kesu Clinical", "All Complaint Categories", 1),
		("_Kesu Wound Care", "_Kesu Clinical", 0),
	):
		if not frappe.db.exists("Complaint Category", name):
			frappe.get_doc(
				{
					"doctype": "Complaint Category",
					"category_name": name,
					"parent_complaint_category": parent,
					"is_group": is_group,
				}
			).insert()
	frappe.get_doc(
		complaint(masters, received_at="2024-04-01 10:00:00", category="_Kesu Wound Care", sales_invoice=None)
	).insert()
	filters = {**PERIOD, "company": seeded["company"]}
	_columns, leaves, *_ = category.execute(filters)
	_columns, level_one, *_ = category.execute({**filters, "category_level": 1})
	assert by_category(leaves)["_Kesu Wound Care"]["complaints"] == 1
	rolled = by_category(level_one)
	assert "_Kesu Wound Care" not in rolled and rolled["_Kesu Clinical"]["complaints"] == 1
	assert rolled["Privacy"]["complaints"] == 2


# two category names with the same CRC32 (found by search): the report must not merge them
TWINS = ("_Kesu Collide 599998", "_Kesu Collide 29004644")


def test_categories_sharing_a_crc32_keep_their_own_figures(masters, calendar):
	assert frappe.db.sql("select crc32(%s) = crc32(%s)", TWINS)[0][0] == 1
	for name in TWINS:
		if not frappe.db.exists("Complaint Category", name):
			frappe.get_doc(
				{
					"doctype": "Complaint Category",
					"category_name": name,
					"parent_complaint_category": "All Complaint Categories",
				}
			).insert()
	# the first twin: one customer twice, resolved in 10 and 20 hours; the second: once, in 8
	for cat, customer, hours in (
		(TWINS[0], masters["customer_a"], 10),
		(TWINS[0], masters["customer_a"], 20),
		(TWINS[1], masters["customer_b"], 8),
	):
		doc = frappe.get_doc(
			complaint(
				masters,
				received_at="2024-03-01 10:00:00",
				category=cat,
				customer=customer,
				sales_invoice=None,
			)
		).insert()
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{"resolution_working_hours": hours, "resolution_met_at": "2024-03-02 10:00:00"},
		)
	_columns, rows, *_ = category.execute({**PERIOD, "company": masters["company"]})
	rows = by_category(rows)
	first, second = rows[TWINS[0]], rows[TWINS[1]]
	assert (first["complaints"], first["median_hours"], first["repeat_complainants"]) == (2, 15, 1)
	assert (second["complaints"], second["median_hours"], second["repeat_complainants"]) == (1, 8, 0)


def test_the_workspace_category_chart_counts_this_years_complaints_in_chinese(masters, calendar):
	from kesu_app.kesu_app.dashboard_chart_source.complaints_by_category.complaints_by_category import get

	this_year = f"{getdate(today()).year}-01-02 10:00:00"
	for name in ("Service Attitude", "Service Attitude", "Price and Billing"):
		frappe.get_doc(complaint(masters, category=name, received_at=this_year)).insert()
	# counted independently: every complaint received this year, by category
	counts = dict(
		frappe.db.sql(
			"""select ifnull(category, ''), count(*) from `tabComplaint`
			where received_at >= %s group by category""",
			f"{getdate(today()).year}-01-01",
		)
	)
	expected = {(_zh(name) if name else "未分类"): count for name, count in counts.items()}
	frappe.local.lang = "zh"
	try:
		data = get(chart_name="Complaints by Category")
	finally:
		frappe.local.lang = "en"
	shown = dict(zip(data["labels"], data["datasets"][0]["values"], strict=True))
	# the ten largest (which of equal counts make the tenth place is the database's choice)
	assert len(shown) == min(10, len(expected))
	assert all(expected.get(label) == count for label, count in shown.items()), (shown, expected)
	assert min(shown.values()) >= sorted(expected.values(), reverse=True)[len(shown) - 1]
	assert shown[_zh("Service Attitude")] >= 2 and "Service Attitude" not in shown


def test_the_workspace_shows_the_categories_whole_in_a_block_of_the_apps(masters, calendar):
	"""A chart's axis cuts a long name ("Environment and Facilities"); the workspace's block
	lists each category whole, with the same counts as the chart, as the reader may see them."""
	from kesu_app.kesu_app.dashboard_chart_source.complaints_by_category.complaints_by_category import (
		category_counts,
		get,
	)
	from kesu_app.rules.defaults import CATEGORY_BLOCK

	workspace = frappe.get_doc("Workspace", "Complaints")
	blocks = [block for block in json.loads(workspace.content) if block["type"] == "custom_block"]
	assert [block["data"]["custom_block_name"] for block in blocks] == [CATEGORY_BLOCK["name"]]
	block = frappe.get_doc("Custom HTML Block", CATEGORY_BLOCK["name"])
	assert "kesu_app.render_category_block" in block.script

	this_year = f"{getdate(today()).year}-01-02 10:00:00"
	frappe.get_doc(complaint(masters, category="Environment and Facilities", received_at=this_year)).insert()
	rows = category_counts("this year")
	assert "Environment and Facilities" in [row.label for row in rows]
	chart = get(chart_name="Complaints by Category")
	assert [row.count for row in rows] == chart["datasets"][0]["values"]
	with pytest.raises(frappe.ValidationError):
		category_counts("since the dawn of time")
	frappe.set_user("Guest")
	try:
		with pytest.raises(frappe.PermissionError):
			category_counts("this year")
	finally:
		frappe.set_user("Administrator")
