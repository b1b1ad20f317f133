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
