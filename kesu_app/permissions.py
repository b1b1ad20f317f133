"""Who may read what, beyond the role permissions in each doctype's JSON.

A follow-up, a compensation and a medical record belong to a complaint: whoever may not read
the complaint (another branch's, say) may not read them either, whatever path they ask by.
"""

from __future__ import annotations

import frappe
from frappe import _

COMPLAINT = "Complaint"


def via_complaint(doc, ptype=None, user=None, **kwargs) -> bool:
	"""has_permission hook: a record of a complaint is readable only with the complaint.

	Returns a bool either way: Frappe 16 reads None as a refusal, Frappe 15 as no opinion.
	"""
	complaint = doc.get("complaint") if doc else None
	if not complaint:
		return True
	if not frappe.has_permission(COMPLAINT, "read", user=user):
		# a role outside complaints (accounts reading compensations): its own permissions decide
		return True
	return bool(frappe.has_permission(COMPLAINT, "read", doc=complaint, user=user))


def check_stored_permission(doc):
	"""Frappe checks a save against the new values, so a user could move another branch's record
	into their own by writing its branch: the record as stored must be theirs to write too."""
	if doc.is_new() or doc.flags.ignore_permissions or frappe.session.user == "Administrator":
		return
	before = doc.get_doc_before_save()
	if before and not frappe.has_permission(doc.doctype, "write", doc=before):
		frappe.throw(
			_("You may not change {0} {1}.").format(_(doc.doctype), frappe.bold(doc.name)),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def may_read(user: str, doc) -> bool:
	"""Whether ``user`` may read ``doc`` with their own roles and User Permissions (or a share
	someone made on purpose: the app itself never shares a complaint to get around them)."""
	return bool(frappe.has_permission(doc.doctype, "read", doc=doc, user=user))


# --- the form's history, at the reader's field levels -----------------------------------------
# Frappe serves a document's Versions with its form whatever field levels the reader has; the
# app's roles all read a complaint's contact details, but a role an admin gives level 0 alone
# would read them in the history. These wrap Frappe's two form loaders and drop, from the
# versions of a complaint, the changes of fields above the reader's levels.


@frappe.whitelist()
def getdoc(doctype: str, name: str):
	from frappe.desk.form.load import getdoc as frappe_getdoc

	frappe_getdoc(doctype, name)
	hide_unreadable_history(doctype, name)


@frappe.whitelist()
def get_docinfo(doc=None, doctype: str | None = None, name: str | None = None):
	from frappe.desk.form.load import get_docinfo as frappe_get_docinfo

	frappe_get_docinfo(doc=doc, doctype=doctype, name=name)
	if doctype and name:
		hide_unreadable_history(doctype, name)


def hide_unreadable_history(doctype: str, name: str):
	docinfo = frappe.response.get("docinfo")
	if doctype != COMPLAINT or not docinfo or not docinfo.get("versions"):
		return
	meta = frappe.get_meta(doctype)
	levels = set(frappe.get_doc(doctype, name).get_permlevel_access("read"))
	hidden = {df.fieldname for df in meta.fields if df.permlevel and df.permlevel not in levels}
	if not hidden:
		return
	for version in docinfo["versions"]:
		version["data"] = hide_fields(version.get("data"), hidden)


def hide_fields(data: str | None, hidden: set[str]) -> str | None:
	if not data:
		return data
	import json

	diff = json.loads(data)
	for key in ("changed", "added", "removed", "row_changed"):
		diff[key] = [entry for entry in diff.get(key) or [] if entry and entry[0] not in hidden]
	return json.dumps(diff)
