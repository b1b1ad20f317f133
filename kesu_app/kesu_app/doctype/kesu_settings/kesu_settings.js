// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

// A grid shows a Select's value through Frappe's formatter, which translates the bare word
// (ERPNext's Chinese for "Resolution" is 决议), while the dropdown translates it in the
// doctype's sense (处理). The grids here show it the dropdown's way.
const KESU_SETTINGS_GRIDS = ["time_limits", "working_hours", "extra_working_days", "letter_templates"];

frappe.ui.form.on("Kesu Settings", {
	refresh(frm) {
		for (const fieldname of KESU_SETTINGS_GRIDS) {
			const grid = frm.fields_dict[fieldname]?.grid;
			if (!grid) continue;
			for (const df of grid.docfields.filter((d) => d.fieldtype === "Select")) {
				grid.update_docfield_property(df.fieldname, "formatter", (value) =>
					value ? __(value, null, df.parent) : ""
				);
			}
			grid.refresh();
		}
	},
});
