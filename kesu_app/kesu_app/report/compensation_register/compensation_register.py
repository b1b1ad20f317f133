# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from kesu_app.analysis import require_period, scoped_where

GROUPS = {"Type": "cp.compensation_type", "Category": "cp.category", "Branch": "cp.branch"}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require_period(filters)
	where, params = conditions(filters)
	group = filters.get("group_by")
	if group:
		if group not in GROUPS:
			frappe.throw(_("Group compensation by type, category or branch."))
		rows = frappe.db.sql(
			f"""select {GROUPS[group]} as label, count(*) as compensations, sum(cp.base_amount) as cost
			from `tabCompensation` cp where {where} group by {GROUPS[group]} order by cost desc""",
			params,
			as_dict=True,
		)
		if group != "Branch":
			# shown as text: a type or category in the user's language
			for row in rows:
				row.label = _(row.label, context="Compensation") if row.label else row.label
		return grouped_columns(group), rows, None, chart(rows)
	rows = frappe.db.sql(
		f"""select cp.name as compensation, cp.complaint, cp.customer_name, cp.compensation_type,
			cp.category, cp.branch, cp.base_amount, cp.approved_by, cp.approved_at, cp.settlement_signed,
			cp.erpnext_doctype, cp.erpnext_document
		from `tabCompensation` cp where {where} order by cp.approved_at""",
		params,
		as_dict=True,
	)
	for row in rows:
		row.compensation_type = _(row.compensation_type, context="Compensation")
	return detail_columns(), rows


def conditions(filters) -> tuple[str, dict]:
	"""Approved (submitted) compensation in the period; cancelled ones are not a cost."""
	params = {"from_date": getdate(filters.from_date), "to_date": add_days(getdate(filters.to_date), 1)}
	clauses = ["cp.docstatus = 1", "cp.approved_at >= %(from_date)s", "cp.approved_at < %(to_date)s"]
	if filters.get("third_party_body"):
		# what was paid on complaints a regulator or an association passed on
		clauses.append(
			"cp.complaint in (select c.name from `tabComplaint` c where c.third_party_body = %(third_party_body)s)"
		)
		params["third_party_body"] = filters.third_party_body
	fields = ("company", "branch", "compensation_type")
	return scoped_where(clauses, params, filters, fields, doctype="Compensation", alias="cp"), params


def detail_columns():
	return [
		{
			"fieldname": "compensation",
			"label": _("Compensation"),
			"fieldtype": "Link",
			"options": "Compensation",
			"width": 150,
		},
		{
			"fieldname": "complaint",
			"label": _("Complaint"),
			"fieldtype": "Link",
			"options": "Complaint",
			"width": 150,
		},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 130},
		{"fieldname": "compensation_type", "label": _("Type"), "fieldtype": "Data", "width": 150},
		{
			"fieldname": "category",
			"label": _("Category"),
			"fieldtype": "Link",
			"options": "Complaint Category",
			"width": 140,
		},
		{
			"fieldname": "branch",
			"label": _("Branch", context="Complaint"),
			"fieldtype": "Link",
			"options": "Branch",
			"width": 120,
		},
		{
			"fieldname": "base_amount",
			"label": _("Amount (Company Currency)"),
			"fieldtype": "Currency",
			"width": 130,
		},
		{
			"fieldname": "approved_by",
			"label": _("Approved By"),
			"fieldtype": "Link",
			"options": "User",
			"width": 150,
		},
		{"fieldname": "approved_at", "label": _("Approved At"), "fieldtype": "Datetime", "width": 150},
		{
			"fieldname": "settlement_signed",
			"label": _("Signed by the Customer"),
			"fieldtype": "Check",
			"width": 100,
		},
		{
			# Data, not a Link to DocType: Frappe checks read permission on every doctype a report
			# column links to, and only System Managers may read DocType
			"fieldname": "erpnext_doctype",
			"label": _("ERPNext Document Type"),
			"fieldtype": "Data",
			"width": 130,
		},
		{
			"fieldname": "erpnext_document",
			"label": _("ERPNext Document"),
			"fieldtype": "Dynamic Link",
			"options": "erpnext_doctype",
			"width": 150,
		},
	]


def grouped_columns(group):
	# named as the Group Compensation By filter names them
	label = {
		"Type": _("Compensation Type"),
		"Category": _("Complaint Category"),
		"Branch": _("Branch", context="Compensation"),
	}[group]
	return [
		{"fieldname": "label", "label": label, "fieldtype": "Data", "width": 200},
		{"fieldname": "compensations", "label": _("Compensation"), "fieldtype": "Int", "width": 120},
		{"fieldname": "cost", "label": _("Compensation Cost"), "fieldtype": "Currency", "width": 150},
	]


def chart(rows):
	return {
		"data": {
			"labels": [row.label or "-" for row in rows],
			"datasets": [{"name": _("Compensation Cost"), "values": [row.cost for row in rows]}],
		},
		"type": "bar",
	}
