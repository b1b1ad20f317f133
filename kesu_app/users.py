"""Complaint staff start their day on the Complaints workspace."""

from __future__ import annotations

import frappe

from kesu_app.rules.tiers import TIER_ROLES

WORKSPACE = "Complaints"
STAFF_ROLES = set(TIER_ROLES.values())


def land_on_complaints(doc, method=None):
	"""A user given a complaint role, with no home workspace of their own yet, lands on the
	Complaints workspace after signing in. One an admin or the user chose is left as it is."""
	if doc.default_workspace or not STAFF_ROLES & {row.role for row in doc.roles}:
		return  # most saves of a user: nothing to ask the database
	land_everyone_on_complaints([doc.name])


def land_everyone_on_complaints(only: list[str] | None = None):
	"""At install and for existing sites (or for the ``only`` users given): staff who hold a
	complaint role and have no home workspace land on Complaints."""
	has_role, user = frappe.qb.DocType("Has Role"), frappe.qb.DocType("User")
	names = (
		frappe.qb.from_(user)
		.join(has_role)
		.on(has_role.parent == user.name)
		.select(user.name)
		.distinct()
		.where(
			has_role.role.isin(sorted(STAFF_ROLES))
			& (has_role.parenttype == "User")
			& (user.user_type == "System User")
			& ((user.default_workspace.isnull()) | (user.default_workspace == ""))
			& user.name.notin(["Administrator", "Guest"])
			& (user.name.isin(only) if only else user.name.isnotnull())
		)
		.run(pluck=True)
	)
	if names and frappe.db.exists("Workspace", WORKSPACE):
		frappe.qb.update(user).set(user.default_workspace, WORKSPACE).where(user.name.isin(names)).run()
