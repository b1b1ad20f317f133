# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

import frappe
from frappe import _

from kesu_app.analysis import complaint_conditions, require_period
from kesu_app.rules.stats import PERCENT_DECIMALS, percent

# where complaints cluster: the dimension and how its value is labelled
DIMENSIONS = {
	"Practitioner": ("c.practitioner", "c.practitioner_name", "Employee"),
	"Service": ("c.item", "c.item_name", "Item"),
	"Branch": ("c.branch", "c.branch", "Branch"),
	"Category": ("c.category", "c.category", "Complaint Category"),
	"Root Cause": ("c.root_cause", "c.root_cause", "Complaint Root Cause"),
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require_period(filters)
	dimension = filters.get("based_on") or "Practitioner"
	if dimension not in DIMENSIONS:
		frappe.throw(_("Hotspots are by practitioner, service, branch, category or root cause."))
	rows = hotspot_rows(filters, dimension)
	return columns(dimension), rows, None, chart(rows), None


def hotspot_rows(filters, dimension: str) -> list[dict]:
	"""Complaints per value of the dimension, most first, with the cumulative share (Pareto)."""
	key, label, _doctype = DIMENSIONS[dimension]
	where, params = complaint_conditions(filters)
	rows = frappe.db.sql(
		f"""select {key} as value, max({label}) as label, count(*) as complaints,
			sum(c.substantiated = 'Substantiated') as substantiated,
			sum(c.severity = 'Urgent') as urgent
		from `tabComplaint` c where {where} and {key} is not null and {key} != ''
		group by {key} order by complaints desc, value""",
		params,
		as_dict=True,
	)
	total = sum(row.complaints for row in rows) or 1
	running = 0
	for row in rows:
		running += row.complaints
		row.share = percent(row.complaints, total)
		row.cumulative_share = percent(running, total)
		row.vital_few = 1 if running - row.complaints < 0.8 * total else 0
		if dimension in ("Category", "Root Cause"):
			row.label = _(row.label)  # the shipped categories are named in English, shown translated
	return rows


def columns(dimension: str):
	_key, _label, doctype = DIMENSIONS[dimension]
	return [
		{
			"fieldname": "value",
			"label": _(dimension, context="Complaint"),
			"fieldtype": "Link",
			"options": doctype,
			"width": 180,
		},
		{"fieldname": "label", "label": _("Name"), "fieldtype": "Data", "width": 180},
		{"fieldname": "complaints", "label": _("Complaints"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "share",
			"label": _("Share", context="Complaint"),
			"fieldtype": "Percent",
			"precision": PERCENT_DECIMALS,
			"width": 100,
		},
		{
			"fieldname": "cumulative_share",
			"label": _("Cumulative Share"),
			"fieldtype": "Percent",
			"precision": PERCENT_DECIMALS,
			"width": 120,
		},
		{"fieldname": "substantiated", "label": _("Substantiated"), "fieldtype": "Int", "width": 110},
		{"fieldname": "urgent", "label": _("Urgent"), "fieldtype": "Int", "width": 90},
		{"fieldname": "vital_few", "label": _("Among the Causes of 80%"), "fieldtype": "Check", "width": 120},
	]


def chart(rows):
	"""A Pareto chart: each value's share as a bar, the running share as a line over them. Both
	are percentages, so they share Frappe's one y axis (a count would dwarf or be dwarfed)."""
	top = rows[:15]
	return {
		"data": {
			"labels": [row.label or row.value for row in top],
			"datasets": [
				{
					"name": _("Share", context="Complaint"),
					"chartType": "bar",
					"values": [row.share for row in top],
				},
				{
					"name": _("Cumulative Share"),
					"chartType": "line",
					"values": [row.cumulative_share for row in top],
				},
			],
		},
		"type": "axis-mixed",
		"fieldtype": "Percent",
		"colors": ["#5e64ff", "#ff5858"],
	}
