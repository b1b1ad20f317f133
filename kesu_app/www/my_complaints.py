import frappe
from frappe import _

from kesu_app.intake import complaints_of_user
from kesu_app.rules.intake import public_status

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/my-complaints"
		raise frappe.Redirect
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("My Complaints")
	# what the customer agreed may be shared, and may withdraw here (kesu_app/consent.py)
	context.consents = [
		("consent_share_practitioner", _("The practitioner")),
		("consent_share_third_party", _("Third parties")),
	]
	context.complaints = [
		{
			**row,
			# in the complaint's sense: Resolved is 已解决 here, not a bare word's 解决
			"public_status": _(public_status(row.status), context="Complaint"),
			"settled": public_status(row.status) in ("Resolved", "Closed"),
		}
		for row in complaints_of_user(frappe.session.user)
	]
	return context
