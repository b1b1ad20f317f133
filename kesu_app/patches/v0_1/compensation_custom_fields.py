from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from kesu_app.rules.defaults import CUSTOM_FIELDS


def execute():
	"""The links from ERPNext's credit notes, journal entries, orders and vouchers back to the
	compensation that made them, on sites installed before compensation existed."""
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True)
