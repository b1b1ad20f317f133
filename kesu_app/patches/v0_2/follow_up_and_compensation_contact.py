import frappe


def execute():
	"""Follow-ups and compensations filed before they carried their complaint's customer and email:
	filled in, one statement per table (Frappe's personal-data requests and the Customer's
	Connections use them). Fixed SQL: frappe.qb writes a joined UPDATE's SET unqualified."""
	frappe.db.sql(
		"""UPDATE `tabFollow-up` f JOIN `tabComplaint` c ON c.name = f.complaint
		SET f.contact_email = c.contact_email, f.customer = c.customer"""
	)
	frappe.db.sql(
		"""UPDATE `tabCompensation` p JOIN `tabComplaint` c ON c.name = p.complaint
		SET p.contact_email = c.contact_email"""
	)
