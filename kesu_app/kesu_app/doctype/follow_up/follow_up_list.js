// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.listview_settings["Follow-up"] = {
	onload(listview) {
		kesu_app.translate_list_filters(listview);
	},
};
