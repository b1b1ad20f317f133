// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.ui.form.on("Complaint Category", {
	setup(frm) {
		frm.set_query("parent_complaint_category", () => ({ filters: { is_group: 1 } }));
	},
});
