"""Intake from outside the desk, in a real site: email through Frappe's Email Account machinery,
the website form as a guest and as a signed-in customer, the portal page of one's own complaints,
the chat / social media API behind Frappe's API-key authentication; and the letters."""

from __future__ import annotations

import base64
import json
import re
import uuid
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import make_msgid

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.email.receive import InboundMail  # noqa: E402
from frappe.model.workflow import apply_workflow  # noqa: E402
from frappe.utils import set_request  # noqa: E402

from kesu_app.rules.privacy import intake_key  # noqa: E402
from tests.integration.factories import AGENT, complaint  # noqa: E402

PNG = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)
WEB_FORM = "file-a-complaint"
INBOX = "complaints@kesu-clinic.example.com"


def unique(prefix: str) -> str:
	return f"{prefix}-{uuid.uuid4().hex[:10]}"


# --- email -------------------------------------------------------------------------------------


@pytest.fixture
def inbox(masters, calendar):
	return (
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Kesu Complaints Inbox",
				"email_id": INBOX,
				"enable_incoming": 1,
				"use_imap": 0,
				"append_to": "Complaint",
				"email_server": "pop.example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"no_smtp_authentication": 1,
				"awaiting_password": 1,
			}
		)
		.insert()
		.name
	)


def raw_email(sender, subject, body, in_reply_to=None, attachment=None) -> bytes:
	message = MIMEMultipart()
	message["From"] = sender
	message["To"] = INBOX
	message["Subject"] = subject
	message["Message-ID"] = make_msgid(domain="mail.example.com")
	message["Date"] = frappe.utils.formatdate(frappe.utils.nowdate(), "EEE, dd MMM yyyy") + " 10:00:00 +0800"
	if in_reply_to:
		message["In-Reply-To"] = f"<{in_reply_to}>"
	message.attach(MIMEText(body, "plain", "utf-8"))
	if attachment:
		part = MIMEApplication(attachment[1], Name=attachment[0])
		part["Content-Disposition"] = f'attachment; filename="{attachment[0]}"'
		message.attach(part)
	return message.as_bytes()


def receive(inbox, raw: bytes):
	"""What the mail pull does with each message it fetches."""
	return InboundMail(raw, frappe.get_doc("Email Account", inbox)).process()


def test_an_email_makes_one_complaint_and_a_reply_threads_onto_it(inbox, masters):
	sender = f"{unique('li')}@example.com"
	first = receive(
		inbox,
		raw_email(
			f"Li Na <{sender}>",
			"Scar after the mole removal",
			"The scar is raised and red three weeks later.",
			attachment=("scar.png", PNG),
		),
	)
	assert first.reference_doctype == "Complaint"
	doc = frappe.get_doc("Complaint", first.reference_name)
	assert (doc.channel, doc.contact_email, doc.customer_name, doc.subject) == (
		"Email",
		sender,
		"Li Na",
		"Scar after the mole removal",
	)
	assert doc.email_account == inbox and "raised and red" in doc.description
	assert doc.acknowledgement_due  # its time limits run like any other complaint's
	[evidence] = doc.evidence
	# the complaint's own copy of the file (Frappe 16 names the copy anew: scar<hash>.png)
	assert evidence.evidence_type == "Photo" and re.match(
		r"/private/files/scar\w*\.png$", evidence.attachment
	)
	assert frappe.db.exists(
		"File",
		{"attached_to_doctype": "Complaint", "attached_to_name": doc.name, "file_url": evidence.attachment},
	)

	doc.handler = AGENT
	doc.save()
	reply = receive(
		inbox,
		raw_email(
			sender,
			"Re: Scar after the mole removal",
			"Here is another photo.",
			in_reply_to=first.message_id,
			attachment=("scar-week-4.png", PNG + b"4"),
		),
	)
	assert (reply.reference_doctype, reply.reference_name) == ("Complaint", doc.name)
	assert frappe.db.count("Complaint", {"contact_email": sender}) == 1
	assert (
		frappe.db.count("Communication", {"reference_doctype": "Complaint", "reference_name": doc.name}) == 2
	)
	doc.reload()
	assert "raised and red" in doc.description  # the first email stays the description
	# (Frappe 16 names each copy anew: scar<hash>.png)
	names = [re.sub(r"[0-9a-f]{6}(?=\.png$)", "", row.attachment.rsplit("/", 1)[-1]) for row in doc.evidence]
	assert names == ["scar.png", "scar-week-4.png"]
	# the handler is told once, though Frappe saves the reply twice
	replied = {"document_name": doc.name, "for_user": AGENT, "subject": ("like", "%replied%")}
	assert frappe.db.count("Notification Log", replied) == 1


def test_an_email_from_a_known_address_is_not_linked_but_staff_are_told(inbox, masters):
	sender = f"{unique('zhang')}@example.com"
	frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": "Zhang",
			"email_ids": [{"email_id": sender, "is_primary": 1}],
			"links": [{"link_doctype": "Customer", "link_name": masters["customer_b"]}],
		}
	).insert()
	mail = receive(inbox, raw_email(sender, "Billed twice", "I was charged twice for one visit."))
	doc = frappe.get_doc("Complaint", mail.reference_name)
	# a From address proves nothing: no Customer, none of its data, until staff confirm
	assert not doc.customer and doc.customer_name == sender  # the address stands in for a name
	notes = frappe.get_all(
		"Comment", filters={"reference_name": doc.name, "comment_type": "Info"}, pluck="content"
	)
	assert any(masters["customer_b"] in note for note in notes)


def test_a_reply_to_our_letter_threads_by_its_headers_whatever_its_subject(inbox, masters):
	sender = f"{unique('chen')}@example.com"
	doc = frappe.get_doc(complaint(masters, contact_email=sender, preferred_language="en", handler=AGENT))
	doc.insert()
	frappe.set_user(AGENT)
	apply_workflow(frappe.get_doc("Complaint", doc.name).as_dict(), "Acknowledge")
	frappe.set_user("Administrator")
	letter = frappe.get_all(
		"Communication",
		filters={"reference_doctype": "Complaint", "reference_name": doc.name, "sent_or_received": "Sent"},
		fields=["name", "message_id"],
	)
	assert len(letter) == 1
	reply = receive(
		inbox, raw_email(sender, "thanks", "Thank you, waiting.", in_reply_to=letter[0].message_id)
	)
	assert (reply.reference_doctype, reply.reference_name) == ("Complaint", doc.name)
	assert not frappe.db.exists("Complaint", {"contact_email": sender, "name": ("!=", doc.name)})


# --- letters -----------------------------------------------------------------------------------


def acknowledge(masters, **values) -> str:
	doc = frappe.get_doc(complaint(masters, handler=AGENT, **values))
	doc.insert()
	frappe.set_user(AGENT)
	try:
		apply_workflow(frappe.get_doc("Complaint", doc.name).as_dict(), "Acknowledge")
	finally:
		frappe.set_user("Administrator")
	return doc.name


def letters(name) -> list:
	return frappe.get_all(
		"Communication",
		filters={"reference_doctype": "Complaint", "reference_name": name, "sent_or_received": "Sent"},
		fields=["subject", "content", "recipients", "email_template", "name"],
	)


@pytest.mark.parametrize(
	"language, subject, text",
	[
		("zh", "投诉受理确认函", "我们已于"),
		("en", "We have received your complaint", "We received your complaint"),
	],
)
def test_the_acknowledgement_goes_out_in_the_customers_language(inbox, masters, language, subject, text):
	name = acknowledge(masters, contact_email="wang@example.com", preferred_language=language)
	[letter] = letters(name)
	assert letter.subject.startswith(subject) and f"#{name}" in letter.subject
	assert text in letter.content and name in letter.content
	assert letter.recipients == "wang@example.com"
	[queued] = frappe.get_all("Email Queue", filters={"communication": letter.name}, pluck="attachments")
	# the printed letter goes with it, rendered in the same language when the mail is sent
	[printed] = json.loads(queued)
	assert printed["print_format"] == f"Complaint Acknowledgement Letter ({language})"
	assert printed["lang"] == language


def test_a_language_without_letters_falls_back_and_no_email_means_no_letter(inbox, masters):
	frappe.db.set_single_value("System Settings", "language", "en")
	name = acknowledge(masters, contact_email="wang@example.com", preferred_language="fr")
	[letter] = letters(name)
	assert letter.subject.startswith("We have received your complaint")
	assert letters(acknowledge(masters, contact_email=None)) == []


def test_without_an_outgoing_account_the_status_still_changes(masters, calendar):
	for account in frappe.get_all("Email Account", filters={"enable_outgoing": 1}, pluck="name"):
		frappe.db.set_value("Email Account", account, {"enable_outgoing": 0, "default_outgoing": 0})
	name = acknowledge(masters, contact_email="wang@example.com", preferred_language="zh")
	assert frappe.db.get_value("Complaint", name, "status") == "Acknowledged"
	assert letters(name) == []


def test_the_resolution_letter_and_its_print_format_say_what_was_found_and_done(inbox, masters):
	name = acknowledge(masters, contact_email="wang@example.com", preferred_language="zh")
	frappe.db.set_value(
		"Complaint",
		name,
		{"findings": "<p>术后红肿属常见反应。</p>", "resolution_summary": "<p>免费安排一次舒缓护理。</p>"},
	)
	from kesu_app.letters import render_letter

	doc = frappe.get_doc("Complaint", name)
	rendered = render_letter(doc, "Resolution Letter")
	assert rendered["language"] == "zh" and rendered["subject"] == "投诉处理结果告知函"
	assert "术后红肿属常见反应" in rendered["message"] and "免费安排一次舒缓护理" in rendered["message"]
	printed = frappe.get_print("Complaint", name, "Complaint Resolution Letter (zh)")
	assert "投诉处理结果告知函" in printed and "免费安排一次舒缓护理" in printed
	printed_en = frappe.get_print("Complaint", name, "Complaint Resolution Letter (en)")
	assert "What we have done" in printed_en


# --- the website form --------------------------------------------------------------------------


def submit_web_form(data: dict, user: str = "Guest"):
	from frappe.website.doctype.web_form.web_form import accept

	frappe.set_user(user)
	try:
		return accept(WEB_FORM, json.dumps(data))
	finally:
		frappe.flags.in_web_form = False
		frappe.set_user("Administrator")


def uploaded_file(name="photo.png", content=PNG) -> str:
	"""A file as the web form's uploader leaves it: stored, not yet attached to anything."""
	return (
		frappe.get_doc({"doctype": "File", "file_name": name, "content": content, "is_private": 1})
		.insert(ignore_permissions=True)
		.file_url
	)


def web_data(email: str, **values) -> dict:
	return {
		"customer_name": "Zhao Min",
		"contact_email": email,
		"subject": "Waited two hours past my appointment",
		"description": "Nobody told me why.",
		**values,
	}


def test_a_guest_files_a_complaint_with_a_photo(masters, calendar):
	email = f"{unique('zhao')}@example.com"
	photo = uploaded_file()
	doc = submit_web_form(
		web_data(email, evidence=[{"evidence_type": "Photo", "attachment": photo, "description": "queue"}])
	)
	doc = frappe.get_doc("Complaint", doc.name)
	assert (doc.channel, doc.contact_email, doc.owner) == ("Website", email, "Guest")
	assert doc.company == masters["company"] and doc.acknowledgement_due
	assert frappe.db.exists(
		"File", {"file_url": photo, "attached_to_doctype": "Complaint", "attached_to_name": doc.name}
	)


def new_complaint_alerts(name: str) -> list[dict]:
	return frappe.get_all(
		"Notification Log",
		filters={"document_type": "Complaint", "document_name": name},
		fields=["for_user", "subject"],
	)


def test_the_front_desk_hears_at_once_of_a_complaint_nobody_took(masters, calendar):
	frappe.set_user("Administrator")
	frappe.local.lang = "en"
	doc = submit_web_form(web_data(f"{unique('qian')}@example.com"))
	alerts = new_complaint_alerts(doc.name)
	assert {"for_user": AGENT, "subject": f"New complaint {doc.name} by Website: {doc.subject}"} in alerts
	# a complaint taken at the desk has someone on it already
	desk = frappe.get_doc(complaint(masters)).insert()
	assert not [a for a in new_complaint_alerts(desk.name) if a.subject.startswith("New complaint")]


def test_a_complaint_filed_at_the_desk_does_not_load_the_alert(masters, calendar, monkeypatch):
	"""The alert listens to the method only complaints nobody took run: the desk's intake does not
	fetch and evaluate it (the cost that made the desk's intake slower than it need be)."""
	from frappe.email.doctype.notification import notification

	evaluated = []
	real = notification.evaluate_alert
	monkeypatch.setattr(notification, "evaluate_alert", lambda *args: evaluated.append(args) or real(*args))
	frappe.get_doc(complaint(masters)).insert()
	assert [alert for doc, alert, event in evaluated if alert == "New Complaint from a Customer"] == []
	submit_web_form(web_data(f"{unique('li')}@example.com"))
	assert [alert for doc, alert, event in evaluated if alert == "New Complaint from a Customer"] == [
		"New Complaint from a Customer"
	]


def test_the_new_complaint_alert_moves_to_its_method_unless_an_admin_changed_it(masters):
	from kesu_app.patches.v0_2 import new_complaint_notification_on_method
	from kesu_app.rules.defaults import NEW_COMPLAINT_NOTIFICATION

	name = NEW_COMPLAINT_NOTIFICATION["name"]

	def shaped(event, condition, method=None):
		frappe.db.set_value("Notification", name, {"event": event, "condition": condition, "method": method})
		new_complaint_notification_on_method.execute()
		return frappe.db.get_value("Notification", name, ["event", "method", "condition"])

	former = NEW_COMPLAINT_NOTIFICATION["former_condition"]
	assert shaped("New", former) == ("Method", "after_customer_intake", None)
	# the admin's own condition, or event, stays as they made it
	assert shaped("New", "doc.channel == 'Website'") == ("New", None, "doc.channel == 'Website'")
	assert shaped("Save", former) == ("Save", None, former)
	assert shaped("Method", None, "after_customer_intake") == ("Method", "after_customer_intake", None)


def test_the_new_complaint_alert_reads_in_chinese(masters, calendar):
	frappe.local.lang = "zh"
	try:
		doc = submit_web_form(web_data(f"{unique('zhou')}@example.com"))
	finally:
		frappe.local.lang = "en"
	subjects = [a.subject for a in new_complaint_alerts(doc.name) if a.for_user == AGENT]
	assert subjects == [f"新投诉 {doc.name}（网站）：{doc.subject}"]


def test_the_new_complaint_alert_is_the_admins_to_change(masters, calendar):
	notification = frappe.get_doc("Notification", "New Complaint from a Customer")
	notification.enabled = 0
	notification.save()
	try:
		doc = submit_web_form(web_data(f"{unique('sun')}@example.com"))
		assert not new_complaint_alerts(doc.name)
	finally:
		notification.reload()
		notification.enabled = 1
		notification.save()


def test_the_web_form_limits_attachments_and_complaints_per_hour(masters, calendar):
	email = f"{unique('spam')}@example.com"
	calendar.max_evidence_files = 1
	calendar.max_evidence_size_mb = 0.00001  # 10 bytes: the test PNG is larger
	calendar.web_intake_hourly_limit = 2
	calendar.save()
	before = frappe.db.count("Complaint")
	two = [{"evidence_type": "Photo", "attachment": uploaded_file(f"p{i}.png")} for i in range(2)]
	with pytest.raises(frappe.ValidationError, match="At most 1 attachments"):
		submit_web_form(web_data(email, evidence=two))
	with pytest.raises(frappe.ValidationError, match="larger than"):
		submit_web_form(web_data(email, evidence=two[:1]))
	# the two refused attempts count: a third from the same address is over the hourly limit
	with pytest.raises(frappe.RateLimitExceededError):
		submit_web_form(web_data(email))
	assert frappe.db.count("Complaint") == before
	frappe.cache.delete_value(f"kesu:web-intake:{email}")


def website_user(email: str, customer: str | None = None) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
	if customer:
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": email.split("@")[0],
				"user": email,
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert(ignore_permissions=True)
	return email


def test_a_signed_in_customer_files_and_sees_only_their_own_complaints(masters, calendar):
	from frappe.website.serve import get_response_content

	mine = website_user(f"{unique('mine')}@example.com", masters["customer_b"])
	theirs = website_user(f"{unique('theirs')}@example.com")
	filed = submit_web_form(web_data(None, subject="Rude receptionist"), user=mine)
	doc = frappe.get_doc("Complaint", filed.name)
	assert (doc.owner, doc.contact_email, doc.customer) == (mine, mine, masters["customer_b"])
	# filed for them at the desk: theirs by their customer record
	at_desk = frappe.get_doc(
		complaint(masters, customer=masters["customer_b"], sales_invoice=None, subject="Billing error")
	)
	at_desk.insert()
	other = submit_web_form(web_data(theirs, subject="Someone else's matter"), user=theirs)

	for user, sees, not_sees in (
		(mine, (doc.name, at_desk.name), (other.name,)),
		(theirs, (other.name,), (doc.name,)),
	):
		frappe.set_user(user)
		try:
			set_request(method="GET", path="/my-complaints")
			page = get_response_content("my-complaints")
		finally:
			del frappe.local.request
			frappe.set_user("Administrator")
		assert all(name in page for name in sees), user
		assert not any(name in page for name in not_sees), user
	assert "Logged" in page  # the customer-facing status, not the internal one


def test_a_guest_is_sent_to_log_in_for_the_portal_page(masters):
	from frappe.website.serve import get_response

	frappe.set_user("Guest")
	try:
		set_request(method="GET", path="/my-complaints")
		response = get_response("my-complaints")
	finally:
		del frappe.local.request
		frappe.set_user("Administrator")
	assert response.status_code in (301, 302) and "/login" in response.headers["Location"]


# --- the chat / social media API ---------------------------------------------------------------


@pytest.fixture
def integration(masters, calendar):
	from kesu_app.rules.intake import INTEGRATION_ROLE

	email = "kesu.wechat.bot@example.com"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": "WeChat Bot", "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles(INTEGRATION_ROLE)
	user.api_key = user.api_key or frappe.generate_hash(length=15)
	secret = frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save(ignore_permissions=True)
	return {"key": user.api_key, "secret": secret, "user": email}


def call_api(authorization: str, payload: dict):
	"""One POST as Frappe serves it: API-key authentication, then the whitelisted method."""
	from frappe.auth import validate_auth
	from frappe.handler import execute_cmd

	frappe.set_user("Guest")
	try:
		set_request(
			method="POST",
			path="/api/method/kesu_app.api.submit_complaint",
			headers={"Authorization": authorization},
		)
		frappe.local.form_dict = frappe._dict(payload)
		frappe.local.login_manager = frappe._dict(user="Guest")  # a request starts as Guest
		validate_auth()
		frappe.local.response = frappe._dict()
		return execute_cmd("kesu_app.api.submit_complaint")
	finally:
		del frappe.local.request
		del frappe.local.login_manager
		frappe.local.form_dict = frappe._dict()
		frappe.set_user("Administrator")


def api_payload(**values) -> dict:
	return {
		"idempotency_key": unique("wechat-msg"),
		"channel": "WeChat",
		"customer_name": "Sun Li",
		"contact_phone": "+86 139 0000 1111",
		"external_user_id": "oWx-openid-123",
		"subject": "Swelling after filler",
		"description": "Swelling has not gone down after five days.",
		**values,
	}


def test_the_api_refuses_a_bad_key(integration):
	with pytest.raises(frappe.AuthenticationError):
		call_api(f"token {integration['key']}:wrong-secret", api_payload())
	with pytest.raises(frappe.AuthenticationError):
		call_api("token nobody:nothing", api_payload())


def test_the_api_files_once_per_idempotency_key_with_evidence(integration):
	auth = f"token {integration['key']}:{integration['secret']}"
	payload = api_payload(
		evidence=json.dumps([{"file_name": "swelling.jpg", "content": base64.b64encode(PNG).decode()}])
	)
	first = call_api(auth, payload)
	assert first["created"] is True and first["status"] == "Open"
	doc = frappe.get_doc("Complaint", first["complaint"])
	assert (doc.channel, doc.owner, doc.external_user_id) == ("WeChat", integration["user"], "oWx-openid-123")
	# stored per caller: another integration's same key finds nothing of this one
	assert doc.intake_key == intake_key(integration["user"], payload["idempotency_key"])
	assert len(doc.evidence) == 1
	assert frappe.db.exists("File", {"attached_to_name": doc.name, "file_url": doc.evidence[0].attachment})

	# nobody at the clinic took it: the front desk is told
	assert AGENT in [
		a.for_user for a in new_complaint_alerts(doc.name) if a.subject.startswith("New complaint")
	]

	again = call_api(auth, payload)
	assert again == {"complaint": doc.name, "status": "Open", "created": False}
	assert frappe.db.count("Complaint", {"intake_key": doc.intake_key}) == 1


@pytest.mark.parametrize(
	"change, message",
	[
		({"idempotency_key": "short"}, "idempotency_key"),
		({"channel": "Walk-in"}, "not one an integration may use"),
		({"subject": ""}, "Subject is required"),
		({"contact_phone": None}, "must be reachable"),
		({"contact_email": "not-an-address"}, "not a valid email"),
		({"evidence": json.dumps([{"file_name": "run.exe", "content": "AAAA"}])}, "not accepted"),
		({"evidence": json.dumps([{"file_name": "a.png", "content": "%%%"}])}, "not valid base64"),
		({"company": "No Such Company"}, "does not exist"),
	],
)
def test_the_api_refuses_bad_input_and_files_nothing(integration, change, message):
	auth = f"token {integration['key']}:{integration['secret']}"
	payload = api_payload(**change)
	before = frappe.db.count("Complaint")
	with pytest.raises(frappe.ValidationError, match=message):
		call_api(auth, payload)
	assert frappe.db.count("Complaint") == before


def test_the_api_is_for_its_role_only(masters, calendar):
	website = website_user(f"{unique('web')}@example.com")
	user = frappe.get_doc("User", website)
	user.api_key = frappe.generate_hash(length=15)
	secret = frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save(ignore_permissions=True)
	with pytest.raises(frappe.PermissionError):
		call_api(f"token {user.api_key}:{secret}", api_payload())


def test_the_web_form_page_is_in_the_customers_language(masters):
	from frappe.website.serve import get_response_content

	frappe.set_user("Guest")
	frappe.local.lang = "zh"
	try:
		set_request(method="GET", path="/complaint/new")
		page = get_response_content("complaint/new")
	finally:
		del frappe.local.request
		frappe.set_user("Administrator")
	assert "提交投诉" in page
	# the evidence table's columns too, which Frappe alone leaves in English
	for label in ("类型", "附件", "照片"):
		assert json.dumps(label)[1:-1] in page, label


def test_the_web_form_takes_no_other_records_files(masters, calendar):
	other = frappe.get_doc(complaint(masters))
	other.insert()
	private = (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "medical-record.txt",
				"content": b"someone else's medical record",
				"is_private": 1,
				"attached_to_doctype": "Complaint",
				"attached_to_name": other.name,
			}
		)
		.insert(ignore_permissions=True)
		.file_url
	)
	email = f"{unique('peek')}@example.com"
	with pytest.raises(frappe.ValidationError, match="not uploaded with this form"):
		submit_web_form(web_data(email, evidence=[{"evidence_type": "Other", "attachment": private}]))
	assert not frappe.db.exists("Complaint", {"contact_email": email})
	frappe.cache.delete_value(f"kesu:web-intake:{email}")
