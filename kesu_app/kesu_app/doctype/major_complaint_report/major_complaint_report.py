# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

"""The special report (专项报告) a major complaint owes head office: its history, the facts, the
impact, the cause and who answers for it, the corrective actions and the lessons. Submitting it is
management's approval; the approved report is printed and attached to the complaint, which may
then be closed."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from kesu_app.kesu_app.doctype.complaint.complaint import quality_action_values
from kesu_app.major import REPORT, compensation_total, history_events, report_of
from kesu_app.permissions import check_stored_permission
from kesu_app.records import keep_server_fields
from kesu_app.untrusted import clean_text_fields, escape

PRINT_FORMAT = "Major Complaint Report"
# what the approver must have written before approving
REQUIRED_TO_APPROVE = ("facts", "root_cause", "responsibility", "lessons_learned")
SERVER_FIELDS = ("approved_by", "approved_at", "total_compensation")
# what the investigation recorded on the case, the report's starting point
COPIED_FROM_COMPLAINT = ("root_cause", "responsibility", "responsible_employee", "responsible_department")


class MajorComplaintReport(Document):
	def validate(self):
		check_stored_permission(self)
		# who approved, when, and the total are the app's: a client's write of them is put back
		keep_server_fields(self, SERVER_FIELDS)
		clean_text_fields(self)
		complaint = self.validate_complaint()
		self.copy_from_complaint(complaint)
		if self.is_new() or not self.events:
			self.build_timeline()
		self.total_compensation = compensation_total(self.complaint)

	def validate_complaint(self) -> dict:
		"""The complaint exists, is major, is readable and has no other report; returns what the
		report copies from it."""
		complaint = frappe.db.get_value(
			"Complaint", self.complaint, ["is_major", *COPIED_FROM_COMPLAINT], as_dict=True
		)
		if not complaint:
			frappe.throw(_("Complaint {0} does not exist.").format(frappe.bold(self.complaint)))
		if not cint(complaint.is_major):
			frappe.throw(
				_("Complaint {0} is not a major complaint: it needs no special report.").format(
					frappe.bold(self.complaint)
				),
				title=_("Not Major"),
			)
		frappe.has_permission("Complaint", "read", doc=self.complaint, throw=True)
		other = report_of(self.complaint, other_than=self.name)
		if other:
			frappe.throw(
				_("Complaint {0} has its special report already: {1}.").format(
					frappe.bold(self.complaint), frappe.bold(other)
				),
				title=_("Report Exists"),
			)
		return complaint

	def copy_from_complaint(self, complaint: dict):
		"""What the investigation found on the case is the report's starting point; what the
		report's author writes here is kept."""
		for field in COPIED_FROM_COMPLAINT:
			if not self.get(field) and complaint.get(field):
				self.set(field, complaint.get(field))

	def build_timeline(self):
		self.set("events", [])
		for event in history_events(frappe.get_doc("Complaint", self.complaint)):
			self.append("events", {"event_time": event.at, "event": event.kind, "detail": event.detail})

	@frappe.whitelist()
	def rebuild_timeline(self):
		self.check_permission("write")
		if self.docstatus != 0:
			frappe.throw(_("An approved report keeps its timeline as it was approved."), title=_("Approved"))
		self.build_timeline()
		self.save()

	@frappe.whitelist()
	def raise_quality_actions(self) -> list[str]:
		"""An ERPNext Quality Action for each corrective action the draft lists without one, linked
		to it and to the complaint (the Quality Action shows among the complaint's connections)."""
		self.check_permission("write")
		if self.docstatus != 0:
			frappe.throw(
				_("An approved report keeps its corrective actions as they were approved."),
				title=_("Approved"),
			)
		if not frappe.has_permission("Quality Action", "create"):
			frappe.throw(_("You may not create a {0}.").format(_("Quality Action")), frappe.PermissionError)
		rows = [row for row in self.corrective_actions if not row.quality_action]
		if not rows:
			frappe.throw(
				_("Every corrective action of this report has its Quality Action already."),
				title=_("Nothing to Raise"),
			)
		subject = frappe.db.get_value("Complaint", self.complaint, "subject")
		for row in rows:
			# the action is plain text; the resolution is rich text
			values = quality_action_values(self.complaint, subject, escape(row.action.strip()))
			row.quality_action = frappe.get_doc(values).insert().name
		self.save()
		return [row.quality_action for row in rows]

	def before_submit(self):
		missing = [
			_(self.meta.get_label(field))
			for field in REQUIRED_TO_APPROVE
			if not frappe.utils.strip_html(str(self.get(field) or "")).strip()
		]
		if missing:
			frappe.throw(
				_("The special report is approved only with these written: {0}").format(", ".join(missing)),
				title=_("Cannot Approve"),
			)
		self.approved_by = frappe.session.user
		self.approved_at = now_datetime()

	def on_submit(self):
		frappe.db.set_value("Complaint", self.complaint, "major_report", self.name, update_modified=False)
		if not self.flags.seeding:  # the demo's seeded year is not printed
			self.attach_to_complaint()
		complaint = frappe.get_doc("Complaint", self.complaint)
		complaint.add_comment(
			"Info", _("Special report {0} approved by {1}.").format(self.name, self.approved_by)
		)

	def on_cancel(self):
		frappe.db.set_value("Complaint", self.complaint, "major_report", None, update_modified=False)

	def attach_to_complaint(self):
		"""The approved report, as head office receives it, among the complaint's files: a PDF by
		Frappe's own print path (wkhtmltopdf, or on Frappe 16 the print format's PDF generator);
		where the site cannot make a PDF, the same print as an HTML file, so that the approval
		never fails for want of a printer."""
		try:
			content = frappe.get_print(REPORT, self.name, print_format=PRINT_FORMAT, doc=self, as_pdf=True)
			extension = "pdf"
		except Exception:
			frappe.log_error(title=_("Special report {0}: printed as HTML, not PDF").format(self.name))
			content = frappe.get_print(REPORT, self.name, print_format=PRINT_FORMAT, doc=self).encode()
			extension = "html"
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{self.name}.{extension}",
				"content": content,
				"attached_to_doctype": "Complaint",
				"attached_to_name": self.complaint,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)


@frappe.whitelist()
def make_report(complaint: str) -> str:
	"""The complaint form's Special Report button: the draft report of a major complaint, made with
	its timeline, or the one it has already."""
	frappe.has_permission("Complaint", "read", doc=complaint, throw=True)
	existing = report_of(complaint)
	if existing:
		return existing
	report = frappe.get_doc({"doctype": REPORT, "complaint": complaint})
	report.insert()
	return report.name
