import frappe

from kesu_app.install import DEFAULT_SETTLEMENT_TERMS, set_settings_defaults


def execute():
	"""Sites installed before compensation and follow-up existed get their default settings."""
	settings = frappe.get_single("Kesu Settings")
	set_settings_defaults(settings)
	if not settings.settlement_terms:
		settings.settlement_terms = DEFAULT_SETTLEMENT_TERMS
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
