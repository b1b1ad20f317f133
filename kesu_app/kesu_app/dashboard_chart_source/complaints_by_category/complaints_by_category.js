// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Complaints by Category"] = {
	method: "kesu_app.kesu_app.dashboard_chart_source.complaints_by_category.complaints_by_category.get",
	filters: [
		{
			fieldname: "period",
			label: __("Period", null, "Complaint"),
			fieldtype: "Select",
			options: ["this month", "this quarter", "this year", "last quarter", "last year"].map((value) => ({
				value,
				label: __(value),
			})),
			default: "this year",
		},
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
		},
	],
};
