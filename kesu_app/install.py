"""Defaults created once, at install. Everything here is data an admin may change later, so
none of it is re-created or overwritten by `bench migrate`; changes to defaults ship as patches.
"""

import json
import os

import frappe
from frappe import _
from frappe.permissions import add_permission

from kesu_app import bulk
from kesu_app.compat import WORKFLOW_READ_FOR_DESK
from kesu_app.repeats import SETTINGS_FIELDS as REPEAT_SETTINGS_FIELDS
from kesu_app.rules.defaults import (
	CATEGORY_BLOCK,
	CUSTOM_FIELDS,
	DEFAULT_CATEGORIES,
	DEFAULT_ROOT_CAUSES,
	DEFAULT_WORKING_HOURS,
	NEW_COMPLAINT_NOTIFICATION,
	ROOT_CATEGORY,
	WEB_FORM,
	WEB_FORM_FIELDS,
)
from kesu_app.rules.intake import INTEGRATION_ROLE
from kesu_app.rules.tiers import TIER_ROLES
from kesu_app.rules.time_limits import default_limit_rows
from kesu_app.users import WORKSPACE, land_everyone_on_complaints

ROLES = tuple(TIER_ROLES.values())

# what complaint staff need to pick in the complaint form's links: select (search and pick),
# not read, so the app widens nobody's access to ERPNext's records
# what the app's forms link to: a complaint's customer, service, practitioner, invoice, branch; a
# special report's corrective actions (Quality Action)
LINKED_DOCTYPES = (
	"Customer",
	"Item",
	"Employee",
	"Sales Invoice",
	"Branch",
	"Department",
	"Company",
	"Quality Action",
)


WORKFLOW_FILE = ("kesu_app", "workflow", "complaint_escalation.json")


APP, MODULE = "kesu_app", "kesu_app"  # the module Kesu App, scrubbed


def recovery() -> str:
	return _("Run bench --site {0} clear-cache, then bench --site {0} install-app kesu_app --force.").format(
		frappe.local.site
	)


def before_install():
	"""Frappe keeps the list of each app's modules in its cache. Installed right after the app
	was added to a running bench, that list may not know it, and Frappe would look for the app's
	doctypes inside Frappe itself: the list is made again before anything is synced."""
	if module_known():
		return
	frappe.cache.delete_value("app_modules")
	frappe.clear_cache()
	frappe.setup_module_map()
	if not module_known():
		frappe.throw(
			_("Frappe does not know the module Kesu App yet.") + " " + recovery(),
			title=_("Install Kesu App"),
		)


def module_known() -> bool:
	return MODULE in ((frappe.local.app_modules or {}).get(APP) or [])


def check_doctypes():
	"""The install said it was done only if it made the app's doctypes: a half install would be
	taken for a whole one by the next try (already installed)."""
	missing = [
		doctype
		for doctype in APP_DOCTYPES
		if not frappe.db.exists("DocType", doctype)
		or not (frappe.db.get_value("DocType", doctype, "issingle") or frappe.db.table_exists(doctype))
	]
	if missing:
		frappe.throw(
			_("The install made no doctype {0}.").format(", ".join(missing)) + " " + recovery(),
			title=_("Install Kesu App"),
		)


APP_DOCTYPES = ("Complaint", "Complaint Category", "Compensation", "Follow-up", "Kesu Settings")


def after_install():
	check_doctypes()
	make_roles()
	make_categories()
	make_root_causes()
	make_settings()
	grant_link_selection()
	# the custom fields on ERPNext doctypes are fixtures: install-app syncs them after this
	make_workflow()
	make_letters()
	make_web_form()
	make_new_complaint_notification()
	make_category_block()
	land_everyone_on_complaints()


def make_category_block():
	"""The workspace's block of complaints per category (see CATEGORY_BLOCK), made once."""
	if frappe.db.exists("Custom HTML Block", CATEGORY_BLOCK["name"]):
		return
	frappe.get_doc({"doctype": "Custom HTML Block", **CATEGORY_BLOCK}).insert(ignore_permissions=True)


# what uninstalling deletes with the app's doctypes: a site's record of its complaints
RECORDS = ("Complaint", "Compensation", "Follow-up", "Complaint Medical Record")
CONFIRM_KEY = "kesu_uninstall_confirmed"


def before_uninstall():
	check_nothing_is_lost()
	remove_traces()
	frappe.db.set_value("User", {"default_workspace": WORKSPACE}, "default_workspace", None)
	revoke_link_selection()
	remove_custom_fields()
	for name in frappe.get_all("Workflow", filters={"document_type": "Complaint"}, pluck="name"):
		frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
	# the web form and letters point at Complaint, which uninstall removes
	for doctype in ("Web Form", "Print Format"):
		for name in frappe.get_all(
			doctype, filters={"doc_type": "Complaint", "module": "Kesu App"}, pluck="name"
		):
			frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
	if frappe.db.exists("Custom HTML Block", CATEGORY_BLOCK["name"]):
		frappe.delete_doc("Custom HTML Block", CATEGORY_BLOCK["name"], ignore_permissions=True, force=True)
	if frappe.db.exists("Notification", NEW_COMPLAINT_NOTIFICATION["name"]):
		frappe.delete_doc(
			"Notification", NEW_COMPLAINT_NOTIFICATION["name"], ignore_permissions=True, force=True
		)


def remove_traces():
	"""Uninstall drops the app's tables; the to-dos, comments, versions, workflow actions and
	alerts Frappe keeps of their records elsewhere would be left pointing at nothing, on people's
	to-do lists and in the Workflow Action list. (Emails stay: a Communication is the mailbox's.)"""
	for doctype in frappe.get_all("DocType", filters={"module": "Kesu App", "istable": 0}, pluck="name"):
		bulk.delete_all_traces(doctype)


def check_nothing_is_lost():
	"""`bench uninstall-app` drops the app's tables. On a site with complaints it stops and says
	what would go, unless told to go on (site config, or the environment for one command)."""
	counts = {doctype: frappe.db.count(doctype) for doctype in RECORDS if frappe.db.table_exists(doctype)}
	if not any(counts.values()) or frappe.conf.get(CONFIRM_KEY) or os.environ.get(CONFIRM_KEY.upper()):
		return
	frappe.throw(
		_(
			"Uninstalling kesu_app deletes {0} complaints, {1} compensations, {2} follow-ups and {3} medical records, with their history. Back up the site first; to go on, run `bench --site {4} set-config {5} 1` (or set {6}=1 for the one command) and uninstall again."
		).format(
			counts.get("Complaint", 0),
			counts.get("Compensation", 0),
			counts.get("Follow-up", 0),
			counts.get("Complaint Medical Record", 0),
			frappe.local.site,
			CONFIRM_KEY,
			CONFIRM_KEY.upper(),
		),
		title=_("Complaints Would Be Deleted"),
	)


def load_workflow_definition() -> dict:
	with open(frappe.get_app_path("kesu_app", *WORKFLOW_FILE)) as f:
		return json.load(f)


def make_workflow():
	"""The default escalation Workflow, created once. An admin's workflow (ours edited, or one
	of their own on Complaint) is left as it is: later changes to the default ship as patches."""
	definition = load_workflow_definition()
	for state in definition["workflow_states"]:
		if not frappe.db.exists("Workflow State", state["workflow_state_name"]):
			frappe.get_doc({"doctype": "Workflow State", **state}).insert(ignore_permissions=True)
	for action in definition["workflow_actions"]:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	if frappe.db.exists("Workflow", {"document_type": "Complaint"}):
		return
	frappe.get_doc(definition["workflow"]).insert(ignore_permissions=True)


def remove_custom_fields():
	"""The app's fixtures (module Kesu App), and the same fields on sites from before fixtures."""
	names = set(frappe.get_all("Custom Field", filters={"module": "Kesu App"}, pluck="name"))
	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			names.update(
				frappe.get_all(
					"Custom Field", filters={"dt": doctype, "fieldname": field["fieldname"]}, pluck="name"
				)
			)
	for name in sorted(names):
		frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)


def make_roles():
	for role in (*ROLES, INTEGRATION_ROLE):
		if not frappe.db.exists("Role", role):
			frappe.get_doc(
				{"doctype": "Role", "role_name": role, "desk_access": int(role != INTEGRATION_ROLE)}
			).insert(ignore_permissions=True)


# (letter, language, Email Template, its subject, Print Format, the body's file in templates/letters)
LETTERS = (
	(
		"Acknowledgement Letter",
		"zh",
		"Complaint Acknowledgement (zh)",
		"投诉受理确认函",
		"Complaint Acknowledgement Letter (zh)",
		"acknowledgement_zh.html",
	),
	(
		"Acknowledgement Letter",
		"en",
		"Complaint Acknowledgement (en)",
		"We have received your complaint",
		"Complaint Acknowledgement Letter (en)",
		"acknowledgement_en.html",
	),
	(
		"Resolution Letter",
		"zh",
		"Complaint Resolution (zh)",
		"投诉处理结果告知函",
		"Complaint Resolution Letter (zh)",
		"resolution_zh.html",
	),
	(
		"Resolution Letter",
		"en",
		"Complaint Resolution (en)",
		"The outcome of your complaint",
		"Complaint Resolution Letter (en)",
		"resolution_en.html",
	),
)


def _letter_file(name: str) -> str:
	with open(frappe.get_app_path("kesu_app", "templates", "letters", name)) as f:
		return f.read()


def make_letters():
	"""The acknowledgement and resolution letters in Chinese and English: Email Templates (the
	wording), Print Formats (the printed letter, which renders the same template) and the
	Kesu Settings rows that pick them by language. Created once; the clinic edits them."""
	rows = []
	for letter, language, template, subject, print_format, body in LETTERS:
		if not frappe.db.exists("Language", language):
			continue
		if not frappe.db.exists("Email Template", template):
			frappe.get_doc(
				{
					"doctype": "Email Template",
					"name": template,
					"subject": subject,
					"use_html": 1,
					"response_html": _letter_file(body),
				}
			).insert(ignore_permissions=True)
		if not frappe.db.exists("Print Format", print_format):
			frappe.get_doc(
				{
					"doctype": "Print Format",
					"name": print_format,
					"doc_type": "Complaint",
					"module": "Kesu App",
					"standard": "No",
					"custom_format": 1,
					"print_format_type": "Jinja",
					"default_print_language": language,
					"html": _letter_file("print_letter.html").replace("__EMAIL_TEMPLATE__", template),
				}
			).insert(ignore_permissions=True)
		rows.append(
			{"letter": letter, "language": language, "email_template": template, "print_format": print_format}
		)
	settings = frappe.get_single("Kesu Settings")
	if settings.letter_templates:
		return
	for row in rows:
		settings.append("letter_templates", row)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)


def make_web_form():
	"""The public complaint form at /complaint, created once (not as a standard web form, so the
	clinic can reword it without developer mode)."""
	if frappe.db.exists("Web Form", {"route": WEB_FORM["route"]}):
		return
	web_form = frappe.get_doc(
		{
			"doctype": "Web Form",
			**WEB_FORM,
			"doc_type": "Complaint",
			"module": "Kesu App",
			"is_standard": 0,
			"published": 1,
			"login_required": 0,
			"allow_multiple": 1,
			"allow_edit": 0,
			"show_list": 0,
			# a signed-in customer reads nothing of a complaint through the form: /my-complaints
			# shows its plain status
			"apply_document_permissions": 1,
		}
	)
	for fieldname, fieldtype, label, reqd in WEB_FORM_FIELDS:
		options = (
			"Complaint Evidence"
			if fieldtype == "Table"
			else ("Email" if fieldname == "contact_email" else "")
		)
		web_form.append(
			"web_form_fields",
			{
				"fieldname": fieldname,
				"fieldtype": fieldtype,
				"label": label,
				"reqd": reqd,
				"options": options,
			},
		)
	web_form.insert(ignore_permissions=True)


def make_categories():
	if not frappe.db.exists("Complaint Category", ROOT_CATEGORY):
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": ROOT_CATEGORY, "is_group": 1}
		).insert(ignore_permissions=True)
	for name, severity in DEFAULT_CATEGORIES:
		if frappe.db.exists("Complaint Category", name):
			continue
		frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": name,
				"parent_complaint_category": ROOT_CATEGORY,
				"default_severity": severity,
			}
		).insert(ignore_permissions=True)


def make_root_causes():
	for name in DEFAULT_ROOT_CAUSES:
		if not frappe.db.exists("Complaint Root Cause", name):
			frappe.get_doc({"doctype": "Complaint Root Cause", "root_cause": name}).insert(
				ignore_permissions=True
			)


def make_settings():
	settings = frappe.get_single("Kesu Settings")
	if not settings.working_hours:
		for weekday, start, end in DEFAULT_WORKING_HOURS:
			settings.append("working_hours", {"weekday": weekday, "start_time": start, "end_time": end})
	if not settings.time_limits:
		for severity, stage, value, unit in default_limit_rows():
			settings.append(
				"time_limits", {"severity": severity, "stage": stage, "limit_value": value, "unit": unit}
			)
	set_settings_defaults(settings)
	if not settings.settlement_terms:
		settings.settlement_terms = DEFAULT_SETTLEMENT_TERMS
	settings.save(ignore_permissions=True)


# neutral wording, in both languages; the clinic edits it in Kesu Settings
DEFAULT_SETTLEMENT_TERMS = (
	"<ol>"
	"<li>甲乙双方就上述投诉事项经友好协商，达成本协议。"
	" Both parties have settled the complaint above by mutual agreement.</li>"
	"<li>甲方按上述方式和金额向乙方提供补偿，乙方确认已收到或同意按约定方式领取。"
	" Party A compensates Party B as stated above; Party B confirms receipt or agrees to the stated arrangement.</li>"
	"<li>本协议签署后，双方就该投诉事项的处理结果达成一致。"
	" With this agreement both parties accept the outcome of this complaint.</li>"
	"<li>双方对本协议内容及乙方个人信息负有保密义务，未经同意不得向第三方披露。"
	" Both parties keep this agreement and Party B's personal information confidential.</li>"
	"<li>本协议一式两份，双方各执一份，自双方签字（盖章）之日起生效。"
	" This agreement is made in two copies, one for each party, effective when both have signed.</li>"
	"</ol>"
)


# on by default, with the lead times, limits and follow-ups of the source procedures
SETTINGS_DEFAULTS = {
	"enable_time_limit_alerts": 1,
	"auto_escalate_overdue": 1,
	"enable_daily_digest": 1,
	"enable_quarterly_summary": 1,
	"warning_lead_general": 4,
	"warning_lead_important": 2,
	"warning_lead_urgent": 0.25,
	"approval_limit_supervisor": 500,
	"approval_limit_department_manager": 5000,
	"schedule_result_feedback": 1,
	"send_satisfaction_survey": 1,
	"survey_link_days": 30,
	"revisit_after_days": 14,
	"web_intake_hourly_limit": 5,
	"max_evidence_files": 5,
	"max_evidence_size_mb": 10,
	"send_acknowledgement_letter": 1,
	"send_resolution_letter": 1,
	"third_party_tier": "Management",
	"major_if_urgent": 1,
	"major_if_third_party": 1,
	"major_compensation_amount": 10000,
	# repeat complaints (their defaults are kesu_app.repeats'), and no retention of closed cases
	**{field: default for field, (_attribute, default) in REPEAT_SETTINGS_FIELDS.items()},
	"anonymise_closed_after_days": 0,
}


def set_settings_defaults(settings):
	"""Fill the alert settings that were never stored; values an admin chose stay. (A Single
	reads a never-stored Check as 0, so what is stored is asked of the database.)"""
	stored = frappe.db.get_singles_dict("Kesu Settings")
	for field, value in SETTINGS_DEFAULTS.items():
		if field not in stored:
			settings.set(field, value)


def grant_link_selection():
	for doctype in LINKED_DOCTYPES:
		for role in ROLES:
			if not frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				add_permission(doctype, role, 0, "select")
	grant_workflow_read()


def grant_workflow_read():
	"""The complaint roles read the Workflow doctype, which Frappe 16.10.7's form needs to apply
	a workflow action (see kesu_app.compat)."""
	for doctype in WORKFLOW_READ_FOR_DESK:
		for role in ROLES:
			if not frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				add_permission(doctype, role, 0, "read")


def revoke_link_selection():
	for doctype in (*LINKED_DOCTYPES, *WORKFLOW_READ_FOR_DESK):
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": ("in", ROLES)})
		frappe.clear_cache(doctype=doctype)


# Jinja around the sentences, so each is translated when the notification is sent
NOTIFICATION_SUBJECT = (
	'{{ _("TEXT").format(doc.name, _(doc.channel, context="Complaint"), doc.subject | e) }}'
)
NOTIFICATION_MESSAGE = '<p>{{ _("TEXT") }}</p>'


def make_new_complaint_notification():
	"""The front desk's alert of a complaint nobody took (see NEW_COMPLAINT_NOTIFICATION)."""
	spec = NEW_COMPLAINT_NOTIFICATION
	if frappe.db.exists("Notification", spec["name"]):
		return
	notification = frappe.get_doc(
		{
			"doctype": "Notification",
			"name": spec["name"],
			"enabled": 1,
			"channel": "System Notification",
			"document_type": "Complaint",
			"event": "Method",
			"method": spec["method"],
			"subject": NOTIFICATION_SUBJECT.replace("TEXT", spec["subject"]),
			"message": NOTIFICATION_MESSAGE.replace("TEXT", spec["message"]),
			"recipients": [{"receiver_by_role": spec["role"]}],
		}
	)
	notification.insert(ignore_permissions=True, set_name=spec["name"])
