// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.ui.form.on("Complaint Medical Record", {
	refresh(frm) {
		if (frm.doc.complaint) {
			frm.add_custom_button(__("Complaint"), () =>
				frappe.set_route("Form", "Complaint", frm.doc.complaint)
			);
		}
	},
});
