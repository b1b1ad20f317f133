# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class MajorComplaintEvent(Document):
	pass
