// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.query_reports["Complaint Hotspots"] = {
	filters: [
		{ fieldname: "based_on", label: __("Based On"), fieldtype: "Select", options: ["Practitioner", "Service", "Branch", "Category", "Root Cause"], default: "Practitioner", reqd: 1 },
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "branch", label: __("Branch", null, "Complaint"), fieldtype: "Link", options: "Branch" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -12), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
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
