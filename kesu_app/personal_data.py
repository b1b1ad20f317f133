"""Personal data rights (PIPL / GDPR), the Frappe way.

- Frappe's *Personal Data Download Request* finds a person's complaints, follow-ups and
  compensations by their email, through the ``user_data_fields`` hook (hooks.py).
- Frappe's *Personal Data Deletion Request* anonymises them: the app's class for that doctype
  (``override_doctype_class`` in hooks.py) refuses while a complaint of the person is open or a
  compensation is unsettled, and anonymises their complaints thoroughly before Frappe redacts the
  rest of the person's data. Frappe 15 and 16 run the request the same way
  (``trigger_data_deletion`` -> ``_anonymize_data``, queued on the long queue, run at once in
  tests); Frappe 16 only mails System Managers who kept email notifications on.
- A daily job anonymises closed complaints past the retention set in Kesu Settings (off by
  default), and tells System Managers what it did.

Anonymising is set-based (one statement per table and batch), logged in *Complaint
Anonymisation*, and cannot be undone: the removed values are overwritten, the complaint's
history (Versions) is deleted and its files are deleted permanently. The statistics stay:
category, dates, severity, time-limit results, amounts, practitioner, service, branch, the
Customer link (ERPNext's record, which a deletion request handles as ERPNext's).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import cint, now_datetime
from frappe.website.doctype.personal_data_deletion_request.personal_data_deletion_request import (
	PersonalDataDeletionRequest,
)

from kesu_app import bulk
from kesu_app.rules.personal_data import (
	ALREADY,
	CLOSED_STATUSES,
	COMPENSATION_CLEARED,
	COMPENSATION_REDACTED,
	COMPLAINT_CLEARED,
	COMPLAINT_REDACTED,
	EVIDENCE_CLEARED,
	EVIDENCE_REDACTED,
	FOLLOW_UP_CLEARED,
	FOLLOW_UP_REDACTED,
	MAJOR_REPORT_CLEARED,
	MAJOR_REPORT_REDACTED,
	MEDICAL_CLEARED,
	MEDICAL_REDACTED,
	OPEN,
	REDACTED,
	UNSETTLED,
	refusal,
	retention_cutoff,
)

COMPLAINT = "Complaint"
RELATED = ("Follow-up", "Compensation", "Complaint Medical Record", "Major Complaint Report")
LOG = "Complaint Anonymisation"
DELETION_REQUEST, RETENTION, MANUAL = "Deletion Request", "Retention", "Manual"
BATCH = 200
# who may anonymise a complaint by hand (a deletion request is a System Manager's)
ANONYMISER_ROLES = ("System Manager", "Complaint Management")
COMMUNICATION_CLEARED = ("sender", "sender_full_name", "recipients", "cc", "bcc", "phone_no", "text_content")


# --- refusals -------------------------------------------------------------------------------


def unsettled_counts(names: list[str]) -> dict[str, int]:
	"""Unsettled compensations per complaint (kesu_app.rules.personal_data.is_unsettled, in SQL)."""
	if not names:
		return {}
	table = frappe.qb.DocType("Compensation")
	rows = (
		frappe.qb.from_(table)
		.select(table.complaint, Count(table.name))
		.where(table.complaint.isin(names))
		.where(
			((table.docstatus == 0) & (table.approval_status == "Pending"))
			| (
				(table.docstatus == 1)
				& (table.approval_status == "Approved")
				& (table.settlement_signed == 0)
			)
		)
		.groupby(table.complaint)
	).run()
	return {complaint: count for complaint, count in rows}


def refusals(names: list[str]) -> dict[str, str]:
	"""Why each of these complaints may not be anonymised now (those that may are left out)."""
	if not names:
		return {}
	rows = frappe.get_all(COMPLAINT, filters={"name": ("in", names)}, fields=["name", "status", "anonymised"])
	unsettled = unsettled_counts(names)
	out = {}
	for row in rows:
		why = refusal(row.status, cint(row.anonymised), unsettled.get(row.name, 0))
		if why:
			out[row.name] = why
	return out


def refusal_message(refused: dict[str, str]) -> str:
	open_cases = sorted(name for name, why in refused.items() if why == OPEN)
	unsettled = sorted(name for name, why in refused.items() if why == UNSETTLED)
	parts = []
	if open_cases:
		parts.append(
			_("These complaints are still open: {0}. Close them first.").format(", ".join(open_cases))
		)
	if unsettled:
		parts.append(
			_("These complaints have a compensation that is not settled: {0}.").format(", ".join(unsettled))
		)
	return " ".join(parts)


# --- anonymising ----------------------------------------------------------------------------


def _values(cleared: tuple[str, ...], redacted: tuple[str, ...], doctype: str) -> dict:
	meta = frappe.get_meta(doctype)
	values = {field: None for field in cleared if meta.has_field(field)}
	values.update({field: REDACTED for field in redacted if meta.has_field(field)})
	return values


def _update(doctype: str, values: dict, condition) -> None:
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.update(table)
	for field, value in values.items():
		query = query.set(table[field], value)
	query.where(condition(table)).run()


def _names(doctype: str, field: str, values: list[str]) -> list[str]:
	return frappe.get_all(doctype, filters={field: ("in", values)}, pluck="name") if values else []


def anonymise(names: list[str], reason: str, request: str | None = None) -> dict:
	"""Anonymise the complaints ``names`` (checked by the caller: closed, settled, not yet done)
	and what belongs to them; log each. Returns what was removed, counted."""
	if not names:
		return {"complaints": 0}
	now = now_datetime()
	records = {doctype: _names(doctype, "complaint", names) for doctype in RELATED}
	communications = []
	for doctype, docnames in ((COMPLAINT, names), *records.items()):
		communications += frappe.get_all(
			"Communication",
			filters={"reference_doctype": doctype, "reference_name": ("in", docnames or [""])},
			pluck="name",
		)
	files = _files(names, records, communications)

	# one random stand-in per name, so the report's repeat complainants (grouped by name) still
	# see one person's complaints anonymised together as one person's; nothing of the name is in it
	stand_ins = {}
	pseudonyms = {}
	for row in frappe.get_all(COMPLAINT, filters={"name": ("in", names)}, fields=["name", "customer_name"]):
		key = (row.customer_name or "").strip().lower()
		stand_ins.setdefault(key, f"{REDACTED[:-1]} {frappe.generate_hash(length=6)}]")
		pseudonyms[row.name] = {"customer_name": stand_ins[key]}
	_update(
		COMPLAINT,
		{
			**_values(COMPLAINT_CLEARED, COMPLAINT_REDACTED, COMPLAINT),
			"anonymised": 1,
			"anonymised_at": now,
		},
		lambda t: t.name.isin(names),
	)
	bulk.update(COMPLAINT, pseudonyms)
	for doctype, cleared, redacted in (
		("Follow-up", FOLLOW_UP_CLEARED, FOLLOW_UP_REDACTED),
		("Compensation", COMPENSATION_CLEARED, COMPENSATION_REDACTED),
		("Complaint Medical Record", MEDICAL_CLEARED, MEDICAL_REDACTED),
		("Major Complaint Report", MAJOR_REPORT_CLEARED, MAJOR_REPORT_REDACTED),
	):
		if records[doctype]:
			_update(
				doctype, _values(cleared, redacted, doctype), lambda t, d=doctype: t.name.isin(records[d])
			)
	evidence_parents = names + records["Compensation"]
	_update(
		"Complaint Evidence",
		_values(EVIDENCE_CLEARED, EVIDENCE_REDACTED, "Complaint Evidence"),
		lambda t: t.parent.isin(evidence_parents),
	)
	if communications:
		_update(
			"Communication",
			{**_values(COMMUNICATION_CLEARED, ("subject", "content"), "Communication")},
			lambda t: t.name.isin(communications),
		)
		queued = _names("Email Queue", "communication", communications)
		if queued:
			frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
			frappe.db.delete("Email Queue", {"name": ("in", queued)})
	comments = 0
	for doctype, docnames in ((COMPLAINT, names), *records.items()):
		if not docnames:
			continue
		comments += len(
			frappe.get_all(
				"Comment",
				filters={
					"reference_doctype": doctype,
					"reference_name": ("in", docnames),
					"comment_type": ("!=", "Workflow"),
				},
				pluck="name",
			)
		)
		_update(
			"Comment",
			{"content": REDACTED},
			lambda t, d=doctype, n=docnames: (
				(t.reference_doctype == d) & t.reference_name.isin(n) & (t.comment_type != "Workflow")
			),
		)
		# the history holds the values as they were
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", docnames)})
		_update(
			"ToDo",
			{"description": REDACTED},
			lambda t, d=doctype, n=docnames: (t.reference_type == d) & t.reference_name.isin(n),
		)
		_update(
			"Notification Log",
			{"subject": REDACTED, "email_content": None},
			lambda t, d=doctype, n=docnames: (t.document_type == d) & t.document_name.isin(n),
		)
		frappe.db.delete("__global_search", {"doctype": doctype, "name": ("in", docnames)})
	for file in files:
		frappe.delete_doc("File", file, ignore_permissions=True, delete_permanently=True, force=True)

	removed = {
		"complaints": len(names),
		"follow_ups": len(records["Follow-up"]),
		"compensations": len(records["Compensation"]),
		"medical_records": len(records["Complaint Medical Record"]),
		"communications": len(communications),
		"comments": comments,
		"files": len(files),
	}
	summary = ", ".join(f"{key}: {value}" for key, value in removed.items() if key != "complaints")
	bulk.insert(
		LOG,
		[
			{
				"complaint": name,
				"reason": reason,
				"request": request,
				"anonymised_at": now,
				"anonymised_by": frappe.session.user,
				"removed": summary,
			}
			for name in names
		],
	)
	return removed


def _files(names: list[str], records: dict[str, list[str]], communications: list[str]) -> list[str]:
	"""The File records of the complaints: attached to them, to what belongs to them, or named in
	an evidence row."""
	attached = {COMPLAINT: names, **records, "Communication": communications}
	files = set()
	for doctype, docnames in attached.items():
		if docnames:
			files.update(
				frappe.get_all(
					"File",
					filters={"attached_to_doctype": doctype, "attached_to_name": ("in", docnames)},
					pluck="name",
				)
			)
	parents = names + records["Compensation"]
	urls = frappe.get_all(
		"Complaint Evidence",
		filters={"parent": ("in", parents), "attachment": ("is", "set")},
		pluck="attachment",
	)
	if urls:
		files.update(frappe.get_all("File", filters={"file_url": ("in", urls)}, pluck="name"))
	return sorted(files)


# --- the three ways in ----------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def anonymise_complaint(complaint: str) -> dict:
	"""Anonymise one closed complaint now (Complaint Management, System Manager)."""
	frappe.only_for(ANONYMISER_ROLES)
	doc = frappe.get_doc(COMPLAINT, complaint)
	doc.check_permission("write")
	refused = refusals([doc.name])
	if refused.get(doc.name) == ALREADY:
		frappe.throw(_("Complaint {0} is anonymised already.").format(doc.name), title=_("Anonymised"))
	if refused:
		frappe.throw(refusal_message(refused), title=_("Cannot Anonymise"))
	removed = anonymise([doc.name], MANUAL)
	return removed


def complaints_of_person(email: str) -> list[str]:
	return frappe.get_all(COMPLAINT, filters={"contact_email": email, "anonymised": 0}, pluck="name")


class KesuPersonalDataDeletionRequest(PersonalDataDeletionRequest):
	"""Frappe's deletion request, refusing while the person's complaint is open or a compensation
	unsettled, and anonymising their complaints as the app does before Frappe's own redaction."""

	def validate_data_anonymization(self):
		super().validate_data_anonymization()
		self.check_complaints()

	def check_complaints(self):
		refused = refusals(complaints_of_person(self.email))
		if refused:
			frappe.throw(
				_("The data of {0} cannot be deleted yet.").format(self.email)
				+ " "
				+ refusal_message(refused),
				title=_("Complaint Still Open"),
			)

	def _anonymize_data(self, email=None, anon=None, set_data=True, commit=False):
		email = email or self.email
		names = complaints_of_person(email)
		refused = refusals(names)
		if refused:
			frappe.throw(refusal_message(refused), title=_("Complaint Still Open"))
		anonymise(names, DELETION_REQUEST, request=self.name)
		return super()._anonymize_data(email=email, anon=anon, set_data=set_data, commit=commit)


# --- retention ------------------------------------------------------------------------------


def anonymise_past_retention() -> dict:
	"""Daily: anonymise closed complaints past Kesu Settings' retention (0 days: off)."""
	days = cint(frappe.db.get_single_value("Kesu Settings", "anonymise_closed_after_days"))
	cutoff = retention_cutoff(now_datetime(), days)
	if not cutoff:
		return {"anonymised": 0, "kept": 0}
	table = frappe.qb.DocType(COMPLAINT)
	done, kept, after = 0, 0, None
	while True:
		# a page at a time, from where the last one ended: memory stays flat however many are due,
		# and the complaints kept (a compensation unsettled) are not asked for again
		query = (
			frappe.qb.from_(table)
			.select(table.closed_at, table.name)
			.where(table.status.isin(sorted(CLOSED_STATUSES)))
			.where(table.anonymised == 0)
			.where(table.closed_at < cutoff)
			.orderby(table.closed_at)
			.orderby(table.name)
			.limit(BATCH)
		)
		if after:
			query = query.where(
				(table.closed_at > after[0]) | ((table.closed_at == after[0]) & (table.name > after[1]))
			)
		page = query.run()
		if not page:
			break
		after = page[-1]
		batch = [name for _closed_at, name in page]
		refused = refusals(batch)
		kept += len(refused)
		ready = [name for name in batch if name not in refused]
		if ready:
			anonymise(ready, RETENTION)
			done += len(ready)
	result = {"anonymised": done, "kept": kept}
	if done or kept:
		tell_system_managers(days, result)
	return result


def tell_system_managers(days: int, result: dict):
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
	from frappe.utils.user import get_system_managers

	subject = _(
		"Retention ({0} days): {1} closed complaints anonymised; {2} kept because a compensation is unsettled."
	).format(days, result["anonymised"], result["kept"])
	enqueue_create_notification(
		get_system_managers(only_name=True),
		{"type": "Alert", "document_type": LOG, "subject": subject, "from_user": "Administrator"},
	)


# --- the complaint's own rules --------------------------------------------------------------


def protect_anonymised(doc):
	"""Complaint.validate: an anonymised complaint is not changed, nor reopened, any more."""
	if doc.is_new():
		return
	before = doc.get_doc_before_save()
	if before and cint(before.get("anonymised")):
		frappe.throw(
			_("Complaint {0} is anonymised: it cannot be changed or reopened.").format(doc.name),
			title=_("Anonymised"),
		)


def sync_contact(doc, method=None):
	"""Complaint on_update: its follow-ups and compensations carry its customer and email, by which
	Frappe's personal-data requests and the Customer's connections find them."""
	if doc.flags.in_insert or not (
		doc.has_value_changed("contact_email") or doc.has_value_changed("customer")
	):
		return
	for doctype in ("Follow-up", "Compensation"):
		table = frappe.qb.DocType(doctype)
		query = frappe.qb.update(table).set(table.contact_email, doc.contact_email)
		if doctype == "Follow-up":
			query = query.set(table.customer, doc.customer)
		query.where(table.complaint == doc.name).run()
