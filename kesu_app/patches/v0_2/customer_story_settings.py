import frappe

from kesu_app.install import set_settings_defaults


def execute():
	"""Sites installed before repeat detection and retention get their settings' defaults: repeat
	detection on (90 days; 3 complaints per practitioner or service), retention off."""
	settings = frappe.get_single("Kesu Settings")
	set_settings_defaults(settings)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
