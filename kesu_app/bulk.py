"""Frappe records written set-based, for jobs that change hundreds of documents in one run.

A row is written as Frappe's insert would write it (a hash name, owner, timestamps, docstatus,
the doctype's defaults), one INSERT per table and batch; changes to existing rows are one
UPDATE per field and batch. Neither loads nor saves a document.
"""

from __future__ import annotations

from collections.abc import Iterable

import frappe
from frappe.query_builder import Case, DocType
from frappe.utils import now_datetime

STANDARD = ("name", "owner", "creation", "modified", "modified_by", "docstatus", "idx")


def insert(doctype: str, rows: Iterable[dict]) -> list[str]:
	"""Insert ``rows`` of ``doctype``; returns their names."""
	rows = list(rows)
	if not rows:
		return []
	now, user = now_datetime(), frappe.session.user
	base = {**_defaults(doctype), "owner": user, "modified_by": user, "creation": now, "modified": now}
	full = [{**base, "docstatus": 0, "idx": 0, **row} for row in rows]
	for row in full:
		row.setdefault("name", frappe.generate_hash(length=10))
	fields = sorted(set().union(*full), key=lambda f: (f not in STANDARD, f))
	frappe.db.bulk_insert(doctype, fields, [[row.get(f) for f in fields] for row in full])
	return [row["name"] for row in full]


def _defaults(doctype: str) -> dict:
	"""What a new document of ``doctype`` holds before anyone sets a value (its fields'
	defaults, today for a Date defaulting to Today), as Frappe fills it on insert."""
	meta = frappe.get_meta(doctype)
	new = frappe.new_doc(doctype)
	return {
		df.fieldname: new.get(df.fieldname)
		for df in meta.fields
		if df.fieldtype not in frappe.model.no_value_fields
		and df.fieldtype not in frappe.model.table_fields
		and new.get(df.fieldname) not in (None, "")
	}


def update(doctype: str, changes: dict[str, dict]) -> None:
	"""Set on each named row its own values: ``{name: {field: value}}``, one statement per field."""
	changes = {name: values for name, values in changes.items() if values}
	if not changes:
		return
	table = DocType(doctype)
	for field in sorted(set().union(*changes.values())):
		named = {name: values[field] for name, values in changes.items() if field in values}
		case = Case()
		for name, value in named.items():
			case = case.when(table.name == name, value)
		(
			frappe.qb.update(table)
			.set(table[field], case.else_(table[field]))
			.where(table.name.isin(list(named)))
			.run()
		)


# what other records write about a document, and the fields that name it; Frappe's delete_doc
# removes these in a background job, which a bench without workers never runs
TRACES = (
	("ToDo", "reference_type", "reference_name"),
	("Comment", "reference_doctype", "reference_name"),
	("Version", "ref_doctype", "docname"),
	("Notification Log", "document_type", "document_name"),
	("DocShare", "share_doctype", "share_name"),
	("Workflow Action", "reference_doctype", "reference_name"),
	("View Log", "reference_doctype", "reference_name"),
	("Document Follow", "ref_doctype", "ref_docname"),
	("Activity Log", "reference_doctype", "reference_name"),
	("Energy Point Log", "reference_doctype", "reference_name"),
)


def delete_traces(doctype: str, names: list[str]) -> None:
	"""Remove, set-based, what is written about the deleted records ``names`` of ``doctype``."""
	if names:
		_delete_traces(doctype, names)


def delete_all_traces(doctype: str) -> None:
	"""Remove what is written about every record of ``doctype``: when the doctype itself goes
	(uninstall drops its table, and Frappe leaves the rest pointing at nothing)."""
	_delete_traces(doctype, None)


def _delete_traces(doctype: str, names: list[str] | None) -> None:
	for trace, type_field, name_field in TRACES:
		if not frappe.db.table_exists(trace):
			continue  # Frappe 16 has no energy points
		table = DocType(trace)
		condition = table[type_field] == doctype
		if names is not None:
			condition &= table[name_field].isin(names)
		# what hangs off a trace goes with it: a Workflow Action's roles, a ToDo's own history
		# (closing one writes a Version of it)
		traced = frappe.qb.from_(table).select(table.name).where(condition)
		if trace == "Workflow Action":
			roles = DocType("Workflow Action Permitted Role")
			frappe.qb.from_(roles).delete().where(roles.parent.isin(traced)).run()
		if trace == "ToDo":
			version = DocType("Version")
			frappe.qb.from_(version).delete().where(
				(version.ref_doctype == "ToDo") & version.docname.isin(traced)
			).run()
		frappe.qb.from_(table).delete().where(condition).run()
