"""Consent (同意): whether the customer agreed that their complaint's details may be shared with
the practitioner it concerns, and with third parties (an insurer, a consumer association, a
regulator, anyone outside the clinic). Recorded at intake (desk, website form, API), changed
by staff, and withdrawn by the customer on /my-complaints.

What respecting it means here:
- A letter goes to the customer; a copy to anyone else is sent only with consent: to the
  practitioner's own addresses with *May Be Shared with the Practitioner*, to any other address
  with *May Be Shared with Third Parties*. Without it the letter is refused, nothing is sent.
- The customer sees on /my-complaints what they agreed to, and may withdraw it there (a
  consent withdrawn is noted on the complaint's timeline); they cannot give it there (staff
  record a consent the customer gives, as at intake).
"""

from __future__ import annotations

import frappe
from frappe import _

from kesu_app.rules.privacy import email_address

PRACTITIONER, THIRD_PARTY = "consent_share_practitioner", "consent_share_third_party"
EMPLOYEE_ADDRESSES = ("user_id", "company_email", "personal_email", "prefered_email")


def practitioner_addresses(complaint) -> set[str]:
	if not complaint.practitioner:
		return set()
	values = frappe.db.get_value("Employee", complaint.practitioner, list(EMPLOYEE_ADDRESSES), as_dict=True)
	return {email_address(value) for value in (values or {}).values() if value}


def check_sharing(complaint, addresses: list[str]) -> None:
	"""Refuse to send the complaint's details to any of ``addresses`` the customer did not consent to."""
	own = email_address(complaint.contact_email)
	practitioner = practitioner_addresses(complaint)
	refused = []
	for address in addresses:
		bare = email_address(address)
		if not bare or bare == own:
			continue
		consent = PRACTITIONER if bare in practitioner else THIRD_PARTY
		if not complaint.get(consent):
			refused.append((bare, consent))
	if refused:
		frappe.throw(
			_(
				"The customer did not agree that this complaint may be shared with {0}: nothing was sent."
			).format(
				", ".join(
					f"{frappe.utils.escape_html(address)} ({_(complaint.meta.get_label(consent))})"
					for address, consent in refused
				)
			),
			frappe.PermissionError,
			title=_("No Consent"),
		)


@frappe.whitelist(methods=["POST"])
def withdraw(complaint: str, consent: str) -> None:
	"""The customer withdraws a consent from /my-complaints: only on their own complaint."""
	from kesu_app.intake import complaints_of_user

	if consent not in (PRACTITIONER, THIRD_PARTY):
		frappe.throw(_("Unknown consent: {0}").format(frappe.utils.escape_html(consent)))
	mine = {row.name for row in complaints_of_user(frappe.session.user, limit=1000)}
	if frappe.session.user == "Guest" or complaint not in mine:
		frappe.throw(
			_("This is not one of your complaints."), frappe.PermissionError, title=_("Not Permitted")
		)
	if not frappe.db.get_value("Complaint", complaint, consent):
		return
	# the customer's own right, whatever state the case is in: written without the case's save
	frappe.db.set_value("Complaint", complaint, consent, 0)
	doc = frappe.get_doc("Complaint", complaint)
	doc.add_comment(
		"Info",
		_("The customer withdrew their consent: {0}.").format(_(doc.meta.get_label(consent))),
	)
