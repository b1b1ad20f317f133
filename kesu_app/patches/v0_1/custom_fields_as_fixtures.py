import frappe

from kesu_app.rules.defaults import CUSTOM_FIELDS


def execute():
	"""The custom fields made by install code before they shipped as fixtures take the app's module,
	so that export-fixtures and uninstall find them; migrate then syncs them from the fixture."""
	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			custom_field = frappe.qb.DocType("Custom Field")
			(
				frappe.qb.update(custom_field)
				.set(custom_field.module, "Kesu App")
				.where((custom_field.dt == doctype) & (custom_field.fieldname == field["fieldname"]))
			).run()
