"""The customer's whole story (#19): complaints on ERPNext's records, repeat complaints,
personal-data rights and consent."""

from __future__ import annotations

import json
import uuid

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.desk.notifications import get_open_count  # noqa: E402
from frappe.utils import add_days, add_to_date, now_datetime  # noqa: E402

from kesu_app import personal_data  # noqa: E402
from kesu_app.connections import responsible_counts  # noqa: E402
from kesu_app.kesu_app.report.complaint_category_analysis import complaint_category_analysis as category  # noqa: E402
from kesu_app.kesu_app.report.quarterly_complaint_analysis import quarterly_complaint_analysis as quarterly  # noqa: E402
from kesu_app.letters import send_letter_now  # noqa: E402
from tests.integration.factories import (  # noqa: E402
	AGENT,
	DIRECTOR,
	complaint,
	make_customer,
	make_employee,
	make_sales_invoice,
	make_service_item,
)
from tests.integration.http_client import Http, api_keys  # noqa: E402
from tests.integration.test_channels import api_payload, call_api, integration  # noqa: E402, F401
from tests.integration.test_security import delete_complaints  # noqa: E402

DAY0 = "2026-03-01 10:00:00"


def unique(prefix: str) -> str:
	return f"{prefix} {uuid.uuid4().hex[:8]}"


def settings(**values):
	doc = frappe.get_single("Kesu Settings")
	doc.update(values)
	doc.flags.ignore_mandatory = True
	doc.save()
	frappe.clear_document_cache("Kesu Settings", "Kesu Settings")
	return doc


def file(masters, **values) -> frappe.model.document.Document:
	"""A complaint about nothing in particular unless told: no practitioner, service or invoice."""
	values = {"practitioner": None, "item": None, "sales_invoice": None, **values}
	return frappe.get_doc(complaint(masters, **values)).insert()


def close(name: str, closed_at=None):
	frappe.db.set_value(
		"Complaint",
		name,
		{"status": "Closed", "closed_at": closed_at or now_datetime()},
		update_modified=False,
	)


# --- 1. complaints on ERPNext's records ---------------------------------------------------------


def counts(doctype: str, name: str) -> dict[str, int]:
	found = get_open_count(doctype, name)["count"]
	return {row["doctype"]: row["count"] for row in found["external_links_found"]}


def test_connections_count_complaints_on_each_erpnext_form(masters, calendar):
	company = masters["company"]
	customer = make_customer(unique("_Kesu Story Customer"))
	doctor = make_employee(unique("_KesuStoryDoc"), company)
	responsible = make_employee(unique("_KesuStoryResp"), company)
	item = make_service_item(unique("_Kesu Story Service"))
	invoice = make_sales_invoice(customer, company)
	names = [
		file(
			masters,
			customer=customer,
			practitioner=doctor,
			item=item,
			sales_invoice=invoice if i == 0 else None,
			received_at=add_to_date(now_datetime(), hours=-3 - i),
		).name
		for i in range(2)
	]
	frappe.db.set_value("Complaint", names[0], "responsible_employee", responsible)
	compensation = frappe.get_doc(
		{
			"doctype": "Compensation",
			"complaint": names[0],
			"compensation_type": "Gift or Voucher",
			"amount": 100,
			"sales_invoice": invoice,
			"item": item,
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Follow-up",
			"complaint": names[1],
			"follow_up_type": "Progress Update",
			"scheduled_date": "2026-12-01",
		}
	).insert()
	assert frappe.db.get_value("Follow-up", {"complaint": names[1]}, "customer") == customer
	assert compensation.customer == customer

	on_customer = counts("Customer", customer)
	assert (on_customer["Complaint"], on_customer["Compensation"], on_customer["Follow-up"]) == (2, 1, 1)
	assert counts("Employee", doctor)["Complaint"] == 2
	assert frappe.get_meta("Employee").get_dashboard_data().fieldname  # else the form asks no counts
	assert counts("Employee", responsible)["Complaint"] == 0
	assert responsible_counts(responsible) == {"count": 1, "open_count": 1, "readable": True}
	on_item = counts("Item", item)
	assert (on_item["Complaint"], on_item["Compensation"]) == (2, 1)
	on_invoice = counts("Sales Invoice", invoice)
	assert (on_invoice["Complaint"], on_invoice["Compensation"]) == (1, 1)
	# what ERPNext shows stays
	customer_items = {
		i for group in frappe.get_meta("Customer").get_dashboard_data().transactions for i in group["items"]
	}
	assert {"Sales Order", "Sales Invoice", "Issue", "Complaint"} <= customer_items
	invoice_items = {
		i
		for group in frappe.get_meta("Sales Invoice").get_dashboard_data().transactions
		for i in group["items"]
	}
	assert {"Payment Entry", "Complaint", "Compensation"} <= invoice_items


def test_a_new_email_on_the_complaint_follows_to_its_follow_ups(masters, calendar):
	doc = file(masters, received_at=add_to_date(now_datetime(), hours=-2))
	follow_up = frappe.get_doc(
		{
			"doctype": "Follow-up",
			"complaint": doc.name,
			"follow_up_type": "Progress Update",
			"scheduled_date": "2026-12-01",
		}
	).insert()
	doc.reload()
	doc.contact_email = "story.moved@example.com"
	doc.save()
	assert frappe.db.get_value("Follow-up", follow_up.name, "contact_email") == "story.moved@example.com"


# --- 2. repeat complaints -------------------------------------------------------------------


def test_same_customer_on_day_n_is_a_repeat_and_on_day_n_plus_one_is_not(masters, calendar):
	settings(repeat_customer_days=10)
	first = make_customer(unique("_Kesu Repeat"))
	earlier = file(masters, customer=first, received_at=DAY0)
	on_day_n = file(masters, customer=first, received_at="2026-03-11 23:59:00")
	assert on_day_n.is_repeat and on_day_n.repeat_rules == "Customer"
	assert on_day_n.repeat_of == earlier.name
	assert json.loads(on_day_n.repeat_cases)["Customer"][0]["name"] == earlier.name

	second = make_customer(unique("_Kesu Repeat"))
	file(masters, customer=second, received_at=DAY0)
	on_day_n_plus_one = file(masters, customer=second, received_at="2026-03-12 00:01:00")
	assert not on_day_n_plus_one.is_repeat and not on_day_n_plus_one.repeat_of


def test_the_rules_find_earlier_cases_for_a_complaint_not_named_yet(masters, calendar):
	from kesu_app.repeats import earlier_cases, repeat_settings

	customer = make_customer(unique("_Kesu Repeat"))
	earlier = file(masters, customer=customer, received_at=DAY0)
	draft = frappe.get_doc(
		complaint(masters, customer=customer, received_at="2026-03-02 10:00:00", practitioner=None, item=None)
	)
	assert not draft.name
	assert [c["name"] for c in earlier_cases(draft, repeat_settings())["Customer"]] == [earlier.name]


def test_without_a_customer_the_same_phone_or_email_is_the_same_customer(masters, calendar):
	settings(repeat_customer_days=90)
	base = {"customer": None, "customer_name": "Walk-in Story"}
	phone = f"+86 139 {uuid.uuid4().int % 10000:04d} 7777"
	earlier = file(masters, **base, contact_phone=phone, received_at=DAY0)
	again = file(
		masters,
		**base,
		contact_phone=phone.replace("+86 ", "").replace(" ", ""),
		received_at="2026-03-05 09:00:00",
	)
	assert again.is_repeat and again.repeat_of == earlier.name

	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	by_mail = file(masters, **base, contact_phone=None, contact_email=email, received_at=DAY0)
	again = file(
		masters, **base, contact_phone=None, contact_email=email.upper(), received_at="2026-03-02 09:00:00"
	)
	assert again.is_repeat and again.repeat_of == by_mail.name
	stranger = file(
		masters, **base, contact_phone=None, contact_email="x" + email, received_at="2026-03-02 09:00:00"
	)
	assert not stranger.is_repeat


def strangers(masters, n: int, **values):
	"""``n`` complaints by different people, a day apart from DAY0."""
	return [
		file(
			masters,
			customer=None,
			customer_name=f"Story {i}",
			contact_phone=f"+86 137 {uuid.uuid4().int % 10000:04d} {i:04d}",
			received_at=add_days(DAY0, i),
			**values,
		)
		for i in range(n)
	]


def test_the_practitioners_kth_complaint_in_n_days_is_a_repeat_not_the_k_minus_first(masters, calendar):
	settings(repeat_practitioner_count=3, repeat_practitioner_days=30)
	doctor = make_employee(unique("_KesuRepeatDoc"), masters["company"])
	first, k_minus_one, k = strangers(masters, 3, practitioner=doctor)
	assert not first.is_repeat and not k_minus_one.is_repeat
	assert k.is_repeat and k.repeat_rules == "Practitioner"
	assert [c["name"] for c in json.loads(k.repeat_cases)["Practitioner"]] == [k_minus_one.name, first.name]
	# out of the window, the earlier ones do not count
	late = file(
		masters,
		customer=None,
		customer_name="Story late",
		contact_phone="+86 137 0000 9999",
		practitioner=doctor,
		received_at=add_days(DAY0, 33),
	)
	assert not late.is_repeat


def test_the_services_kth_complaint_is_a_repeat(masters, calendar):
	settings(repeat_item_count=2, repeat_item_days=30)
	item = make_service_item(unique("_Kesu Repeat Service"))
	one, two = strangers(masters, 2, item=item)
	assert not one.is_repeat
	assert two.is_repeat and two.repeat_rules == "Service"


def test_a_repeat_raises_the_severity_only_when_the_settings_say_so(masters, calendar):
	settings(repeat_customer_days=90, repeat_raises_severity=0)
	customer = make_customer(unique("_Kesu Repeat"))
	file(masters, customer=customer, received_at=DAY0)
	kept = file(masters, customer=customer, received_at="2026-03-02 10:00:00")
	assert kept.is_repeat and kept.severity == "General" and not kept.severity_raised_by_repeat
	settings(repeat_raises_severity=1)
	raised = file(masters, customer=customer, received_at="2026-03-03 10:00:00")
	assert raised.severity == "Important" and raised.severity_raised_by_repeat
	settings(detect_repeat_complaints=0)
	off = file(masters, customer=customer, received_at="2026-03-04 10:00:00")
	assert not off.is_repeat and off.severity == "General"


def test_repeats_are_a_list_filter(masters, calendar):
	customer = make_customer(unique("_Kesu Repeat"))
	file(masters, customer=customer, received_at=DAY0)
	second = file(masters, customer=customer, received_at="2026-03-02 10:00:00")
	assert frappe.get_list("Complaint", filters={"customer": customer, "is_repeat": 1}, pluck="name") == [
		second.name
	]


def test_nobody_clears_the_repeat_flag_through_the_api(masters, calendar):
	customer = make_customer(unique("_Kesu Repeat"))
	frappe.db.commit()
	names = []
	try:
		names.append(file(masters, customer=customer, received_at=add_days(now_datetime(), -3)).name)
		second = file(masters, customer=customer, received_at=add_days(now_datetime(), -1))
		names.append(second.name)
		agent = api_keys(AGENT)
		frappe.db.commit()
		response = Http(frappe.local.site).put(
			f"/api/resource/Complaint/{second.name}", agent, {"is_repeat": 0, "repeat_of": None}
		)
		frappe.db.commit()
		Http.fresh()
		assert response.status == 200, response
		assert frappe.db.get_value("Complaint", second.name, ["is_repeat", "repeat_of"]) == (1, names[0])
	finally:
		frappe.db.rollback()
		delete_complaints(names)
		frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True)
		frappe.db.commit()


def test_the_category_and_quarterly_reports_count_repeats(masters, calendar):
	customer = make_customer(unique("_Kesu Repeat"))
	period = {"from_date": "2020-01-01", "to_date": "2020-01-31", "company": masters["company"]}
	file(masters, customer=customer, received_at="2020-01-05 10:00:00")
	file(masters, customer=customer, received_at="2020-01-06 10:00:00")
	columns, rows, *_ = category.execute(period)
	assert "repeat_complaints" in {c["fieldname"] for c in columns}
	assert sum(row.get("repeat_complaints") or 0 for row in rows) == 1
	_columns, rows, *_ = quarterly.execute(period)
	assert [row.repeats for row in rows if row.quarter.startswith("2020")] == [1]


# --- 3. personal data -----------------------------------------------------------------------


def website_user(email: str):
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Story Patient",
			"send_welcome_email": 0,
			"user_type": "Website User",
		}
	).insert(ignore_permissions=True)


def story_case(masters, email: str, **values):
	"""A complaint of the person ``email`` with everything personal the app keeps about it."""
	doc = file(
		masters,
		customer=None,
		customer_name="Wang Fang",
		contact_phone="+86 136 1234 5678",
		contact_email=email,
		description="Wang Fang was burned on her left cheek.",
		customer_demand="Refund and an apology",
		received_at=add_to_date(now_datetime(), days=-40),
		**values,
	)
	frappe.get_doc(
		{
			"doctype": "Complaint Medical Record",
			"complaint": doc.name,
			"medical_details": "Second-degree burn",
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "Follow-up",
			"complaint": doc.name,
			"follow_up_type": "Progress Update",
			"scheduled_date": "2026-12-01",
			"notes": "Wang Fang is still in pain",
		}
	).insert()
	photo = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"burn-{uuid.uuid4().hex[:6]}.png",
			"content": b"\x89PNG story",
			"attached_to_doctype": "Complaint",
			"attached_to_name": doc.name,
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	doc.add_comment("Comment", "Wang Fang called again, crying")
	return doc, photo


def report_figures(company: str):
	filters = {"from_date": "2025-01-01", "to_date": "2026-12-31", "company": company}
	return (category.execute(filters)[1], quarterly.execute(filters)[1])


def test_a_download_request_contains_the_persons_complaints(masters, calendar):
	from frappe.website.doctype.personal_data_download_request.personal_data_download_request import (
		get_user_data,
	)

	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	doc, _photo = story_case(masters, email)
	propose_voucher(doc.name)
	data = json.loads(get_user_data(email))
	assert [row["name"] for row in data["Complaint"]] == [doc.name]
	assert data["Complaint"][0]["description"] == "Wang Fang was burned on her left cheek."
	assert [row["complaint"] for row in data["Follow-up"]] == [doc.name]
	assert [row["complaint"] for row in data["Compensation"]] == [doc.name]


def propose_voucher(complaint: str):
	"""A compensation proposed and not yet decided: the case is not settled."""
	frappe.get_doc(
		{
			"doctype": "Compensation",
			"complaint": complaint,
			"compensation_type": "Gift or Voucher",
			"amount": 50,
		}
	).insert()


@pytest.fixture
def outbox(masters, calendar):
	"""An outgoing account: Frappe mails the person and the System Managers about the request."""
	return (
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Kesu Story Outbox",
				"email_id": "story.outbox@example.com",
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


def deletion_request(email: str):
	request = frappe.get_doc({"doctype": "Personal Data Deletion Request", "email": email}).insert(
		ignore_permissions=True
	)
	request.db_set("status", "Pending Approval")
	return frappe.get_doc("Personal Data Deletion Request", request.name)


def test_a_deletion_request_is_refused_while_a_complaint_is_open(masters, calendar, outbox):
	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	website_user(email)
	doc, photo = story_case(masters, email)
	request = deletion_request(email)
	assert type(request).__name__ == "KesuPersonalDataDeletionRequest"
	with pytest.raises(frappe.ValidationError, match=doc.name):
		request.trigger_data_deletion()
	assert frappe.db.get_value("User", email, "enabled") == 1
	assert frappe.db.get_value("Complaint", doc.name, ["customer_name", "anonymised"]) == ("Wang Fang", 0)
	assert frappe.db.exists("File", photo.name)


def test_a_deletion_request_is_refused_while_a_compensation_is_unsettled(masters, calendar, outbox):
	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	website_user(email)
	doc, _photo = story_case(masters, email)
	propose_voucher(doc.name)
	close(doc.name)
	with pytest.raises(frappe.ValidationError, match="not settled"):
		deletion_request(email).trigger_data_deletion()
	assert not frappe.db.get_value("Complaint", doc.name, "anonymised")


def test_a_deletion_request_anonymises_and_keeps_the_report_figures(masters, calendar, outbox):
	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	website_user(email)
	doc, photo = story_case(masters, email, severity="Important")
	doc = frappe.get_doc("Complaint", doc.name)
	doc.customer_demand = "Wang Fang wants a full refund"
	doc.save(
		ignore_version=False
	)  # a Version holds the old and new text (Frappe writes none in tests unless asked)
	assert frappe.db.exists("Version", {"ref_doctype": "Complaint", "docname": doc.name})
	close(doc.name)
	kept = frappe.db.get_value(
		"Complaint",
		doc.name,
		["category", "severity", "received_at", "first_response_due", "status"],
		as_dict=True,
	)
	before = report_figures(masters["company"])

	deletion_request(email).trigger_data_deletion()

	after = frappe.get_doc("Complaint", doc.name)
	assert after.anonymised and after.anonymised_at
	assert after.customer_name.startswith("[REDACTED ") and "Wang" not in after.customer_name
	assert after.subject == "[REDACTED]"
	assert not (after.contact_phone or after.contact_email or after.description or after.customer_demand)
	assert not after.contact_phone_masked
	for field, value in kept.items():
		assert after.get(field) == value, field
	assert report_figures(masters["company"]) == before
	assert not frappe.db.exists("File", photo.name)
	assert not frappe.db.get_value("Complaint Medical Record", {"complaint": doc.name}, "medical_details")
	assert frappe.db.get_value("Follow-up", {"complaint": doc.name}, "notes") is None
	assert not frappe.db.exists("Version", {"ref_doctype": "Complaint", "docname": doc.name})
	comments = frappe.get_all(
		"Comment", filters={"reference_doctype": "Complaint", "reference_name": doc.name}, pluck="content"
	)
	assert comments and not any("Wang Fang" in (c or "") for c in comments)
	log = frappe.get_all(
		"Complaint Anonymisation", filters={"complaint": doc.name}, fields=["reason", "request"]
	)
	assert len(log) == 1 and log[0].reason == "Deletion Request"
	# it cannot be undone: the complaint is not changed, nor reopened, any more
	after.status = "Reopened"
	with pytest.raises(frappe.ValidationError, match="anonymised"):
		after.save()


def test_the_retention_job_anonymises_closed_cases_once_and_reports(masters, calendar, monkeypatch):
	monkeypatch.setattr(personal_data, "BATCH", 1)  # a page per complaint: the paging is exercised
	settings(anonymise_closed_after_days=0)
	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	old, _photo = story_case(masters, email)
	recent, _photo = story_case(masters, email)
	owed, _photo = story_case(masters, email)
	still_open, _photo = story_case(masters, email)
	frappe.get_doc(
		{
			"doctype": "Compensation",
			"complaint": owed.name,
			"compensation_type": "Gift or Voucher",
			"amount": 50,
		}
	).insert()
	for name, days in ((old.name, 60), (recent.name, 10), (owed.name, 60)):
		close(name, add_days(now_datetime(), -days))
	assert personal_data.anonymise_past_retention() == {"anonymised": 0, "kept": 0}  # off by default
	settings(anonymise_closed_after_days=30)

	first = personal_data.anonymise_past_retention()
	second = personal_data.anonymise_past_retention()

	ours = {old.name, recent.name, owed.name, still_open.name}
	done = set(
		frappe.get_all("Complaint", filters={"name": ("in", list(ours)), "anonymised": 1}, pluck="name")
	)
	assert done == {old.name}
	assert first["anonymised"] >= 1 and second["anonymised"] == 0 and second["kept"] == first["kept"] >= 1
	assert frappe.db.count("Complaint Anonymisation", {"complaint": old.name}) == 1
	assert frappe.db.exists(
		"Notification Log", {"document_type": "Complaint Anonymisation", "subject": ("like", "%anonymised%")}
	)


def test_anonymising_by_hand_is_for_management_and_refused_while_open(masters, calendar):
	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	names = []
	try:
		open_case, _photo = story_case(masters, email)
		closed_case, _photo = story_case(masters, email)
		names = [open_case.name, closed_case.name]
		close(closed_case.name)
		agent, director = api_keys(AGENT), api_keys(DIRECTOR)
		frappe.db.commit()
		http = Http(frappe.local.site)
		method = "kesu_app.personal_data.anonymise_complaint"
		assert http.call(method, agent, complaint=closed_case.name).refused
		refused = http.call(method, director, complaint=open_case.name)
		assert refused.refused and "still open" in refused.text
		done = http.call(method, director, complaint=closed_case.name)
		assert done.status == 200, done
		again = http.call(method, director, complaint=closed_case.name)
		assert again.refused and "anonymised already" in again.text
		Http.fresh()
		assert frappe.db.get_value("Complaint", open_case.name, "customer_name") == "Wang Fang"
		assert frappe.db.get_value("Complaint", closed_case.name, ["anonymised", "subject"]) == (
			1,
			"[REDACTED]",
		)
	finally:
		frappe.db.rollback()
		frappe.db.delete("Complaint Anonymisation", {"complaint": ("in", names)})
		delete_complaints(names)
		frappe.db.commit()


# --- 4. consent -----------------------------------------------------------------------------


def test_a_letter_copy_needs_the_customers_consent(masters, calendar):
	doctor = make_employee(unique("_KesuConsentDoc"), masters["company"])
	frappe.db.set_value("Employee", doctor, "company_email", "dr.story@example.com")
	doc = file(
		masters,
		practitioner=doctor,
		contact_email="patient.story@example.com",
		received_at=add_to_date(now_datetime(), hours=-1),
	)
	for copy_to in ("dr.story@example.com", "association@example.org"):
		with pytest.raises(frappe.PermissionError, match="did not agree"):
			send_letter_now(doc.name, "Acknowledgement Letter", copy_to)
	frappe.db.set_value("Complaint", doc.name, "consent_share_practitioner", 1)
	# allowed now (the site may have no outgoing account: then nothing is sent, and it says so)
	send_letter_now(doc.name, "Acknowledgement Letter", "Dr <dr.story@example.com>")
	with pytest.raises(frappe.PermissionError):
		send_letter_now(doc.name, "Acknowledgement Letter", "association@example.org")


def test_the_customer_withdraws_consent_on_their_own_complaint_only(masters, calendar):
	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	other = f"story.{uuid.uuid4().hex[:8]}@example.com"
	names = []
	try:
		website_user(email)
		website_user(other)
		mine = file(
			masters,
			customer=None,
			customer_name="Li",
			contact_email=email,
			consent_share_third_party=1,
			received_at=add_to_date(now_datetime(), hours=-1),
		)
		names = [mine.name]
		keys, other_keys = api_keys(email), api_keys(other)
		frappe.db.commit()
		http = Http(frappe.local.site)
		page = http.get("/my-complaints", keys)
		assert "Third parties" in page.text and "kesu-withdraw" in page.text
		stranger = http.call(
			"kesu_app.consent.withdraw",
			other_keys,
			complaint=mine.name,
			consent="consent_share_third_party",
		)
		assert stranger.refused
		Http.fresh()
		assert frappe.db.get_value("Complaint", mine.name, "consent_share_third_party") == 1
		own = http.call(
			"kesu_app.consent.withdraw",
			keys,
			complaint=mine.name,
			consent="consent_share_third_party",
		)
		assert own.status == 200, own
		Http.fresh()
		assert frappe.db.get_value("Complaint", mine.name, "consent_share_third_party") == 0
	finally:
		frappe.db.rollback()
		delete_complaints(names)
		for user in (email, other):
			if frappe.db.exists("User", user):
				frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()


def test_the_website_form_records_the_consents_a_guest_gives(masters, calendar):
	from tests.integration.test_security import WEB_FORM

	names = []
	try:
		frappe.cache.delete_keys("rl:")  # Frappe's own limit: ten submissions a minute per form
		data = {
			"doctype": "Complaint",
			"web_form_name": WEB_FORM,
			"customer_name": "Zhao",
			"contact_email": f"story.{uuid.uuid4().hex[:8]}@example.com",
			"subject": "Shared without asking?",
			"description": "Please tell the doctor, nobody else.",
			"consent_share_practitioner": 1,
			"consent_share_third_party": 0,
		}
		response = Http(frappe.local.site).call(
			"frappe.website.doctype.web_form.web_form.accept", web_form=WEB_FORM, data=json.dumps(data)
		)
		assert response.status == 200, response
		names.append(response.message["name"])
		Http.fresh()
		assert frappe.db.get_value(
			"Complaint", names[0], ["consent_share_practitioner", "consent_share_third_party"]
		) == (1, 0)
	finally:
		frappe.db.rollback()
		delete_complaints(names)
		frappe.db.commit()


def test_a_deletion_request_through_the_desk_is_refused_for_an_open_case(masters, calendar):
	from tests.integration.factories import make_user

	email = f"story.{uuid.uuid4().hex[:8]}@example.com"
	admin = "kesu.story.admin@example.com"
	names, request = [], None
	try:
		make_user(admin, ["System Manager"])
		website_user(email)
		doc, _photo = story_case(masters, email)
		names.append(doc.name)
		request = frappe.get_doc({"doctype": "Personal Data Deletion Request", "email": email})
		request.flags.ignore_permissions = True
		request.set_new_name()
		request.db_insert()  # as Frappe stores it, without the verification mail
		request.db_set("status", "Pending Approval")
		keys = api_keys(admin)
		frappe.db.commit()
		response = Http(frappe.local.site).doc_method(
			keys, "Personal Data Deletion Request", request.name, "trigger_data_deletion"
		)
		assert response.refused and doc.name in response.text, response
		Http.fresh()
		assert frappe.db.get_value("User", email, "enabled") == 1
		assert frappe.db.get_value("Complaint", doc.name, ["customer_name", "anonymised"]) == ("Wang Fang", 0)
		assert (
			frappe.db.get_value("Personal Data Deletion Request", request.name, "status")
			== "Pending Approval"
		)
	finally:
		frappe.db.rollback()
		if request:
			frappe.db.delete("Personal Data Deletion Request", {"name": request.name})
		delete_complaints(names)
		for user in (email,):
			if frappe.db.exists("User", user):
				frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()


def test_the_api_records_the_consents_it_is_sent(integration):  # noqa: F811 (the fixture, imported)
	auth = f"token {integration['key']}:{integration['secret']}"
	given = call_api(auth, api_payload(consent_share_practitioner=1))
	unsaid = call_api(auth, api_payload())
	fields = ["consent_share_practitioner", "consent_share_third_party"]
	assert frappe.db.get_value("Complaint", given["complaint"], fields) == (1, 0)
	assert frappe.db.get_value("Complaint", unsaid["complaint"], fields) == (0, 0)
