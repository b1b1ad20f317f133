# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import formatdate

from kesu_app.analysis import category_figures, require_period
from kesu_app.rules.stats import PERCENT_DECIMALS, percent
from kesu_app.rules.time_limits import STAGE_KEYS
from kesu_app.time_limits import stage_label


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require_period(filters)
	rows = category_figures(filters)
	return columns(filters), rows, None, chart(rows, filters), summary(rows)


def columns(filters=None):
	as_percent = {"fieldtype": "Percent", "precision": PERCENT_DECIMALS, "width": 110}
	by_root_cause = (filters or {}).get("based_on") == "Root Cause"
	return [
		{
			# the row's key is named category either way (kesu_app.analysis.category_figures)
			"fieldname": "category",
			"label": _("Root Cause") if by_root_cause else _("Category"),
			"fieldtype": "Link",
			"options": "Complaint Root Cause" if by_root_cause else "Complaint Category",
			"width": 180,
		},
		{"fieldname": "complaints", "label": _("Complaints"), "fieldtype": "Int", "width": 100},
		{"fieldname": "share", "label": _("Share", context="Complaint"), **as_percent},
		{"fieldname": "substantiated_share", "label": _("Substantiated"), **as_percent},
		{
			"fieldname": "median_hours",
			"label": _("Median Working Hours to Resolve"),
			"fieldtype": "Float",
			"width": 150,
		},
		{
			"fieldname": "mean_hours",
			"label": _("Mean Working Hours to Resolve"),
			"fieldtype": "Float",
			"width": 150,
		},
		*[
			{
				"fieldname": f"{stage}_compliance",
				"label": _("{0} On Time").format(stage_label(stage)),
				**as_percent,
			}
			for stage in STAGE_KEYS
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
			"width": 130,
		},
		{"fieldname": "reopen_rate", "label": _("Reopen Rate"), **as_percent},
		{
			"fieldname": "repeat_complainants",
			"label": _("Repeat Complainants"),
			"fieldtype": "Int",
			"width": 130,
		},
		{
			"fieldname": "repeat_complaints",
			"label": _("Repeat Complaints"),
			"fieldtype": "Int",
			"width": 130,
		},
	]


def chart(rows, filters):
	return {
		# the workspace's category chart counts a fixed period: this one says which it counts
		"title": (
			_("Complaints by root cause, {0} to {1}")
			if filters.get("based_on") == "Root Cause"
			else _("Complaints by category, {0} to {1}")
		).format(formatdate(filters.from_date), formatdate(filters.to_date)),
		"data": {
			"labels": [_(row.category) if row.category else _("Uncategorised") for row in rows],
			"datasets": [{"name": _("Complaints"), "values": [row.complaints for row in rows]}],
		},
		"type": "bar",
	}


def summary(rows):
	total = sum(row.complaints for row in rows)
	substantiated = sum(row.substantiated or 0 for row in rows)
	cost = sum(row.compensation_cost for row in rows)
	return [
		{"value": total, "label": _("Complaints"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": percent(substantiated, total) or 0,
			"label": _("Substantiated"),
			"datatype": "Percent",
			"indicator": "Orange",
		},
		{
			"value": cost,
			"label": _("Compensation Cost"),
			"datatype": "Currency",
			# red is a warning: none paid is nothing to warn of
			"indicator": "Red" if cost else "Gray",
		},
	]
