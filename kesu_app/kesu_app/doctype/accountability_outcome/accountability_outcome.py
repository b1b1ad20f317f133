# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

"""What was decided for an employee who answers for a substantiated complaint (verbal or written
warning, retraining, performance points): who decided, and when. Read only by management and HR."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from kesu_app.permissions import check_stored_permission
from kesu_app.untrusted import clean_text_fields


class AccountabilityOutcome(Document):
	def validate(self):
		check_stored_permission(self)
		clean_text_fields(self)
		self.validate_complaint()
		self.validate_employee()
		self.validate_points()
		if self.is_new() or self.has_value_changed("outcome") or self.has_value_changed("employee"):
			# the decision is recorded against whoever records it, whatever the client sent
			self.decided_by = frappe.session.user

	def validate_complaint(self):
		substantiated = frappe.db.get_value("Complaint", self.complaint, "substantiated")
		if substantiated != "Substantiated":
			frappe.throw(
				_("Complaint {0} is not substantiated: nobody answers for it.").format(
					frappe.bold(self.complaint)
				),
				title=_("Not Substantiated"),
			)

	def validate_employee(self):
		company = frappe.db.get_value("Employee", self.employee, "company")
		if self.company and company != self.company:
			frappe.throw(
				_("Employee {0} works for company {1}, not for {2}.").format(
					frappe.bold(self.employee), frappe.bold(company), frappe.bold(self.company)
				),
				title=_("Wrong Company"),
			)

	def validate_points(self):
		if self.outcome == "Performance Points Deducted" and not (self.points or 0) > 0:
			frappe.throw(_("Enter how many performance points are deducted."), title=_("Points"))
		if self.outcome == "Other" and not (self.details or "").strip():
			frappe.throw(_("Describe the outcome."), title=_("Details"))
