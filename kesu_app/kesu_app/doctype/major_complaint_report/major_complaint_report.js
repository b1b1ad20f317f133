// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.ui.form.on("Major Complaint Report", {
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.add_custom_button(__("Rebuild Timeline", null, "Major Complaint Report"), () =>
				frm.call("rebuild_timeline").then(() => frm.reload_doc())
			);
		}
	},
});
