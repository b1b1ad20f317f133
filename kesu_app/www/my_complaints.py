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
	context.complaints = [
		{**row, "public_status": _(public_status(row.status))}
		for row in complaints_of_user(frappe.session.user)
	]
	return context
