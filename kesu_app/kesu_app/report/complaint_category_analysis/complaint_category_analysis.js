// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.query_reports["Complaint Category Analysis"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "branch", label: __("Branch", null, "Complaint"), fieldtype: "Link", options: "Branch" },
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			// the year so far, as the workspace's category chart counts
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{
			fieldname: "channel",
			label: __("Channel", null, "Complaint"),
			fieldtype: "Select",
			options: ["", "Phone", "Walk-in", "Email", "Online Chat", "WeChat", "Social Media", "Website", "Letter", "Third Party"],
		},
		{ fieldname: "severity", label: __("Severity", null, "Complaint"), fieldtype: "Select", options: ["", "General", "Important", "Urgent"] },
		{
			fieldname: "third_party_body",
			label: __("Third Party Body", null, "Complaint"),
			fieldtype: "Select",
			options: ["", "Consumer Association", "Regulator", "Industry Association", "Platform", "Other"],
		},
		{
			fieldname: "based_on",
			label: __("Based On"),
			fieldtype: "Select",
			options: [
				{ value: "Category", label: __("Category") },
				{ value: "Root Cause", label: __("Root Cause", null, "Complaint") },
			],
			default: "Category",
		},
		{ fieldname: "category", label: __("Category Group", null, "Complaint"), fieldtype: "Link", options: "Complaint Category" },
		{
			fieldname: "category_level",
			label: __("Category Level", null, "Complaint"),
			fieldtype: "Int",
			description: __("Empty: each category. 1: roll up to the categories just below the root.", null, "Complaint"),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		// the row of complaints without a category, named as the chart names it
		if (column.fieldname === "category" && data && !data.category && data.complaints !== undefined) {
			return `<span class="text-muted">${__("Uncategorised")}</span>`;
		}
		value = kesu_app.report_formatter(value, row, column, data, default_formatter);
		// a row's count opens the complaints behind it, with the report's filters
		if (column.fieldname === "complaints" && data && data.category !== undefined) {
			const filters = frappe.query_report.get_filter_values();
			if (filters.based_on === "Root Cause") return value;
			// a row rolled up to a level stands for its category and everything below it
			const category = filters.category_level ? ["descendants of (inclusive)", data.category] : data.category;
			const route = { category: data.category ? category : ["is", "not set"] };
			for (const key of ["company", "branch", "channel", "severity", "third_party_body"]) if (filters[key]) route[key] = filters[key];
			route.received_at = ["between", [filters.from_date, filters.to_date]];
			// escaped for the attribute: a category's name may hold a quote
			const options = frappe.utils.escape_html(JSON.stringify(route));
			return `<a href="#" onclick='frappe.route_options = ${options}; frappe.set_route("List", "Complaint"); return false;'>${value}</a>`;
		}
		return value;
	},
};
