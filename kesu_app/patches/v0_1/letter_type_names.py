import frappe


def execute():
	"""Letter types are named as letters (Acknowledgement Letter), so no other translation of
	the stage names (Acknowledgement, Resolution) shows in their place."""
	for old, new in (("Acknowledgement", "Acknowledgement Letter"), ("Resolution", "Resolution Letter")):
		frappe.db.set_value("Kesu Letter Template", {"letter": old}, "letter", new, update_modified=False)
