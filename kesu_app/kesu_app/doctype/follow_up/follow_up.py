# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from kesu_app.permissions import check_stored_permission
from kesu_app.untrusted import clean_text_fields

NOT_SATISFIED = "Not Satisfied"


class Followup(Document):
	def validate(self):
		check_stored_permission(self)
		self.check_complaint_access()
		clean_text_fields(self)
		self.set_cycle()
		self.mark_done()
		self.validate_done()
		self.validate_rating()

	def on_update(self):
		self.reopen_if_not_satisfied()

	def check_complaint_access(self):
		"""A follow-up is recorded on a complaint the user may work: one of another branch, or one
		they cannot edit, is not theirs to reopen."""
		if self.flags.ignore_permissions or not self.complaint:
			return
		if self.is_new() or self.has_value_changed("complaint"):
			if not frappe.has_permission("Complaint", "write", doc=self.complaint):
				frappe.throw(
					_("You may not work on complaint {0}.").format(frappe.bold(self.complaint)),
					frappe.PermissionError,
					title=_("Not Permitted"),
				)

	def set_cycle(self):
		if self.is_new() and self.complaint:
			self.cycle = frappe.db.get_value("Complaint", self.complaint, "cycle") or 1

	def mark_done(self):
		"""Recording an outcome is doing the follow-up."""
		if self.outcome and self.status == "Scheduled":
			self.status = "Done"
		if self.status == "Done":
			self.done_at = self.done_at or now_datetime()
			self.done_by = self.done_by or frappe.session.user

	def validate_done(self):
		# a follow-up marked done with nothing recorded would count as done in every report
		if self.status == "Done" and not self.outcome:
			frappe.throw(
				_(
					"Record the outcome (satisfied, not satisfied or unreachable) before marking the follow-up done."
				),
				title=_("Outcome Required"),
			)

	def validate_rating(self):
		if self.satisfaction_rating and not 0 <= self.satisfaction_rating <= 1:
			frappe.throw(_("A satisfaction rating is from one to five stars."))

	def reopen_if_not_satisfied(self):
		if self.outcome == NOT_SATISFIED and self.has_value_changed("outcome"):
			from kesu_app.follow_up import reopen_complaint

			reopen_complaint(
				self.complaint,
				_("Customer not satisfied ({0} {1}): {2}").format(
					_(self.follow_up_type), self.name, self.satisfaction_reason or self.notes or ""
				),
				# the customer's own answer to the survey is the app's step; staff act as themselves
				system=bool(self.flags.customer_answer),
			)
