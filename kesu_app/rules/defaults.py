"""Default master data created once at install; admins change it in the desk afterwards."""

import json
from pathlib import Path

# (name, default severity); the Chinese names come from the translation file
DEFAULT_CATEGORIES = (
	("Treatment Outcome", "Important"),
	("Service Attitude", "General"),
	("Price and Billing", "General"),
	("Privacy", "Important"),
	("Medical Safety", "Urgent"),
	("Product Quality", "Important"),
	("Environment and Facilities", "General"),
	("Practitioner Conduct", "Important"),
	("Other", "General"),
)
ROOT_CATEGORY = "All Complaint Categories"

DEFAULT_ROOT_CAUSES = (
	"Communication",
	"Unrealistic Expectations",
	"Practitioner Skill",
	"Service Process",
	"Product Defect",
	"Pricing Transparency",
	"Facilities",
	"Privacy Handling",
	"Other",
)

# a clinic open 09:00-12:00 and 13:30-18:00 on weekdays, closed for lunch
DEFAULT_WORKING_HOURS = tuple(
	(day, start, end)
	for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	for start, end in (("09:00:00", "12:00:00"), ("13:30:00", "18:00:00"))
)


# Custom Fields kesu_app adds to ERPNext doctypes, shipped as a fixture (kesu_app/fixtures, synced
# by install and migrate; module "Kesu App"): the complaint a corrective action came from, the
# compensation an ERPNext document pays, and who handles complaints for a department. Read here
# as {doctype: [field, ...]} for the code and checks that name them.
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _custom_fields() -> dict[str, list[dict]]:
	fields: dict[str, list[dict]] = {}
	for doc in json.loads((FIXTURES / "custom_field.json").read_text()):
		field = {k: v for k, v in doc.items() if k not in ("doctype", "name", "dt", "module")}
		fields.setdefault(doc["dt"], []).append(field)
	return fields


CUSTOM_FIELDS = _custom_fields()


# The public complaint form at /complaint (a Web Form created once at install). Frappe
# translates its title, button, success texts and field labels; the introduction is shown as
# written, so it is given in both languages.
WEB_FORM = {
	"title": "File a Complaint",
	"route": "complaint",
	"button_label": "Send",
	"max_attachment_size": 10,
	"introduction_text": (
		"<p>请告诉我们发生了什么。我们会在一个工作日内回复；涉及健康的紧急情况一小时内答复。如需立即联系，请致电诊所。</p>"
		"<p>Tell us what went wrong. We reply within one working day; urgent matters about your health"
		" are answered within the hour. To reach us at once, call the clinic.</p>"
	),
	"success_title": "Thank you",
	"success_message": "We have received your complaint. Its number follows in a moment.",
	# a guest sees the number and what happens next; a signed-in customer goes on to their list
	"success_url": "/complaint-received",
}
# (fieldname, fieldtype, label, mandatory): what a customer fills in; the rest is the staff's
WEB_FORM_FIELDS = (
	("customer_name", "Data", "Your Name", 1),
	("contact_phone", "Data", "Phone", 0),
	("contact_email", "Data", "Email", 0),
	("service_date", "Date", "Date of the Treatment or Visit", 0),
	("subject", "Data", "Subject", 1),
	("description", "Text", "What Happened", 1),
	("customer_demand", "Small Text", "What Would You Like Us to Do?", 0),
	("evidence", "Table", "Photos, Receipts and Agreements", 0),
	# consent (kesu_app/consent.py): unticked unless the customer ticks it
	("consent_share_practitioner", "Check", "The practitioner concerned may read my complaint", 0),
	(
		"consent_share_third_party",
		"Check",
		"Third parties (an insurer, a consumer association, a regulator) may read my complaint",
		0,
	),
)

# A complaint that arrives by itself (email, the website, a chat or social integration) has
# no staff member who took it: the front desk hears of it at once, through a Frappe
# Notification an admin may reword, send by email too, or switch off. Its texts are Jinja
# around these sentences, so each is translated (zh.csv) when the notification is sent.
NEW_COMPLAINT_NOTIFICATION = {
	"name": "New Complaint from a Customer",
	"subject": "New complaint {0} by {1}: {2}",
	"message": "Nobody at the clinic took this complaint: acknowledge it within the time limit.",
	# sent on this method of the complaint, which it runs only when nobody at the clinic took it
	# (email and the website leave Received By empty, the chat API records its idempotency key):
	# a condition on "New" would load the Notification on every complaint the desk files
	"method": "after_customer_intake",
	# what sites installed before 0.2 have instead (patches/v0_2/new_complaint_notification_on_method)
	"former_condition": "not doc.received_by or doc.intake_key",
	"role": "Complaint Agent",
}

# The workspace's complaints per category, with whole names (a Custom HTML Block, made once; its
# drawing is the app's, kesu_app.render_category_block in public/js/kesu_desk.js, so an update of
# the app updates it without touching the block an admin may have restyled)
CATEGORY_BLOCK = {
	"name": "Complaint Categories",
	"html": '<div class="kesu-categories"></div>',
	"script": "kesu_app.render_category_block(root_element);",
	"style": """.kesu-categories { padding: var(--padding-md, 15px); border: 1px solid var(--border-color, #ededed);
	border-radius: var(--border-radius-md, 8px); background: var(--card-bg, #fff); }
.kesu-categories-title { font-weight: 600; margin-bottom: 10px; color: var(--heading-color, #171717); }
.kesu-category-row { display: grid; grid-template-columns: minmax(8em, 16em) 1fr 3em; gap: 12px;
	align-items: center; padding: 4px 0; cursor: pointer; color: var(--text-color, #383838);
	text-decoration: none; }
.kesu-category-row:hover { background: var(--fg-hover-color, #f3f3f3); }
.kesu-category-name { white-space: normal; }
.kesu-category-bar { background: var(--bg-gray, #f3f3f3); border-radius: 4px; height: 12px; }
.kesu-category-bar span { display: block; height: 12px; border-radius: 4px;
	background: var(--pink-400, #f17cb0); }
.kesu-category-count { text-align: right; font-variant-numeric: tabular-nums; }""",
}
