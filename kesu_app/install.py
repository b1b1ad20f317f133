"""Defaults created once, at install. Everything here is data an admin may change later, so
none of it is re-created or overwritten by `bench migrate`; changes to defaults ship as patches.
"""

import frappe
from frappe.permissions import add_permission

from kesu_app.rules.defaults import (
	DEFAULT_CATEGORIES,
	DEFAULT_ROOT_CAUSES,
	DEFAULT_WORKING_HOURS,
	ROOT_CATEGORY,
)
from kesu_app.rules.tiers import TIER_ROLES
from kesu_app.rules.time_limits import default_limit_rows

ROLES = tuple(TIER_ROLES.values())

# what complaint staff need to pick in the complaint form's links: select (search and pick),
# not read, so the app widens nobody's access to ERPNext's records
LINKED_DOCTYPES = ("Customer", "Item", "Employee", "Sales Invoice", "Branch", "Department", "Company")


def after_install():
	make_roles()
	make_categories()
	make_root_causes()
	make_settings()
	grant_link_selection()


def before_uninstall():
	revoke_link_selection()


def make_roles():
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


def make_categories():
	if not frappe.db.exists("Complaint Category", ROOT_CATEGORY):
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": ROOT_CATEGORY, "is_group": 1}
		).insert(ignore_permissions=True)
	for name, severity in DEFAULT_CATEGORIES:
		if frappe.db.exists("Complaint Category", name):
			continue
		frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": name,
				"parent_complaint_category": ROOT_CATEGORY,
				"default_severity": severity,
			}
		).insert(ignore_permissions=True)


def make_root_causes():
	for name in DEFAULT_ROOT_CAUSES:
		if not frappe.db.exists("Complaint Root Cause", name):
			frappe.get_doc({"doctype": "Complaint Root Cause", "root_cause": name}).insert(
				ignore_permissions=True
			)


def make_settings():
	settings = frappe.get_single("Kesu Settings")
	if not settings.working_hours:
		for weekday, start, end in DEFAULT_WORKING_HOURS:
			settings.append("working_hours", {"weekday": weekday, "start_time": start, "end_time": end})
	if not settings.time_limits:
		for severity, stage, value, unit in default_limit_rows():
			settings.append(
				"time_limits", {"severity": severity, "stage": stage, "limit_value": value, "unit": unit}
			)
	settings.save(ignore_permissions=True)


def grant_link_selection():
	for doctype in LINKED_DOCTYPES:
		for role in ROLES:
			if not frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				add_permission(doctype, role, 0, "select")


def revoke_link_selection():
	for doctype in LINKED_DOCTYPES:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": ("in", ROLES)})
		frappe.clear_cache(doctype=doctype)
