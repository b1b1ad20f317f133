// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.query_reports["Overdue Complaints"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "branch", label: __("Branch", null, "Complaint"), fieldtype: "Link", options: "Branch" },
		{ fieldname: "current_tier", label: __("Current Tier", null, "Complaint"), fieldtype: "Select", options: ["", "Front Desk", "Supervisor", "Department Manager", "Management"] },
		{ fieldname: "handler", label: __("Handler", null, "Complaint"), fieldtype: "Link", options: "User" },
		{
			fieldname: "third_party_body",
			label: __("Third Party Body", null, "Complaint"),
			fieldtype: "Select",
			options: ["", "Consumer Association", "Regulator", "Industry Association", "Platform", "Other"],
		},
	],
	// customer text shows as text (see kesu_desk.js)
	formatter: (...args) => kesu_app.report_formatter(...args),
};
