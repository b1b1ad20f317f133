// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.ui.form.on("Follow-up", {
	refresh(frm) {
		if (frm.doc.survey_key && !frm.doc.survey_answered_at) {
			const url = `${frappe.urllib.get_base_url()}/satisfaction?key=${frm.doc.survey_key}`;
			frm.set_intro(
				__("Survey link for the customer (WeChat, SMS or email): {0}", [url], "Follow-up"),
				"blue"
			);
		}
	},
});
