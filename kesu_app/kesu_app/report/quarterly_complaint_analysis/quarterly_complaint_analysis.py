# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import getdate

from kesu_app.analysis import quarterly_figures, require_period
from kesu_app.rules.quarters import quarter_bounds, quarter_label, quarter_of, same_quarter_last_year
from kesu_app.rules.stats import PERCENT_DECIMALS, percent
from kesu_app.rules.time_limits import SEVERITIES, STAGE_KEYS
from kesu_app.time_limits import stage_label

MAX_QUARTERS = 12


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require_period(filters)
	quarters = quarters_between(getdate(filters.from_date), getdate(filters.to_date))
	scope = {
		key: filters.get(key) for key in ("company", "branch", "channel", "severity", "third_party_body")
	}
	# this year's quarters and the same ones a year before, in one pass over the range
	figures = quarterly_figures(quarters + [same_quarter_last_year(*q) for q in quarters], scope)
	rows = [quarter_row(year, quarter, figures, filters) for year, quarter in quarters]
	return columns(), rows, None, chart(rows), summary(rows)


def quarters_between(start, end) -> list[tuple[int, int]]:
	year, quarter = quarter_of(start)
	last = quarter_of(end)
	quarters = []
	while (year, quarter) <= last and len(quarters) < MAX_QUARTERS:
		quarters.append((year, quarter))
		year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
	return quarters


def quarter_row(year: int, quarter: int, all_figures: dict, filters) -> dict:
	start, end = quarter_bounds(year, quarter)
	figures = all_figures[(year, quarter)]
	last_year = all_figures[same_quarter_last_year(year, quarter)]
	invoices = submitted_invoices(start, end, filters.get("company"))
	row = frappe._dict(
		quarter=quarter_label(year, quarter),
		new=figures["new"],
		new_last_year=last_year["new"],
		closed=figures["closed"],
		open_at_end=figures["open_at_end"],
		# flagged at filing by the repeat rules (kesu_app/repeats.py)
		repeats=figures["repeats"],
		top_categories=", ".join(
			f"{_(row.label) if row.label else _('Uncategorised')} ({row.count})"
			for row in figures["by_category"][:3]
		),
		third_party=figures["third_party"],
		major=figures["major"],
		major_complaints=", ".join(major_label(m) for m in figures["major_complaints"]),
		compensation_cost=figures["compensation_cost"],
		satisfaction=figures["satisfaction"],
		invoices=invoices,
		per_thousand_invoices=1000.0 * figures["new"] / invoices if invoices else None,
	)
	for severity in SEVERITIES:
		row[f"severity_{severity.lower()}"] = figures[f"severity_{severity.lower()}"]
	for stage in STAGE_KEYS:
		compliance = figures["compliance"][stage]
		row[f"{stage}_compliance"] = percent(compliance, 1) if compliance is not None else None
		last = last_year["compliance"][stage]
		row[f"{stage}_compliance_last_year"] = percent(last, 1) if last is not None else None
	return row


def major_label(row) -> str:
	"""A major complaint with the state of its special report: CMP-… (MCR-…, approved)."""
	if not row.report:
		return _("{0} (no special report)").format(row.name)
	state = _("approved") if row.report_status == 1 else _("draft")
	return f"{row.name} ({row.report}, {state})"


def submitted_invoices(start, end, company=None) -> int:
	"""The denominator: submitted Sales Invoices (not returns) of the quarter, from ERPNext."""
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(invoice)
		.select(frappe.query_builder.functions.Count("*"))
		.where(
			(invoice.docstatus == 1)
			& (invoice.is_return == 0)
			& (invoice.posting_date >= start)
			& (invoice.posting_date < end)
		)
	)
	if company:
		query = query.where(invoice.company == company)
	return int(query.run()[0][0] or 0)


def columns():
	as_percent = {"fieldtype": "Percent", "precision": PERCENT_DECIMALS, "width": 110}
	return [
		{
			"fieldname": "quarter",
			"label": _("Quarter", context="Complaint"),
			"fieldtype": "Data",
			"width": 90,
		},
		{"fieldname": "new", "label": _("New", context="Complaint"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "new_last_year",
			"label": _("New, Same Quarter Last Year"),
			"fieldtype": "Int",
			"width": 120,
		},
		{"fieldname": "closed", "label": _("Closed", context="Complaint"), "fieldtype": "Int", "width": 80},
		{"fieldname": "open_at_end", "label": _("Open at Quarter End"), "fieldtype": "Int", "width": 110},
		{"fieldname": "repeats", "label": _("Repeat Complaints"), "fieldtype": "Int", "width": 110},
		*[
			{
				"fieldname": f"severity_{severity.lower()}",
				"label": _(severity),
				"fieldtype": "Int",
				"width": 80,
			}
			for severity in SEVERITIES
		],
		{"fieldname": "top_categories", "label": _("Top Categories"), "fieldtype": "Data", "width": 220},
		{"fieldname": "third_party", "label": _("Third-Party Cases"), "fieldtype": "Int", "width": 100},
		{"fieldname": "major", "label": _("Major Complaints"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "major_complaints",
			"label": _("Major Complaints and Their Reports"),
			"fieldtype": "Data",
			"width": 260,
		},
		*[
			column
			for stage in STAGE_KEYS
			for column in (
				{
					"fieldname": f"{stage}_compliance",
					"label": _("{0} On Time").format(stage_label(stage)),
					**as_percent,
				},
				{
					"fieldname": f"{stage}_compliance_last_year",
					"label": _("{0} On Time, Last Year").format(stage_label(stage)),
					**as_percent,
				},
			)
		],
		{
			"fieldname": "compensation_cost",
			"label": _("Compensation Cost"),
			"fieldtype": "Currency",
			"width": 130,
		},
		{
			"fieldname": "satisfaction",
			"label": _("Mean Satisfaction (1-5)"),
			"fieldtype": "Float",
			"width": 120,
		},
		{"fieldname": "invoices", "label": _("Submitted Sales Invoices"), "fieldtype": "Int", "width": 120},
		{
			"fieldname": "per_thousand_invoices",
			"label": _("Complaints per 1,000 Invoices"),
			"fieldtype": "Float",
			"width": 130,
		},
	]


def chart(rows):
	return {
		"data": {
			"labels": [row.quarter for row in rows],
			"datasets": [
				{"name": _("New", context="Complaint"), "values": [row.new for row in rows]},
				{"name": _("New, Same Quarter Last Year"), "values": [row.new_last_year for row in rows]},
			],
		},
		"type": "line",
	}


def summary(rows):
	cost = sum(row.compensation_cost for row in rows)
	return [
		{
			"value": sum(row.new for row in rows),
			"label": _("New", context="Complaint"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{
			"value": sum(row.closed for row in rows),
			"label": _("Closed", context="Complaint"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": cost,
			"label": _("Compensation Cost"),
			"datatype": "Currency",
			# red is a warning: none paid is nothing to warn of
			"indicator": "Red" if cost else "Gray",
		},
	]
