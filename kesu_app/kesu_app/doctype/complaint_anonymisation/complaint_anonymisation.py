# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ComplaintAnonymisation(Document):
	"""The record that a complaint's personal data was removed: when, by whom, why, and what.
	Only the app writes it (kesu_app.personal_data); it holds no personal data itself."""

	def validate(self):
		if not self.flags.from_anonymiser:
			frappe.throw(
				_("The anonymisation log is written by the app only."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
