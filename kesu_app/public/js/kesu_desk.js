// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

// Grids, list columns and report views show a Select's value through Frappe's Select
// formatter, which translates the bare word: ERPNext's Chinese for a bare "Manual" is 手册 (a
// handbook), for "Open" 开, for "Resolution" 决议. The app translates its options in the sense
// of their doctype (zh.csv rows with the doctype as context), which the form's dropdowns
// already use; this shows them that way everywhere else too. Other apps' doctypes are left
// as Frappe formats them.
(() => {
	const bare_select = frappe.form.formatters.Select;
	frappe.form.formatters.Select = function (value, df, options, doc) {
		const doctype = df && df.parent;
		if (value && doctype && locals.DocType?.[doctype]?.module === "Kesu App") {
			return __(frappe.form.formatters.Data(value, df, options, doc), null, doctype);
		}
		return bare_select(value, df, options, doc);
	};
})();

// A list's standard filters are Select controls made without their doctype, so their options
// take the bare word's translation too (Open: 开, Done: DONE). The app's lists call this from
// their onload to name the doctype.
frappe.provide("kesu_app");
kesu_app.translate_list_filters = function (listview) {
	for (const field of Object.values(listview.page.fields_dict || {})) {
		if (field.df.fieldtype !== "Select" || !field.set_options) continue;
		field.df.context = listview.doctype;
		field.last_options = null; // set_options skips options it has already drawn
		field.set_options();
	}
};

// Frappe's Data formatter shows a value as HTML, and a report's text cells quote customers
// (subjects, names, demands): the app's reports show them as text.
kesu_app.TEXT_FIELDTYPES = ["Data", "Small Text", "Text", "Long Text"];
kesu_app.report_formatter = function (value, row, column, data, default_formatter) {
	if (typeof value === "string" && kesu_app.TEXT_FIELDTYPES.includes(column.fieldtype)) {
		value = frappe.utils.escape_html(value);
	}
	return default_formatter(value, row, column, data);
};
