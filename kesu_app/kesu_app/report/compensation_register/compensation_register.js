// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.query_reports["Compensation Register"] = {
	filters: [
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
		{
			// says what is grouped: a bare "Group By" beside the dates reads as grouping the dates
			fieldname: "group_by",
			label: __("Group Compensation By"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Type", label: __("Compensation Type") },
				{ value: "Category", label: __("Complaint Category") },
				{ value: "Branch", label: __("Branch", null, "Compensation") },
			],
		},
	],
	// customer text shows as text (see kesu_desk.js)
	formatter: (...args) => kesu_app.report_formatter(...args),
};
