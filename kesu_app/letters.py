"""Letters to the customer: the acknowledgement and the resolution letter.

Their wording is data an admin edits (Email Templates and Print Formats, one per language,
listed in Kesu Settings > Letter Templates); which one a customer gets follows the complaint's
Preferred Language. Each letter is sent as a Communication on the complaint, so it shows on the
timeline and the customer's reply threads back onto the complaint.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import cint

from kesu_app.rules.intake import pick_letter

# the status at which each letter goes out
LETTER_ON_STATUS = {"Acknowledged": "Acknowledgement Letter", "Resolved": "Resolution Letter"}
SWITCH = {
	"Acknowledgement Letter": "send_acknowledgement_letter",
	"Resolution Letter": "send_resolution_letter",
}


def send_letters_on_status(complaint):
	letter = LETTER_ON_STATUS.get(complaint.status)
	if not letter or not complaint.has_value_changed("status") or complaint.get("is_demo"):
		return
	if frappe.flags.in_import or not complaint.contact_email:
		return
	if not cint(frappe.db.get_single_value("Kesu Settings", SWITCH[letter])):
		return
	send_letter(complaint, letter)


def letter_template(complaint, letter: str) -> dict | None:
	rows = frappe.get_all(
		"Kesu Letter Template",
		filters={"parent": "Kesu Settings", "parenttype": "Kesu Settings"},
		fields=["letter", "language", "email_template", "print_format"],
		order_by="idx",
	)
	system_language = frappe.db.get_single_value("System Settings", "language")
	return pick_letter(rows, letter, [complaint.preferred_language, system_language])


def letter_context(complaint) -> dict:
	return {
		"doc": complaint,
		"compensations": frappe.get_all(
			"Compensation",
			filters={"complaint": complaint.name, "docstatus": 1},
			fields=["compensation_type", "amount", "currency", "description"],
			order_by="creation",
		),
		"company": complaint.company,
	}


def render_letter(complaint, letter: str) -> dict | None:
	"""Subject, message, language and print format of ``letter`` for this complaint."""
	row = letter_template(complaint, letter)
	if not row:
		return None
	template = frappe.get_cached_doc("Email Template", row["email_template"])
	context = letter_context(complaint)
	with print_language(row["language"]):
		subject = frappe.render_template(template.subject, context)
		message = frappe.render_template(
			template.response_html if template.use_html else template.response, context
		)
	return {
		"subject": subject,
		"message": message,
		"language": row["language"],
		"print_format": row.get("print_format"),
		"email_template": template.name,
	}


def send_letter(complaint, letter: str, copy_to: list[str] | None = None) -> str | None:
	"""Email ``letter`` to the customer (and a copy to ``copy_to``, which the customer's consent
	must allow: kesu_app.consent); the Communication's name, or None when it could not go."""
	from kesu_app.consent import check_sharing

	check_sharing(complaint, copy_to or [])
	from frappe.core.doctype.communication.email import _make
	from frappe.email.doctype.email_account.email_account import EmailAccount

	rendered = render_letter(complaint, letter)
	if not rendered:
		frappe.msgprint(
			_("No {0} is set up in Kesu Settings > Letter Templates.").format(_(letter)),
			alert=True,
		)
		return None
	if not EmailAccount.find_outgoing(match_by_doctype="Complaint"):
		frappe.msgprint(
			_("The {0} was not emailed: the site has no outgoing email account. Print it instead.").format(
				_(letter)
			),
			alert=True,
		)
		return None
	result = _make(
		doctype="Complaint",
		name=complaint.name,
		# the complaint number in the subject lets Frappe thread a reply without its headers
		subject=f"{rendered['subject']} (#{complaint.name})",
		content=rendered["message"],
		recipients=complaint.contact_email,
		cc=", ".join(copy_to or []) or None,
		send_email=True,
		print_format=rendered["print_format"],
		print_language=rendered["language"],
		email_template=rendered["email_template"],
	)
	return result["name"]


@frappe.whitelist()
def send_letter_now(complaint: str, letter: str, copy_to: str | None = None) -> str | None:
	"""Send (or send again) a letter from the complaint form; ``copy_to``: other addresses, comma
	separated, each allowed by the customer's consent."""
	if letter not in SWITCH:
		frappe.throw(_("Unknown letter: {0}").format(letter))
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("email")
	if not doc.contact_email:
		frappe.throw(_("The complaint has no email address to send the letter to."), title=_("No Email"))
	return send_letter(doc, letter, [a.strip() for a in (copy_to or "").split(",") if a.strip()])
