import frappe

from kesu_app.install import set_settings_defaults


def execute():
	"""Sites installed before the time-limit job existed get its settings switched on."""
	settings = frappe.get_single("Kesu Settings")
	set_settings_defaults(settings)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
