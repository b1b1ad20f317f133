import frappe

from kesu_app.rules.defaults import WEB_FORM

OLD_URL = "/my-complaints"
OLD_MESSAGE = (
	"We have received your complaint and will contact you soon."
	" If you have an account, you can follow it under My Complaints."
)


def execute():
	"""The complaint form sent a guest on to /my-complaints, which asks them to log in: it now
	leads to the thank-you page with their number. A form whose redirect or message an admin
	changed keeps them."""
	for name, url, message in frappe.get_all(
		"Web Form",
		filters={"doc_type": "Complaint"},
		fields=["name", "success_url", "success_message"],
		as_list=True,
	):
		values = {}
		if url == OLD_URL:
			values["success_url"] = WEB_FORM["success_url"]
		if message == OLD_MESSAGE:
			values["success_message"] = WEB_FORM["success_message"]
		if values:
			frappe.db.set_value("Web Form", name, values)
	frappe.clear_cache(doctype="Web Form")
