# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

"""Who answers for substantiated complaints: per employee, department or root cause, the
substantiated complaints, the compensation they cost, the outcomes decided, and how the cases
were handled on time. Each figure is one GROUP BY in the database."""

import frappe
from frappe import _
from frappe.core.doctype.user_permission.user_permission import get_user_permissions

from kesu_app.analysis import complaint_conditions, require_period, stage_compliance_columns
from kesu_app.rules.stats import PERCENT_DECIMALS, percent
from kesu_app.rules.time_limits import STAGE_KEYS

OUTCOMES = (
	("Verbal Warning", "verbal_warning"),
	("Written Warning", "written_warning"),
	("Retraining", "retraining"),
	("Performance Points Deducted", "points_deducted"),
	("Other", "other_outcome"),
)
# per dimension: who a substantiated complaint is held against, whose an outcome is, whose a
# handled case is, and the doctype and name of the row
DIMENSIONS = {
	"Employee": {
		"responsible": "c.responsible_employee",
		"outcome": "o.employee",
		"handled": "he.name",
		"doctype": "Employee",
	},
	"Department": {
		"responsible": "coalesce(c.responsible_department, re.department)",
		"outcome": "o.department",
		"handled": "c.handling_department",
		"doctype": "Department",
	},
	"Root Cause": {
		"responsible": "c.root_cause",
		"outcome": "c.root_cause",
		"handled": "c.root_cause",
		"doctype": "Complaint Root Cause",
	},
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require_period(filters)
	dimension = filters.get("based_on") or "Employee"
	if dimension not in DIMENSIONS:
		frappe.throw(_("Accountability is by employee, department or root cause."))
	rows = accountability_rows(filters, DIMENSIONS[dimension])
	return columns(dimension), rows


def accountability_rows(filters, dimension: dict) -> list[dict]:
	companies = hr_companies()
	scope = None if companies is None else ("c.company in %(hr_companies)s" if companies else "")
	where, params = complaint_conditions(filters, permitted=scope)
	if companies:
		params["hr_companies"] = tuple(companies)
	rows: dict = {}

	def row(key):
		return rows.setdefault(key, frappe._dict(value=key, substantiated=0, compensation=0.0, handled=0))

	held = frappe.db.sql(
		f"""select {dimension["responsible"]} as k, count(*) as substantiated, sum(cp.amount) as compensation
		from `tabComplaint` c
		left join `tabEmployee` re on re.name = c.responsible_employee
		left join (
			select complaint, sum(base_amount) as amount from `tabCompensation`
			where docstatus = 1 and approval_status = 'Approved' group by complaint
		) cp on cp.complaint = c.name
		where {where} and c.substantiated = 'Substantiated'
		group by 1 having k is not null and k != ''""",
		params,
		as_dict=True,
	)
	for found in held:
		row(found.k).update(substantiated=found.substantiated, compensation=float(found.compensation or 0))

	decided = frappe.db.sql(
		f"""select {dimension["outcome"]} as k, o.outcome, count(*) as n, sum(o.points) as points
		from `tabAccountability Outcome` o join `tabComplaint` c on c.name = o.complaint
		where {where} group by 1, 2 having k is not null and k != ''""",
		params,
		as_dict=True,
	)
	fields = dict(OUTCOMES)
	for found in decided:
		target = row(found.k)
		target[fields[found.outcome]] = found.n
		if found.outcome == "Performance Points Deducted":
			target.points = float(found.points or 0)

	handled = frappe.db.sql(
		f"""select {dimension["handled"]} as k, count(*) as handled, {stage_compliance_columns()}
		from `tabComplaint` c left join `tabEmployee` he on he.user_id = c.handler
		where {where} group by 1 having k is not null and k != ''""",
		params,
		as_dict=True,
	)
	for found in handled:
		due = sum(found.get(f"{stage}_due") or 0 for stage in STAGE_KEYS)
		on_time = sum(found.get(f"{stage}_on_time") or 0 for stage in STAGE_KEYS)
		row(found.k).update(handled=found.handled, on_time_rate=percent(on_time, due) if due else None)

	names = label_of(dimension, list(rows))
	result = sorted(rows.values(), key=lambda r: (-r.substantiated, -r.compensation, str(r.value)))
	for found in result:
		found.label = names.get(found.value, found.value)
	return result


def hr_companies() -> list[str] | None:
	"""None for complaint staff, whose permissions on Complaint apply. HR, who read no complaint,
	see the figures (counts and sums per employee, never a complaint) of the companies their User
	Permissions allow: those companies, or an empty list for every company."""
	if frappe.has_permission("Complaint", "read"):
		return None
	frappe.has_permission("Accountability Outcome", "read", throw=True)
	return [
		permission.get("doc")
		for permission in get_user_permissions(frappe.session.user).get("Company", [])
		if permission.get("doc")
	]


def label_of(dimension: dict, keys: list) -> dict:
	if dimension["doctype"] != "Employee" or not keys:
		return {}
	return dict(
		frappe.get_all(
			"Employee", filters={"name": ("in", keys)}, fields=["name", "employee_name"], as_list=True
		)
	)


def columns(dimension: str):
	doctype = DIMENSIONS[dimension]["doctype"]
	return [
		{
			"fieldname": "value",
			"label": _(dimension, context="Complaint"),
			"fieldtype": "Link",
			"options": doctype,
			"width": 160,
		},
		{"fieldname": "label", "label": _("Name"), "fieldtype": "Data", "width": 160},
		{
			"fieldname": "substantiated",
			"label": _("Substantiated Complaints"),
			"fieldtype": "Int",
			"width": 120,
		},
		{
			"fieldname": "compensation",
			"label": _("Compensation Caused"),
			"fieldtype": "Currency",
			"width": 130,
		},
		*[
			{"fieldname": field, "label": _(outcome), "fieldtype": "Int", "width": 110}
			for outcome, field in OUTCOMES
		],
		{
			"fieldname": "points",
			"label": _("Points Deducted"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 100,
		},
		{"fieldname": "handled", "label": _("Cases Handled"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "on_time_rate",
			"label": _("Handled On Time"),
			"fieldtype": "Percent",
			"precision": PERCENT_DECIMALS,
			"width": 120,
		},
	]
