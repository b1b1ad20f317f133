# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt


import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, get_timespan_date_range, getdate

from kesu_app.analysis import permitted_to

PERIODS = ("this month", "this quarter", "this year", "last quarter", "last year")
TOP = 10


@frappe.whitelist()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
):
	"""Complaints per category, counted as Frappe's Group By chart counts (one GROUP BY, the
	user's permissions applied), each category named in the user's language: a Group By chart
	shows the stored names, English in a Chinese desk."""
	if chart_name:
		chart = frappe.get_doc("Dashboard Chart", chart_name)
	else:
		chart = frappe._dict(frappe.parse_json(chart or "{}"))
	filters = frappe._dict(frappe.parse_json(filters) or frappe.parse_json(chart.get("filters_json") or "{}"))
	rows = category_counts(filters.get("period") or "this year", filters.get("company"))
	return {
		"labels": [row.label for row in rows],
		"datasets": [{"name": _("Complaints"), "values": [row.count for row in rows]}],
	}


@frappe.whitelist()
def category_counts(period: str = "this year", company: str | None = None) -> list[dict]:
	"""The categories with the most complaints received in the period, each with its name in the
	user's language; only the complaints the user may read count (the workspace's category block
	and chart)."""
	frappe.has_permission("Complaint", "read", throw=True)
	if period not in PERIODS:
		frappe.throw(_("Choose a period: {0}.").format(", ".join(_(p) for p in PERIODS)))
	start, end = get_timespan_date_range(period)
	complaint = frappe.qb.DocType("Complaint")
	count = Count("*").as_("count")
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.category, count)
		.where(complaint.received_at >= getdate(start))
		.where(complaint.received_at < add_days(getdate(end), 1))
		.groupby(complaint.category)
		.orderby(count, order=frappe.qb.desc)
		.limit(TOP)
	)
	if company:
		query = query.where(complaint.company == company)
	# the user's permissions, as get_list applies them
	rows = permitted_to(query, "Complaint").run(as_dict=True)
	for row in rows:
		row.label = _(row.category) if row.category else _("Uncategorised")
		row["from"], row.to = getdate(start), getdate(end)
	return rows
