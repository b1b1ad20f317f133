"""What differs between Frappe 15 and Frappe 16 for this app, in one place, one note each.

Everything else runs on both as it is: the query builder for aggregates (Frappe 16's get_list
refuses SQL functions in its fields), frappe.utils.get_url_to_form for desk links (/app on 15,
/desk on 16), has_permission hooks that always return a bool (16 reads None as a refusal, 15
as no opinion), the time-limit job's list of save hooks (it names 16's permission log too),
and an evidence file taken over from an email (16 copies it under a new name: the evidence row
follows the copy, kesu_app.intake.attach_evidence_files).
"""

from __future__ import annotations

import frappe


def in_test() -> bool:
	"""Whether this is a test run: Frappe 15 marks it in frappe.flags.in_test, Frappe 16 in the
	module attribute frappe.in_test (and reads only that, e.g. to write no Versions)."""
	return bool(getattr(frappe, "in_test", False) or frappe.flags.in_test)


def set_in_test(value: bool):
	"""Mark (or unmark) a test run the way the running Frappe reads it."""
	frappe.flags.in_test = value
	if hasattr(frappe, "in_test"):
		frappe.in_test = value


# Frappe 16.10.7's form reads Workflow.enable_action_confirmation with the user's own rights
# before it applies a workflow action (frappe/frappe#34991, fixed upstream after 16.10.7): a role
# that may not read Workflow gets "No permission for Workflow" and cannot act from the form. The
# complaint roles are given read on Workflow (the definitions are no secret), on both majors
# alike; uninstall takes it back (kesu_app.install).
WORKFLOW_READ_FOR_DESK = ("Workflow",)
