"""The app's own steps (an escalation for an overdue stage, a reopen from a survey answered by a
guest): what they may do does not depend on who happened to trigger them.

They run with the app's rights, as flags: documents saved inside are saved with
``ignore_permissions``, and a workflow transition is checked against the workflow (its states
and conditions), not against the roles of the session user. The session user is never
switched: ``frappe.set_user`` would drop the session's data, its CSRF token included, and the
form data of the request it runs in.
"""

from __future__ import annotations

from contextlib import contextmanager

import frappe

SYSTEM_USER = "Administrator"


@contextmanager
def as_system(system: bool = True):
	if not system:
		yield
		return
	previous = frappe.flags.kesu_system_step
	frappe.flags.kesu_system_step = True
	try:
		yield
	finally:
		frappe.flags.kesu_system_step = previous


def in_system_step() -> bool:
	return bool(frappe.flags.kesu_system_step) or frappe.session.user == SYSTEM_USER


def triggered_by() -> str | None:
	"""Whose save or action a step is recorded against: the session user (an automatic step
	says it was the app's rule on their save); none for a guest's."""
	return None if frappe.session.user == "Guest" else frappe.session.user


@contextmanager
def as_administrator():
	"""For a Frappe or ERPNext function that checks the session user's rights itself and has no
	flag to skip it (ERPNext's make_sales_return maps an invoice only for someone who may create
	one). The session is put back exactly as it was, data and CSRF token included, which
	``frappe.set_user`` alone does not do."""
	local = frappe.local
	if local.session.user == SYSTEM_USER:
		yield
		return
	kept = {name: getattr(local, name, None) for name in LOCALS_SET_USER_RESETS}
	session = local.session
	user, sid, data = session.user, session.sid, session.data
	frappe.set_user(SYSTEM_USER)
	try:
		yield
	finally:
		session.user, session.sid, session.data = user, sid, data
		for name, value in kept.items():
			setattr(local, name, value)


# what frappe.set_user replaces besides the session (Frappe 15 and 16 alike)
LOCALS_SET_USER_RESETS = ("cache", "form_dict", "jenv", "role_permissions", "new_doc_templates", "user_perms")
