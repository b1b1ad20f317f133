// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.ui.form.on("Follow-up", {
	refresh(frm) {
		const open_survey =
			frm.doc.follow_up_type === "Satisfaction Survey" &&
			frm.doc.status === "Scheduled" &&
			!frm.is_new();
		if (open_survey && frm.perm[0] && frm.perm[0].write) {
			// only a hash of the key is stored: a link is issued anew, and the one before stops working
			frm.add_custom_button(__("Survey Link", null, "Follow-up"), () => {
				frappe.confirm(
					__("Issue a new survey link to send by WeChat or SMS? A link sent before stops working.", null, "Follow-up"),
					() =>
						frappe
							.xcall("kesu_app.follow_up.get_survey_link", { follow_up: frm.doc.name })
							.then((url) => {
								frappe.msgprint({
									title: __("Survey Link", null, "Follow-up"),
									message: `<p>${__("Survey link for the customer (WeChat, SMS or email): {0}", [""], "Follow-up")}</p><p><code>${frappe.utils.escape_html(url)}</code></p>`,
								});
								frm.reload_doc();
							})
				);
			});
		}
	},
});
