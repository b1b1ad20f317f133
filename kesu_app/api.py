"""The intake endpoint for chat and social media integrations (WeChat, online chat, social media).

The integration authenticates as a Frappe user with an API key and secret
(``Authorization: token <api_key>:<api_secret>``), holding the *Complaint Intake Integration* role:

    POST /api/method/kesu_app.api.submit_complaint
    {"idempotency_key": "wechat-msg-8f2a…", "channel": "WeChat", "customer_name": "…",
     "contact_phone": "…", "subject": "…", "description": "…",
     "evidence": [{"file_name": "photo.jpg", "content": "<base64>"}]}

It answers ``{"complaint": "CMP-2026-00042", "status": "Open", "created": true}``; a retried call
with the same idempotency key answers the same complaint with ``"created": false``.
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import cint, flt, now_datetime

from kesu_app.rules.intake import API_CHANNELS, MAX_RECEIVED_AGE, check_api_payload
from kesu_app.rules.privacy import intake_key
from kesu_app.untrusted import escape

# the category a chat or social integration may name sets the severity and department as at the desk
OPTIONAL_LINKS = {"company": "Company", "branch": "Branch", "category": "Complaint Category"}


@frappe.whitelist(methods=["POST"])
def submit_complaint(**payload) -> dict:
	frappe.has_permission("Complaint", "create", throw=True)
	if isinstance(payload.get("evidence"), str):
		try:
			payload["evidence"] = json.loads(payload["evidence"])
		except ValueError:
			payload["evidence"] = None
			frappe.throw(_("evidence must be a list of objects with file_name and content (base64)."))
	settings = frappe.get_cached_doc("Kesu Settings")
	checked = check_api_payload(
		payload,
		max_files=cint(settings.max_evidence_files),
		max_file_bytes=int(flt(settings.max_evidence_size_mb) * 1024 * 1024),
		now=now_datetime(),
	)
	for field, doctype in OPTIONAL_LINKS.items():
		value = payload.get(field)
		if value and not (isinstance(value, str) and frappe.db.exists(doctype, value)):
			checked.problem("unknown_link", field, str(value))
	if checked.problems:
		frappe.throw(
			"<br>".join(problem_message(code, args) for code, args in checked.problems),
			title=_("Complaint Not Accepted"),
		)

	# one caller's key never finds another caller's complaint
	key = intake_key(frappe.session.user, checked.values["intake_key"])
	existing = existing_complaint(key)
	if existing:
		return existing

	values = dict(checked.values, intake_key=key)
	# what the customer agreed may be shared (kesu_app/consent.py): off unless the caller says so
	for field in ("consent_share_practitioner", "consent_share_third_party"):
		values[field] = 1 if cint(payload.get(field)) else 0
	for field in OPTIONAL_LINKS:
		if payload.get(field):
			values[field] = payload[field]
	complaint = frappe.get_doc({"doctype": "Complaint", **values})
	# the caller's User Permissions (a clinic's integration, kept to its company or branch)
	if not frappe.has_permission("Complaint", "create", doc=complaint):
		frappe.throw(
			_("You may not file complaints for this company or branch."),
			frappe.PermissionError,
			title=_("Complaint Not Accepted"),
		)
	# the stored key is the app's (per caller); no other server-kept field is in the payload
	complaint.flags.server_write = True
	try:
		# permission was checked above; the integration reads no complaint, not even this one
		complaint.insert(ignore_permissions=True)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		# the same key in a call running at the same moment: that call made the complaint
		frappe.db.rollback()
		existing = existing_complaint(key)
		if existing:
			return existing
		raise
	add_evidence(complaint, checked.evidence)
	return {"complaint": complaint.name, "status": complaint.status, "created": True}


def existing_complaint(key: str) -> dict | None:
	found = frappe.db.get_value("Complaint", {"intake_key": key}, ["name", "status"], as_dict=True)
	if found:
		return {"complaint": found.name, "status": found.status, "created": False}
	return None


def add_evidence(complaint, evidence):
	if not evidence:
		return
	for item in evidence:
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": item.file_name,
				"attached_to_doctype": "Complaint",
				"attached_to_name": complaint.name,
				"is_private": 1,
				"content": item.content,
			}
		).insert(ignore_permissions=True)
		complaint.append(
			"evidence",
			{
				"evidence_type": item.evidence_type,
				"attachment": file.file_url,
				"description": item.description
				or _("Sent by the {0} integration").format(_(complaint.channel)),
			},
		)
	complaint.save(ignore_permissions=True)


def problem_message(code: str, args: tuple) -> str:
	"""The message of a problem; what the caller sent is quoted escaped, never as HTML."""
	return _problem_message(code, tuple(escape(arg) if isinstance(arg, str) else arg for arg in args))


def _problem_message(code: str, args: tuple) -> str:
	field_label = {
		"customer_name": _("Customer Name"),
		"subject": _("Subject"),
		"description": _("Description"),
		"customer_demand": _("Customer's Demand"),
		"contact_email": _("Email"),
		"contact_phone": _("Phone"),
		"external_user_id": _("Chat / Social Media Account"),
	}
	if code == "unknown_link":
		return _("{0} {1} does not exist.").format(_(OPTIONAL_LINKS[args[0]]), args[1])
	if code == "received_at_format":
		return _("received_at must be a date and time like 2026-11-29 14:30:00, in the site's time zone.")
	if code == "received_at_future":
		return _("received_at is in the future.")
	if code == "received_at_past":
		return _("received_at is more than {0} days ago: file an older complaint in the desk.").format(
			MAX_RECEIVED_AGE.days
		)
	if code == "idempotency_key":
		return _(
			"Send an idempotency_key of 8 to 120 letters, digits or . _ : - so that a retried call makes no second complaint."
		)
	if code == "channel":
		return _("Channel {0} is not one an integration may use; use one of: {1}.").format(
			args[0] or "-", ", ".join(API_CHANNELS)
		)
	if code == "required":
		return _("{0} is required.").format(field_label[args[0]])
	if code == "too_long":
		return _("{0} is longer than {1} characters.").format(field_label[args[0]], args[1])
	if code == "unreachable":
		return _("Send contact_phone or contact_email: the customer must be reachable for the reply.")
	if code == "email":
		return _("{0} is not a valid email address.").format(args[0])
	if code == "phone":
		return _("{0} is not a valid phone number.").format(args[0])
	if code == "too_many_files":
		return _("{0} files were sent; at most {1} are accepted.").format(*args)
	if code == "file_type":
		return _("{0}: this type of file is not accepted.").format(args[0] or "-")
	if code == "file_content":
		return _("{0}: the content is not valid base64.").format(args[0])
	if code == "file_size":
		return _("{0} is larger than {1} MB.").format(args[0], round(args[1] / 1024 / 1024, 1))
	return _("evidence must be a list of objects with file_name and content (base64).")
