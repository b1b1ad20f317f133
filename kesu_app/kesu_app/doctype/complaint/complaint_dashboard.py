from frappe import _


def get_data():
	"""The Connections of a complaint: what was done about it, and the ERPNext records it names."""
	return {
		"fieldname": "complaint",
		"internal_links": {
			"Sales Invoice": "sales_invoice",
			"Quality Action": "quality_action",
			"Non Conformance": "non_conformance",
		},
		"transactions": [
			{"label": _("Compensation"), "items": ["Compensation"]},
			{"label": _("Follow-up"), "items": ["Follow-up"]},
			{"label": _("Invoice"), "items": ["Sales Invoice"]},
			{"label": _("Quality"), "items": ["Quality Action", "Non Conformance"]},
			# shown to those who may read them: the special report to complaint staff, outcomes to
			# management and HR
			{"label": _("Major Complaint"), "items": ["Major Complaint Report", "Accountability Outcome"]},
		],
	}
