# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

from __future__ import annotations

from frappe.model.document import Document

from kesu_app.untrusted import clean_text_fields


class ComplaintMedicalRecord(Document):
	# who may read or write one is kesu_app.permissions.via_complaint (a has_permission hook):
	# only with its complaint, so a branch's supervisor adds none to another branch's case
	def validate(self):
		clean_text_fields(self)
