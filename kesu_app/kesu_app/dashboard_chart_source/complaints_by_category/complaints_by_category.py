# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

import frappe
from frappe import _

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
	period = filters.get("period") or "this year"
	if period not in PERIODS:
		frappe.throw(_("Choose a period: {0}.").format(", ".join(_(p) for p in PERIODS)))
	conditions = [["Complaint", "received_at", "Timespan", period]]
	if filters.get("company"):
		conditions.append(["Complaint", "company", "=", filters.company])
	rows = frappe.get_list(
		"Complaint",
		fields=["category", "count(*) as count"],
		filters=conditions,
		group_by="category",
		order_by="count desc",
		limit_page_length=TOP,
	)
	return {
		"labels": [_(row.category) if row.category else _("Uncategorised") for row in rows],
		"datasets": [{"name": _("Complaints"), "values": [row.count for row in rows]}],
	}
