import frappe

from kesu_app.install import make_letters, make_roles, make_web_form, set_settings_defaults


def execute():
	"""Sites installed before the website form, the integration role and the letters existed."""
	make_roles()
	settings = frappe.get_single("Kesu Settings")
	set_settings_defaults(settings)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	make_letters()
	make_web_form()
