// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.query_reports["Complaint Accountability"] = {
	filters: [
		{
			fieldname: "based_on",
			label: __("Based On"),
			fieldtype: "Select",
			options: [
				{ value: "Employee", label: __("Employee") },
				{ value: "Department", label: __("Department") },
				{ value: "Root Cause", label: __("Root Cause", null, "Complaint") },
			],
			default: "Employee",
			reqd: 1,
		},
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "branch", label: __("Branch", null, "Complaint"), fieldtype: "Link", options: "Branch" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.year_start(), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
	],
	formatter: (...args) => kesu_app.report_formatter(...args),
};
