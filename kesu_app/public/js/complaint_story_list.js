// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

// The complaint list marks a repeat complaint beside its status (hooks.py doctype_list_js,
// after complaint_list.js): the tag filters the list to repeats.
(() => {
	const settings = frappe.listview_settings["Complaint"] || {};
	settings.add_fields = [...(settings.add_fields || []), "is_repeat"];
	const status_indicator = settings.get_indicator;
	settings.get_indicator = function (doc) {
		const indicator = status_indicator ? status_indicator(doc) : null;
		if (!doc.is_repeat || !indicator) return indicator;
		return [`${indicator[0]} · ${__("Repeat")}`, indicator[1], "is_repeat,=,1"];
	};
	frappe.listview_settings["Complaint"] = settings;
})();
