import frappe

from kesu_app.rules.defaults import WEB_FORM, WEB_FORM_FIELDS

CONSENTS = ("consent_share_practitioner", "consent_share_third_party")


def execute():
	"""The website form asks the two consents; a form an admin reworded keeps its wording, and
	gets only the fields it lacks."""
	name = frappe.db.get_value("Web Form", {"route": WEB_FORM["route"]})
	if not name:
		return
	web_form = frappe.get_doc("Web Form", name)
	present = {row.fieldname for row in web_form.web_form_fields}
	added = False
	for fieldname, fieldtype, label, reqd in WEB_FORM_FIELDS:
		if fieldname in CONSENTS and fieldname not in present:
			web_form.append(
				"web_form_fields",
				{"fieldname": fieldname, "fieldtype": fieldtype, "label": label, "reqd": reqd},
			)
			added = True
	if added:
		web_form.save(ignore_permissions=True)
