# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import now_datetime

from kesu_app.analysis import scoped_where
from kesu_app.rules.time_limits import STAGE_KEYS
from kesu_app.time_limits import stage_label

OPEN = ("Resolved", "Closed", "Rejected")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = overdue_rows(filters, now_datetime())
	return columns(), rows


@frappe.whitelist()
def overdue_count(filters=None) -> dict:
	"""The workspace's Overdue Complaints card: this report's rows, counted in the database, so
	the card and the report it opens never disagree."""
	frappe.has_permission("Complaint", "read", throw=True)
	filters = frappe.parse_json(filters) or {}
	where, params = overdue_where(frappe._dict(filters if isinstance(filters, dict) else {}), now_datetime())
	count = frappe.db.sql(f"select count(*) from `tabComplaint` c where {where}", params)[0][0]
	return {"value": count, "fieldtype": "Int", "route": ["query-report", "Overdue Complaints"]}


def overdue_where(filters, now) -> tuple[str, dict]:
	"""Open, unpaused complaints with a stage past its due time and not met, as the user may see."""
	overdue = " or ".join(f"(c.{stage}_met_at is null and c.{stage}_due < %(now)s)" for stage in STAGE_KEYS)
	params = {"now": now, "closed": OPEN}
	clauses = ["c.status not in %(closed)s", "c.clock_paused = 0", f"({overdue})"]
	fields = ("company", "branch", "current_tier", "severity", "handler", "third_party_body")
	return scoped_where(clauses, params, filters, fields), params


def overdue_rows(filters, now) -> list[dict]:
	"""The overdue complaints, the most overdue first: the database selects them; only the
	overdue rows come back to name their stage."""
	where, params = overdue_where(filters, now)
	stage_columns = ", ".join(f"c.{stage}_due, c.{stage}_met_at" for stage in STAGE_KEYS)
	rows = frappe.db.sql(
		f"""select c.name as complaint, c.subject, c.customer_name, c.severity, c.status,
			c.current_tier, c.handler, c.branch, {stage_columns}
		from `tabComplaint` c where {where}""",
		params,
		as_dict=True,
	)
	for row in rows:
		late = [
			(row[f"{stage}_due"], stage)
			for stage in STAGE_KEYS
			if row[f"{stage}_due"] and not row[f"{stage}_met_at"] and row[f"{stage}_due"] < now
		]
		row.due, stage = min(late)
		row.stage = stage_label(stage)
		# shown as text: translated here, in the complaint's sense (Open: 待处理, not 开)
		for field in ("severity", "current_tier", "status"):
			row[field] = _(row[field], context="Complaint") if row[field] else row[field]
		row.overdue_hours = (now - row.due).total_seconds() / 3600
	rows.sort(key=lambda row: row.due)
	return rows


def columns():
	return [
		{
			"fieldname": "complaint",
			"label": _("Complaint"),
			"fieldtype": "Link",
			"options": "Complaint",
			"width": 150,
		},
		{"fieldname": "subject", "label": _("Subject"), "fieldtype": "Data", "width": 200},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 130},
		{"fieldname": "severity", "label": _("Severity"), "fieldtype": "Data", "width": 90},
		{"fieldname": "stage", "label": _("Overdue Stage"), "fieldtype": "Data", "width": 130},
		{"fieldname": "due", "label": _("Due"), "fieldtype": "Datetime", "width": 160},
		{
			"fieldname": "overdue_hours",
			"label": _("Hours Overdue"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{"fieldname": "current_tier", "label": _("Current Tier"), "fieldtype": "Data", "width": 130},
		{"fieldname": "handler", "label": _("Handler"), "fieldtype": "Link", "options": "User", "width": 170},
		{
			"fieldname": "branch",
			"label": _("Branch", context="Complaint"),
			"fieldtype": "Link",
			"options": "Branch",
			"width": 120,
		},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 110},
	]
