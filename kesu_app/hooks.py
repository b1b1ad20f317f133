app_name = "kesu_app"
app_title = "Kesu"
app_publisher = "kesu_app developers"
app_description = "Customer complaint handling (客诉) for ERPNext"
app_email = "dev@kesu.invalid"
app_license = "mit"
# ERPNext 15 or 16 (Frappe 15 or 16): pyproject.toml's [tool.bench.frappe-dependencies] says the range
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

# Desk
# ----
# the app's Select options shown in their doctype's sense in grids and lists (see the file)
app_include_js = "/assets/kesu_app/js/kesu_desk.js"

# the category tree opens as a tree, and filtering complaints by a category takes in the
# categories below it
treeviews = ["Complaint Category"]

# Permissions
# -----------
# a follow-up, a compensation or a medical record is readable only with its complaint
has_permission = {
	"Follow-up": "kesu_app.permissions.via_complaint",
	"Compensation": "kesu_app.permissions.via_complaint",
	"Complaint Medical Record": "kesu_app.permissions.via_complaint",
	"Major Complaint Report": "kesu_app.permissions.via_complaint",
	"Accountability Outcome": "kesu_app.permissions.via_complaint",
}

# Fixtures
# --------
# what the app owns on ERPNext doctypes, synced by install-app and migrate (kesu_app/fixtures);
# records admins edit (workflow, settings, categories, letters) are made once by install code
fixtures = [
	{"dt": "Custom Field", "filters": [["module", "=", "Kesu App"]]},
	{"dt": "Property Setter", "filters": [["module", "=", "Kesu App"]]},
]

# Installation
# ------------
before_install = "kesu_app.install.before_install"
after_install = "kesu_app.install.after_install"
before_uninstall = "kesu_app.install.before_uninstall"

# Document events
# ---------------
# a private name: Frappe reads every public name in hooks.py as a hook
_BLOCK_UNSIGNED = "kesu_app.kesu_app.doctype.compensation.compensation.block_unsigned_settlement"
doc_events = {
	"Holiday List": {
		"on_update": "kesu_app.time_limits.clear_calendar_cache",
		"on_trash": "kesu_app.time_limits.clear_calendar_cache",
	},
	"Company": {
		"on_update": "kesu_app.time_limits.clear_calendar_cache",
	},
	# what intake reads of the category tree is cached (kesu_app.categories)
	"Complaint Category": {
		"on_update": "kesu_app.categories.clear_category_facts",
		"on_trash": "kesu_app.categories.clear_category_facts",
		"after_rename": "kesu_app.categories.clear_category_facts",
	},
	"Department": {"after_rename": "kesu_app.categories.clear_category_facts"},
	# complaint staff start on the Complaints workspace
	"User": {"on_update": "kesu_app.users.land_on_complaints"},
	# no compensation is paid before its settlement agreement is signed
	"Sales Invoice": {"before_submit": _BLOCK_UNSIGNED},
	"Journal Entry": {"before_submit": _BLOCK_UNSIGNED},
	# an approved compensation may make its complaint major (Kesu Settings)
	"Compensation": {"on_submit": "kesu_app.major.on_compensation_submit"},
	"Sales Order": {"before_submit": _BLOCK_UNSIGNED},
	# an email received on a complaint: its body and attachments, and a note to the handler
	"Communication": {
		"after_insert": "kesu_app.intake.on_new_communication",
		"on_update": "kesu_app.intake.on_communication",
	},
}

# Website
# -------
# the public form answers a complaint's number only, never the document it made
override_whitelisted_methods = {
	"frappe.website.doctype.web_form.web_form.accept": "kesu_app.intake.accept_web_form",
	# the form's history shows a complaint's fields at the reader's field levels only
	"frappe.desk.form.load.getdoc": "kesu_app.permissions.getdoc",
	"frappe.desk.form.load.get_docinfo": "kesu_app.permissions.get_docinfo",
}
# /complaint is a Web Form (created at install); /my-complaints lists a signed-in customer's own
update_website_context = ["kesu_app.intake.translate_web_form_tables"]
portal_menu_items = [{"title": "My Complaints", "route": "/my-complaints", "reference_doctype": "Complaint"}]

# Scheduled jobs
# --------------
scheduler_events = {
	"cron": {
		# time limits: warn before, alert and escalate after
		"*/15 * * * *": ["kesu_app.alerts.run_time_limit_alerts"],
		# the management summary of the quarter just ended, on its first morning
		"0 7 1 1,4,7,10 *": ["kesu_app.digests.send_quarterly_summary"],
	},
	"daily": [
		"kesu_app.digests.send_daily_digest",
		"kesu_app.follow_up.send_follow_up_reminders",
		"kesu_app.unheld.warn_unheld_tiers",
	],
}

# Bench commands (bench --site SITE kesu-demo)
# --------------------------------------------
# discovered from kesu_app.commands by bench itself

# Translation
# -----------
# zh translations ship in kesu_app/translations/zh.csv, loaded by Frappe v15 itself

# The customer's whole story (#19): complaints on ERPNext's records, repeats, personal data
# -----------------------------------------------------------------------------------------
# Connections of ERPNext's forms list their complaints (kesu_app/connections.py)
override_doctype_dashboards = {
	"Customer": ["kesu_app.connections.customer_dashboard"],
	"Employee": ["kesu_app.connections.employee_dashboard"],
	"Item": ["kesu_app.connections.item_dashboard"],
	"Sales Invoice": ["kesu_app.connections.sales_invoice_dashboard"],
}
# the repeat flag and the Anonymise button on the form, the repeat tag on the list, and the
# Employee's complaints as responsible employee
doctype_js = {
	"Complaint": "public/js/complaint_story.js",
	"Employee": "public/js/employee_complaints.js",
}
doctype_list_js = {"Complaint": "public/js/complaint_story_list.js"}
# follow-ups and compensations carry their complaint's customer and email (kesu_app/personal_data.py)
# (added to whatever Complaint events are declared above, not in their place)
_complaint_events = doc_events.setdefault("Complaint", {})
_complaint_on_update = _complaint_events.get("on_update") or []
_complaint_events["on_update"] = [
	*([_complaint_on_update] if isinstance(_complaint_on_update, str) else _complaint_on_update),
	"kesu_app.personal_data.sync_contact",
]
# Frappe's Personal Data Download / Deletion Requests find a person's complaints by email; the
# deletion request refuses while a complaint is open or a compensation unsettled, and
# anonymises the complaints thoroughly (kesu_app/personal_data.py)
user_data_fields = [
	{
		"doctype": "Complaint",
		"filter_by": "contact_email",
		"redact_fields": ["customer_name", "contact_phone", "contact_phone_masked", "description"],
	},
	{"doctype": "Follow-up", "filter_by": "contact_email", "redact_fields": ["customer_name", "notes"]},
	{
		"doctype": "Compensation",
		"filter_by": "contact_email",
		"redact_fields": ["customer_name", "description"],
	},
]
override_doctype_class = {
	"Personal Data Deletion Request": "kesu_app.personal_data.KesuPersonalDataDeletionRequest",
}
# closed complaints past the retention set in Kesu Settings (off by default) are anonymised
scheduler_events["daily"].append("kesu_app.personal_data.anonymise_past_retention")
