import frappe

from kesu_app.rules.repeats import phone_key


def execute():
	"""Complaints filed before repeat detection get the phone key it compares, one UPDATE per batch."""
	from kesu_app import bulk

	rows = frappe.get_all(
		"Complaint", filters={"contact_phone": ("is", "set")}, fields=["name", "contact_phone"]
	)
	for start in range(0, len(rows), 1000):
		batch = rows[start : start + 1000]
		bulk.update(
			"Complaint", {row.name: {"contact_phone_key": phone_key(row.contact_phone)} for row in batch}
		)
