"""Complaints on ERPNext's own records: the Connections of a Customer, an Employee, an Item and a
Sales Invoice list their complaints, with counts, and the compensations and follow-ups that
point at them. Each function receives the dashboard ERPNext (and any other app) built and adds
a group to it (``override_doctype_dashboards`` in hooks.py; the same hook in Frappe 15 and 16).

An Employee meets complaints twice: as the practitioner and as the responsible employee. A
dashboard counts one field per doctype, so Connections count the practitioner's; the Employee
form script (public/js/employee_complaints.js) adds the count as responsible employee, from
``responsible_counts`` below.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum

from kesu_app.analysis import permitted_to

COMPLAINTS = "Complaint"


def _add(data, items: list[str], fieldnames: dict[str, str]):
	data = frappe._dict(data or {})
	data.setdefault("transactions", [])
	data.non_standard_fieldnames = {**(data.get("non_standard_fieldnames") or {}), **fieldnames}
	data.transactions = [
		*data.transactions,
		{"label": _("Complaints"), "items": items},
	]
	return data


def customer_dashboard(data):
	return _add(
		data,
		["Complaint", "Compensation", "Follow-up"],
		{"Complaint": "customer", "Compensation": "customer", "Follow-up": "customer"},
	)


def employee_dashboard(data):
	data = _add(data, ["Complaint"], {"Complaint": "practitioner"})
	# ERPNext gives the Employee no dashboard of its own (HRMS does): without a fieldname the
	# form shows the group but asks no counts
	data.fieldname = data.get("fieldname") or "employee"
	return data


def item_dashboard(data):
	return _add(data, ["Complaint", "Compensation"], {"Complaint": "item", "Compensation": "item"})


def sales_invoice_dashboard(data):
	return _add(
		data,
		["Complaint", "Compensation"],
		{"Complaint": "sales_invoice", "Compensation": "sales_invoice"},
	)


@frappe.whitelist()
def responsible_counts(employee: str) -> dict:
	"""How many complaints name this employee as responsible, and how many of them are open (those
	the reader may read, as Connections count)."""
	frappe.get_doc("Employee", employee).check_permission("read")
	if not frappe.has_permission(COMPLAINTS, "read"):
		return {"count": 0, "open_count": 0, "readable": False}
	# counted in the database, with the reader's permissions, as get_list would apply them
	complaint = frappe.qb.DocType(COMPLAINTS)
	query = (
		frappe.qb.from_(complaint)
		.select(
			Count("*"),
			Sum(Case().when(complaint.status.notin(("Closed", "Rejected")), 1).else_(0)),
		)
		.where(complaint.responsible_employee == employee)
	)
	count, open_count = permitted_to(query, COMPLAINTS).run()[0]
	return {"count": int(count or 0), "open_count": int(open_count or 0), "readable": True}
