"""Default master data created once at install; admins change it in the desk afterwards."""

# (name, default severity); the Chinese names come from the translation file
DEFAULT_CATEGORIES = (
	("Treatment Outcome", "Important"),
	("Service Attitude", "General"),
	("Price and Billing", "General"),
	("Privacy", "Important"),
	("Medical Safety", "Urgent"),
	("Product Quality", "Important"),
	("Environment and Facilities", "General"),
	("Practitioner Conduct", "Important"),
	("Other", "General"),
)
ROOT_CATEGORY = "All Complaint Categories"

DEFAULT_ROOT_CAUSES = (
	"Communication",
	"Unrealistic Expectations",
	"Practitioner Skill",
	"Service Process",
	"Product Defect",
	"Pricing Transparency",
	"Facilities",
	"Privacy Handling",
	"Other",
)

# a clinic open 09:00-12:00 and 13:30-18:00 on weekdays, closed for lunch
DEFAULT_WORKING_HOURS = tuple(
	(day, start, end)
	for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	for start, end in (("09:00:00", "12:00:00"), ("13:30:00", "18:00:00"))
)

# Custom Fields kesu_app adds to ERPNext doctypes (created at install, removed at uninstall):
# the complaint a corrective action came from, and who handles complaints for a department.
CUSTOM_FIELDS = {
	"Quality Action": [
		{
			"fieldname": "kesu_complaint",
			"fieldtype": "Link",
			"label": "Complaint",
			"options": "Complaint",
			"insert_after": "status",
			"read_only": 1,
		}
	],
	"Non Conformance": [
		{
			"fieldname": "kesu_complaint",
			"fieldtype": "Link",
			"label": "Complaint",
			"options": "Complaint",
			"insert_after": "status",
			"read_only": 1,
		}
	],
	**{
		doctype: [
			{
				"fieldname": "kesu_compensation",
				"fieldtype": "Link",
				"label": "Compensation",
				"options": "Compensation",
				"insert_after": after,
				"read_only": 1,
				"no_copy": 1,
				"allow_on_submit": 1,
			}
		]
		for doctype, after in (
			("Sales Invoice", "return_against"),
			("Journal Entry", "user_remark"),
			("Sales Order", "customer"),
			("Coupon Code", "customer"),
		)
	},
	"Department": [
		{
			"fieldname": "kesu_complaint_manager",
			"fieldtype": "Link",
			"label": "Complaint Manager",
			"options": "User",
			"insert_after": "parent_department",
			"description": "Gets the complaints escalated to the department manager tier.",
		}
	],
}
