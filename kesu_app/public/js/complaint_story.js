// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

// The complaint's place in the customer's story (hooks.py doctype_js, beside complaint.js):
// a repeat complaint says so at the top with links to the earlier cases, and an anonymised
// one says what that means; Complaint Management anonymise a closed case from the form.
frappe.ui.form.on("Complaint", {
	refresh(frm) {
		kesu_app.story.show_repeat(frm);
		kesu_app.story.show_anonymised(frm);
		kesu_app.story.add_anonymise_button(frm);
		kesu_app.story.add_copy_button(frm);
	},
});

frappe.provide("kesu_app.story");

kesu_app.story.show_repeat = function (frm) {
	const field = frm.get_field("repeat_html");
	if (field) field.$wrapper.empty();
	if (frm.is_new() || !frm.doc.is_repeat) return;
	frappe.call({
		method: "kesu_app.repeats.earlier_complaints",
		args: { complaint: frm.doc.name },
		callback(r) {
			const rules = r.message || [];
			if (!rules.length) return;
			const lines = rules.map((rule) => {
				const links = rule.cases
					.map(
						(c) =>
							// /app on Frappe 15, /desk on 16: Frappe builds the link
							frappe.utils.get_form_link("Complaint", c.name, true, frappe.utils.escape_html(c.name))
					)
					.join(", ");
				return `${frappe.utils.escape_html(rule.label)}: ${links || __("not readable for you")}`;
			});
			frm.dashboard.set_headline_alert(
				`<b>${__("Repeat complaint")}</b> — ${lines.join("; ")}`,
				"orange"
			);
			if (field) field.$wrapper.html(lines.map((l) => `<p>${l}</p>`).join(""));
		},
	});
};

kesu_app.story.show_anonymised = function (frm) {
	if (frm.doc.anonymised) {
		frm.dashboard.set_headline_alert(
			__("The customer's personal data was removed from this complaint; its statistics were kept."),
			"gray"
		);
	}
};

kesu_app.story.add_anonymise_button = function (frm) {
	const closed = ["Closed", "Rejected"].includes(frm.doc.status);
	const allowed = frappe.user.has_role("Complaint Management") || frappe.user.has_role("System Manager");
	if (frm.is_new() || frm.doc.anonymised || !closed || !allowed) return;
	frm.add_custom_button(
		__("Anonymise"),
		() => {
			frappe.confirm(
				__(
					"Remove the customer's name, phone, email, medical details, evidence files and free text from this complaint and its records? This cannot be undone."
				),
				() =>
					frappe.call({
						method: "kesu_app.personal_data.anonymise_complaint",
						args: { complaint: frm.doc.name },
						freeze: true,
						callback: () => frm.reload_doc(),
					})
			);
		},
		__("Actions")
	);
};

// a letter with a copy to the practitioner or a third party: the server sends it only when the
// customer's consent allows it (kesu_app/consent.py)
kesu_app.story.add_copy_button = function (frm) {
	if (frm.is_new() || !frm.doc.contact_email || frm.doc.anonymised) return;
	frm.add_custom_button(
		__("Letter with a Copy…"),
		() => {
			const dialog = new frappe.ui.Dialog({
				title: __("Send a Letter with a Copy"),
				fields: [
					{
						fieldname: "letter",
						fieldtype: "Select",
						label: __("Letter"),
						reqd: 1,
						options: [
							{ value: "Acknowledgement Letter", label: __("Acknowledgement Letter", null, "Complaint") },
							{ value: "Resolution Letter", label: __("Resolution Letter", null, "Complaint") },
						],
					},
					{
						fieldname: "copy_to",
						fieldtype: "Data",
						label: __("Copy To"),
						reqd: 1,
						description: __(
							"Only where the customer agreed: the practitioner's address, or a third party's."
						),
					},
				],
				primary_action(values) {
					frappe
						.xcall("kesu_app.letters.send_letter_now", {
							complaint: frm.doc.name,
							letter: values.letter,
							copy_to: values.copy_to,
						})
						.then((sent) => {
							dialog.hide();
							if (sent) frm.reload_doc();
						});
				},
			});
			dialog.show();
		},
		__("Send Letter", null, "Complaint")
	);
};
