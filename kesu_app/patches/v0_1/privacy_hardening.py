import frappe

from kesu_app.install import set_settings_defaults
from kesu_app.rules.intake import INTEGRATION_ROLE
from kesu_app.rules.privacy import intake_key, survey_key_hash
from kesu_app.rules.text import plain_text

ESCAPED_FIELDS = ("doc.customer_name", "doc.subject", "c.description")
CUSTOMER_TEXT = ("customer_name", "subject", "customer_demand", "third_party_reference", "external_user_id")


def execute():
	"""What sites installed before the privacy review get: see each step."""
	closed_web_form()
	escaped_templates()
	hashed_keys()
	follow_ups_in_their_branch()
	no_reading_for_the_integration()
	plain_customer_text()
	settings = frappe.get_single("Kesu Settings")
	set_settings_defaults(settings)  # survey_link_days
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)


def closed_web_form():
	"""The complaint form reads back nothing: signed-in customers see /my-complaints."""
	for name in frappe.get_all("Web Form", filters={"doc_type": "Complaint"}, pluck="name"):
		frappe.db.set_value(
			"Web Form", name, {"apply_document_permissions": 1, "allow_edit": 0, "show_list": 0}
		)
	frappe.clear_cache(doctype="Web Form")


def escaped_templates():
	"""The letters and the new-complaint alert quote the customer's text escaped. Only the exact
	default expressions are touched; wording an admin rewrote stays theirs."""
	templates = frappe.get_all("Kesu Letter Template", pluck="email_template")
	for name in set(filter(None, templates)):
		template = frappe.db.get_value("Email Template", name, ["response", "response_html"], as_dict=True)
		if template:
			frappe.db.set_value(
				"Email Template",
				name,
				{field: _escaped(template[field]) for field in ("response", "response_html")},
				update_modified=False,
			)
	for name, subject in frappe.get_all(
		"Notification", filters={"document_type": "Complaint"}, fields=["name", "subject"], as_list=True
	):
		if subject and "doc.subject)" in subject:
			frappe.db.set_value(
				"Notification", name, "subject", subject.replace("doc.subject)", "doc.subject | e)")
			)


def _escaped(text: str | None) -> str | None:
	for expression in ESCAPED_FIELDS:
		text = (text or "").replace("{{ " + expression + " }}", "{{ " + expression + " | e }}") or None
	return text


def hashed_keys():
	"""Survey keys and the API's idempotency keys are stored as hashes (links already sent keep
	working: the key in them is hashed to be looked up)."""
	follow_up = frappe.qb.DocType("Follow-up")
	for name, key in (
		frappe.qb.from_(follow_up)
		.select(follow_up.name, follow_up.survey_key)
		.where(follow_up.survey_key.isnotnull() & (follow_up.survey_key != ""))
		.run()
	):
		if len(key) == 32:  # a hash is 64 characters
			frappe.qb.update(follow_up).set(follow_up.survey_key, survey_key_hash(key)).where(
				follow_up.name == name
			).run()
	complaint = frappe.qb.DocType("Complaint")
	for name, owner, key in (
		frappe.qb.from_(complaint)
		.select(complaint.name, complaint.owner, complaint.intake_key)
		.where(complaint.intake_key.isnotnull() & (complaint.intake_key != ""))
		.run()
	):
		if len(key) != 64:
			frappe.qb.update(complaint).set(complaint.intake_key, intake_key(owner, key)).where(
				complaint.name == name
			).run()


def follow_ups_in_their_branch():
	# a fixed statement: MariaDB's UPDATE ... JOIN needs the qualified SET the query builder leaves out
	frappe.db.sql(
		"""update `tabFollow-up` f join `tabComplaint` c on c.name = f.complaint
		set f.company = c.company, f.branch = c.branch"""
	)


def no_reading_for_the_integration():
	"""The intake integration files complaints; it reads none (findings, history, contacts)."""
	for name in frappe.get_all(
		"Custom DocPerm", filters={"parent": "Complaint", "role": INTEGRATION_ROLE}, pluck="name"
	):
		frappe.db.set_value(
			"Custom DocPerm", name, {"read": 0, "write": 0, "report": 0, "export": 0, "if_owner": 0}
		)
	frappe.clear_cache(doctype="Complaint")


def plain_customer_text():
	"""Customer text stored before it was cleaned at intake loses its markup (the evidence grid
	shows its notes as HTML)."""
	complaint = frappe.qb.DocType("Complaint")
	condition = None
	for field in CUSTOMER_TEXT:
		has_markup = complaint[field].like("%<%")
		condition = has_markup if condition is None else condition | has_markup
	for row in (
		frappe.qb.from_(complaint).select(complaint.name, *CUSTOMER_TEXT).where(condition).run(as_dict=True)
	):
		values = {field: plain_text(row[field]) for field in CUSTOMER_TEXT if row[field]}
		frappe.db.set_value("Complaint", row.name, values, update_modified=False)
	evidence = frappe.qb.DocType("Complaint Evidence")
	for name, description in (
		frappe.qb.from_(evidence)
		.select(evidence.name, evidence.description)
		.where(evidence.description.like("%<%"))
		.run()
	):
		frappe.qb.update(evidence).set(evidence.description, plain_text(description)).where(
			evidence.name == name
		).run()
