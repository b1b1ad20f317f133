# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from kesu_app.untrusted import clean_text_fields


class ComplaintMedicalRecord(Document):
	def validate(self):
		self.check_complaint_access()
		clean_text_fields(self)

	def check_complaint_access(self):
		"""Medical details are written only on a complaint the user may read: a branch's
		supervisor adds none to another branch's case."""
		if self.flags.ignore_permissions:
			return
		if not frappe.has_permission("Complaint", "read", doc=self.complaint):
			frappe.throw(
				_("You may not read complaint {0}.").format(frappe.bold(self.complaint)),
				frappe.PermissionError,
			)
