"""Complaints that arrive from outside the desk: by email (an Email Account appending to
Complaint), from the website form, and from chat / social media integrations (kesu_app.api).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import add_days, cint, flt, get_datetime, now_datetime, strip_html

from kesu_app.rules.intake import evidence_type_for
from kesu_app.rules.privacy import is_same_address
from kesu_app.system import in_system_step
from kesu_app.untrusted import escape

FILE_PREFIXES = ("/files/", "/private/files/")


def customer_for_email(email: str | None) -> str | None:
	"""The one Customer whose contact (or own email) is ``email``; None when none or several."""
	if not email:
		return None
	contact_email, link = DocType("Contact Email"), DocType("Dynamic Link")
	linked = (
		frappe.qb.from_(contact_email)
		.join(link)
		.on((link.parent == contact_email.parent) & (link.parenttype == "Contact"))
		.select(link.link_name)
		.distinct()
		.where((contact_email.email_id == email) & (link.link_doctype == "Customer"))
		.run(pluck=True)
	)
	customers = set(linked) | set(frappe.get_all("Customer", filters={"email_id": email}, pluck="name"))
	return customers.pop() if len(customers) == 1 else None


def customers_of_user(user: str) -> list[str]:
	"""The Customers a website user belongs to, through the Contact that is theirs."""
	contact, link = DocType("Contact"), DocType("Dynamic Link")
	return (
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.select(link.link_name)
		.distinct()
		.where((contact.user == user) & (link.link_doctype == "Customer"))
		.run(pluck=True)
	)


# --- email -------------------------------------------------------------------------------------


def _received_on_complaint(doc) -> bool:
	return bool(
		doc.reference_doctype == "Complaint"
		and doc.reference_name
		and doc.sent_or_received == "Received"
		and doc.communication_medium == "Email"
	)


def on_communication(doc, method=None):
	"""A received email on a complaint: the first one is its description, and what is attached
	to any of them becomes evidence. Runs after Frappe's mail pull has linked the email (it
	saves the Communication again once the attachments are stored, so this runs twice).
	Only the customer's own email counts (see is_from_customer): anyone can name a complaint
	in a subject."""
	if not _received_on_complaint(doc):
		return
	try:
		complaint = frappe.get_doc("Complaint", doc.reference_name)
		if not is_from_customer(complaint, doc):
			return
		changed = _describe_from_email(complaint, doc)
		changed = _evidence_from_email(complaint, doc) or changed
		if changed:
			complaint.flags.ignore_permissions = True
			complaint.save()
	except Exception:
		# the email itself is kept, linked to the complaint: staff see it on the timeline
		frappe.log_error(f"Complaint {doc.reference_name}: email {doc.name} not applied")


def on_new_communication(doc, method=None):
	"""The customer wrote again on a complaint that is being handled: tell its handler (once:
	a Communication is inserted once, however often it is saved). An email from anyone else is
	kept on the timeline as unverified correspondence, and said to be so."""
	if not _received_on_complaint(doc):
		return
	complaint = frappe.db.get_value(
		"Complaint", doc.reference_name, ["name", "handler", "contact_email"], as_dict=True
	)
	if not complaint:
		return
	if not is_from_customer(complaint, doc):
		_note_unverified(complaint, doc)
	elif complaint.handler and _is_reply(complaint, doc):
		_tell_handler_of_reply(complaint)


def is_from_customer(complaint, communication) -> bool:
	"""Sent from the complaint's contact address, or a reply to a message the clinic sent on it
	(whoever answers that holds the customer's mailbox)."""
	if is_same_address(communication.sender, complaint.contact_email):
		return True
	if not communication.in_reply_to:
		return False
	return bool(
		frappe.db.exists(
			"Communication",
			{
				"name": communication.in_reply_to,
				"sent_or_received": "Sent",
				"reference_doctype": "Complaint",
				"reference_name": complaint.name,
			},
		)
	)


def _note_unverified(complaint, communication):
	from kesu_app.outbox import notify_users

	text = _(
		"Unverified correspondence: the email {0} from {1} names this complaint but was not sent from the customer's address. Its attachments were not added as evidence."
	).format(escape(communication.name), escape(communication.sender))
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Info",
			"reference_doctype": "Complaint",
			"reference_name": complaint.name,
			"content": text,
		}
	).insert(ignore_permissions=True)
	if complaint.handler:
		notify_users(
			[complaint.handler],
			"Complaint",
			complaint.name,
			_("Unverified email on complaint {0} from {1}").format(complaint.name, communication.sender),
		)


def _describe_from_email(complaint, communication) -> bool:
	if strip_html(complaint.description or "").strip():
		return False
	complaint.description = communication.content or communication.text_content or communication.subject
	# the clocks run from when the customer wrote, not from when the mail was fetched
	sent = communication.communication_date and get_datetime(communication.communication_date)
	if sent and sent < get_datetime(complaint.received_at) and sent > add_days(now_datetime(), -7):
		complaint.received_at = sent
	return True


def _evidence_from_email(complaint, communication) -> bool:
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Communication", "attached_to_name": communication.name},
		fields=["file_url", "file_name"],
		order_by="creation",
	)
	known = {row.attachment for row in complaint.evidence}
	added = False
	for file in files:
		if file.file_url in known:
			continue
		complaint.append(
			"evidence",
			{
				"evidence_type": evidence_type_for(file.file_name or file.file_url),
				"attachment": file.file_url,
				"description": _("Attached to the email {0}").format(communication.subject or "")[:140],
			},
		)
		added = True
	return added


def _is_reply(complaint, communication) -> bool:
	return bool(
		frappe.db.exists(
			"Communication",
			{
				"reference_doctype": "Complaint",
				"reference_name": complaint.name,
				"name": ("!=", communication.name),
				"creation": ("<=", communication.creation),
			},
		)
	)


def _tell_handler_of_reply(complaint):
	from kesu_app.outbox import notify_users

	if complaint.handler:
		notify_users(
			[complaint.handler],
			"Complaint",
			complaint.name,
			_("The customer replied by email on complaint {0}").format(complaint.name),
		)


# --- evidence files ----------------------------------------------------------------------------


def check_evidence_files(complaint):
	"""An evidence row is only a file's address, and attaching the file to the complaint makes it
	readable with the complaint: a user may point a row only at a file they may read already, or
	one they uploaded that nothing holds yet. Otherwise anyone who may edit one complaint could
	read any private file whose address they know, by naming it as evidence."""
	if in_system_step() or (complaint.is_new() and in_web_form()):
		return  # the website form takes only files uploaded with it (check_web_limits)
	before = None if complaint.is_new() else complaint.get_doc_before_save()
	known = {row.attachment for row in before.evidence} if before else set()
	for row in complaint.evidence:
		url = row.attachment or ""
		if url in known or not url.startswith(FILE_PREFIXES) or may_use_file(url):
			continue
		frappe.throw(
			_("Row {0} of the evidence names a file you may not read: {1}").format(row.idx, escape(url)),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def may_use_file(url: str) -> bool:
	user = frappe.session.user
	files = frappe.get_all(
		"File", filters={"file_url": url, "is_folder": 0}, fields=["name", "owner", "attached_to_doctype"]
	)
	if not files:
		# no record: a public address is served to anyone anyway; a private one is nobody's to claim
		return not url.startswith("/private/")
	return any(
		(not file.attached_to_doctype and file.owner == user)
		or (user != "Guest" and frappe.has_permission("File", "read", doc=file.name, user=user))
		for file in files
	)


def attach_evidence_files(complaint):
	"""Evidence rows point at files; make each file an attachment of the complaint, so it shows
	in the sidebar, follows the complaint's permissions and is not lost when the email or
	upload it came from is deleted."""
	urls = {row.attachment for row in complaint.evidence if (row.attachment or "").startswith(FILE_PREFIXES)}
	if not urls:
		return
	attached = set(
		frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": "Complaint",
				"attached_to_name": complaint.name,
				"file_url": ("in", list(urls)),
			},
			pluck="file_url",
		)
	)
	for url in urls - attached:
		unattached = frappe.db.get_value(
			"File", {"file_url": url, "attached_to_doctype": ("is", "not set"), "is_folder": 0}
		)
		if unattached:
			frappe.db.set_value(
				"File",
				unattached,
				{"attached_to_doctype": "Complaint", "attached_to_name": complaint.name, "is_private": 1},
			)
			continue
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_url": url,
				"attached_to_doctype": "Complaint",
				"attached_to_name": complaint.name,
				"is_private": cint(url.startswith("/private/")),
			}
		).insert(ignore_permissions=True)
		if file.file_url != url:
			# Frappe 16 copies a file another record holds, under a name of its own: the evidence
			# points at the complaint's copy, which lives as long as the complaint
			for row in complaint.evidence:
				if row.attachment == url:
					row.db_set("attachment", file.file_url, update_modified=False)


# --- the website form --------------------------------------------------------------------------


@frappe.whitelist(allow_guest=True, methods=["POST"])
def accept_web_form(web_form: str, data: str):
	"""Frappe's web form save, answering a complaint with its number alone: the document it made
	holds what a guest must not read back (what staff and the app add to it)."""
	from frappe.website.doctype.web_form.web_form import accept

	doc = accept(web_form=web_form, data=data)
	if getattr(doc, "doctype", None) != "Complaint":
		return doc
	# the thank-you page (/complaint-received) shows the number to whoever filed it, guest too
	frappe.local.cookie_manager.set_cookie(
		RECEIVED_COOKIE, doc.name, max_age=RECEIVED_COOKIE_SECONDS, httponly=True
	)
	return {"doctype": doc.doctype, "name": doc.name}


RECEIVED_COOKIE = "kesu_complaint_received"
RECEIVED_COOKIE_SECONDS = 3600


def in_web_form() -> bool:
	return bool(frappe.flags.in_web_form)


def apply_web_form_values(complaint):
	"""A complaint filed on the website: its channel, and who filed it when they are signed in."""
	complaint.channel = "Website"
	complaint.received_by = None
	# the language the customer used the form in is the one to write back in
	complaint.preferred_language = complaint.preferred_language or frappe.local.lang
	user = frappe.session.user
	if user == "Guest":
		return
	email = frappe.db.get_value("User", user, "email")
	complaint.contact_email = complaint.contact_email or email
	if not complaint.customer:
		customers = customers_of_user(user)
		if len(customers) == 1:
			complaint.customer = customers[0]


def check_web_limits(complaint):
	"""Abuse limits of the public form: complaints per hour from one address, and the number and
	size of attachments (Frappe's own limit is site-wide and far larger)."""
	settings = frappe.get_cached_doc("Kesu Settings")
	limit = cint(settings.web_intake_hourly_limit)
	if limit:
		for who in (frappe.local.request_ip if frappe.request else None, complaint.contact_email):
			if who and _count_this_hour(who) > limit:
				frappe.throw(
					_("Too many complaints from you in the last hour. Please try again later, or call us."),
					frappe.RateLimitExceededError,
					title=_("Please Wait"),
				)
	check_evidence_limits(complaint, settings)


def check_evidence_limits(complaint, settings=None):
	settings = settings or frappe.get_cached_doc("Kesu Settings")
	max_files, max_mb = cint(settings.max_evidence_files), flt(settings.max_evidence_size_mb)
	if max_files and len(complaint.evidence) > max_files:
		frappe.throw(
			_("At most {0} attachments can be sent with a complaint.").format(max_files),
			title=_("Too Many Attachments"),
		)
	urls = [row.attachment for row in complaint.evidence if row.attachment]
	if not urls:
		return
	files = frappe.get_all(
		"File",
		filters={"file_url": ("in", urls)},
		fields=["file_url", "file_name", "file_size", "attached_to_doctype", "attached_to_name"],
	)
	for url in urls:
		# only files uploaded with this form: not a path to some other record's file
		if not any(
			f.file_url == url and (not f.attached_to_doctype or f.attached_to_name == complaint.name)
			for f in files
		):
			frappe.throw(
				_("The attachment {0} was not uploaded with this form.").format(url.rsplit("/", 1)[-1]),
				title=_("Attachment Not Found"),
			)
	if not max_mb:
		return
	for file in files:
		if cint(file.file_size) > max_mb * 1024 * 1024:
			frappe.throw(
				_("{0} is larger than {1} MB. Please send a smaller file.").format(file.file_name, max_mb),
				title=_("Attachment Too Large"),
			)


def _count_this_hour(who: str) -> int:
	key = frappe.cache.make_key(f"kesu:web-intake:{who.lower()}")
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, 3600)
	return count


# --- the portal page of one's own complaints ---------------------------------------------------


def complaints_of_user(user: str, limit: int = 100) -> list[dict]:
	"""What a website user may see of their complaints: the ones they filed, the ones filed for
	their email address, and those of the Customer their contact belongs to."""
	if not user or user == "Guest":
		return []
	complaint = DocType("Complaint")
	mine = complaint.owner == user
	email = frappe.db.get_value("User", user, "email")
	if email:
		mine = mine | (complaint.contact_email == email)
	customers = customers_of_user(user)
	if customers:
		mine = mine | complaint.customer.isin(customers)
	return (
		frappe.qb.from_(complaint)
		.select(
			complaint.name,
			complaint.subject,
			complaint.received_at,
			complaint.status,
			complaint.modified,
			complaint.consent_share_practitioner,
			complaint.consent_share_third_party,
		)
		.where(mine)
		.orderby(complaint.received_at, order=frappe.qb.desc)
		.limit(limit)
		.run(as_dict=True)
	)


UPLOADER_WORDS = (
	"Attach",
	"Reload File",
	"Clear",
	"Upload",
	"My Device",
	"Library",
	"Link",
	"Camera",
	"Set all public",
	"Set all private",
	"Drag and drop files here or upload from",
	"Uploading {0} of {1}",
)


def translate_web_form_tables(context):
	"""Frappe sends a web form's page the translations of its own fields only, so the evidence
	table's column labels and types would show in English to a Chinese customer: add them."""
	if context.get("doc_type") != "Complaint" or not context.get("translated_messages"):
		return None
	import json

	messages = json.loads(context.translated_messages)
	# and the file uploader's own buttons, which Frappe leaves out as well
	messages.update({word: _(word) for word in UPLOADER_WORDS})
	for df in frappe.get_meta("Complaint Evidence").fields:
		words = [df.label] + ((df.options or "").split("\n") if df.fieldtype == "Select" else [])
		messages.update({word: _(word) for word in words if word})
	return {"translated_messages": frappe.as_json(messages)}
