// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.ui.form.on("Major Complaint Report", {
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.add_custom_button(__("Rebuild Timeline", null, "Major Complaint Report"), () =>
				frm.call("rebuild_timeline").then(() => frm.reload_doc())
			);
			if ((frm.doc.corrective_actions || []).some((row) => !row.quality_action)) {
				frm.add_custom_button(__("Raise Quality Actions"), () => {
					if (frm.is_dirty()) {
						frappe.msgprint(__("Save the report first."));
						return;
					}
					frm.call("raise_quality_actions").then(() => frm.reload_doc());
				});
			}
		}
	},
});
