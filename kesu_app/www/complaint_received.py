import re

import frappe
from frappe import _

from kesu_app.intake import RECEIVED_COOKIE

no_cache = 1
# the shape of a complaint number (naming series CMP-.YYYY.-.#####): the cookie is the
# browser's to change, and nothing else is shown back
NUMBER = re.compile(r"^[A-Z]{2,10}-\d{4}-\d{3,10}$")


def get_context(context):
	if frappe.session.user != "Guest":
		frappe.local.flags.redirect_location = "/my-complaints"
		raise frappe.Redirect
	number = frappe.request.cookies.get(RECEIVED_COOKIE) if frappe.request else None
	context.no_cache = 1
	context.title = _("Thank You")
	context.number = number if number and NUMBER.match(number) else None
	return context
