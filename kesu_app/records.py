"""What a save changes on a record, compared field by field with the record as stored; and the
fields only the app's own code may write."""

from __future__ import annotations

from frappe.model import no_value_fields, table_fields
from frappe.utils import cint, cstr, flt, get_datetime

from kesu_app.system import in_system_step

NUMERIC = ("Int", "Float", "Currency", "Percent", "Check", "Rating")
TEMPORAL = ("Date", "Datetime")
# bookkeeping Frappe writes on every save, not the record's content
ROW_META = {
	"name",
	"owner",
	"creation",
	"modified",
	"modified_by",
	"parent",
	"parentfield",
	"parenttype",
	"idx",
	"doctype",
	"docstatus",
}


def _same(fieldtype: str, a, b) -> bool:
	if fieldtype in NUMERIC:
		return flt(a) == flt(b)
	if fieldtype in TEMPORAL:
		return (get_datetime(a) if a else None) == (get_datetime(b) if b else None)
	return cstr(a) == cstr(b)


def _row_values(row) -> dict:
	return {k: v for k, v in row.as_dict().items() if k not in ROW_META and not k.startswith("_")}


def changed_fields(before, doc) -> set[str]:
	"""The fields (and tables) whose content ``doc`` changes from ``before``."""
	changed = set()
	for df in doc.meta.fields:
		if df.fieldtype in table_fields:
			old, new = before.get(df.fieldname) or [], doc.get(df.fieldname) or []
			if len(old) != len(new) or any(
				not all(
					_same(
						child.meta.get_field(k).fieldtype if child.meta.get_field(k) else "Data",
						v,
						other.get(k),
					)
					for k, v in _row_values(child).items()
				)
				for child, other in zip(new, old, strict=True)
			):
				changed.add(df.fieldname)
		elif df.fieldtype not in no_value_fields:
			if not _same(df.fieldtype, before.get(df.fieldname), doc.get(df.fieldname)):
				changed.add(df.fieldname)
	return changed


def _default(df):
	if not df:
		return None
	if df.fieldtype in ("Int", "Check"):
		return cint(df.default)
	if df.fieldtype in NUMERIC:
		return flt(df.default)
	# "__user", "Now", "Today": filled in by the controller, not a value to put back
	return (
		df.default
		if df.default and not df.default.startswith("__") and df.default not in ("Now", "Today")
		else None
	)


def keep_server_fields(doc, fields: tuple[str, ...], tables: tuple[str, ...] = ()):
	"""Put back what a user wrote to a field the server keeps: the stored value, or on insert the
	field's default. The app's own code marks its writes (``doc.flags.server_write``, or a
	system step); everything after this in ``validate`` is the app's and sets them as it must."""
	if doc.flags.server_write or in_system_step():
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	for field in fields:
		if before is not None:
			doc.set(field, before.get(field))
		else:
			doc.set(field, _default(doc.meta.get_field(field)))
	for table in tables:
		rows = [row.as_dict() for row in before.get(table)] if before is not None else []
		doc.set(table, rows)
