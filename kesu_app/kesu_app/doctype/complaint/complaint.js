// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

const KESU_STAGES = [
	["first_response", __("First Response")],
	["acknowledgement", __("Acknowledgement")],
	["investigation", __("Investigation")],
	["resolution", __("Resolution")],
	["feedback", __("Feedback")],
];

frappe.ui.form.on("Complaint", {
	setup(frm) {
		frm.set_query("sales_invoice", () => {
			const filters = { docstatus: 1, company: frm.doc.company };
			if (frm.doc.customer) filters.customer = frm.doc.customer;
			return { filters };
		});
		for (const field of ["practitioner", "responsible_employee"]) {
			frm.set_query(field, () => ({ filters: { company: frm.doc.company, status: "Active" } }));
		}
		for (const field of ["department", "handling_department"]) {
			frm.set_query(field, () => ({ filters: { company: frm.doc.company } }));
		}
		frm.set_query("category", () => ({ filters: { is_group: 0, disabled: 0 } }));
		frm.set_query("root_cause", () => ({ filters: { disabled: 0 } }));
	},

	refresh(frm) {
		frm.trigger("render_time_limits");
		if (frm.is_new() || ["Closed", "Rejected"].includes(frm.doc.status)) return;
		if (!frm.doc.clock_paused) {
			frm.add_custom_button(__("Pause Clock"), () => {
				frappe.prompt(
					{
						fieldname: "reason",
						fieldtype: "Data",
						label: __("What is the customer asked for?"),
						reqd: 1,
					},
					({ reason }) => frm.call("pause_clock", { reason }).then(() => frm.reload_doc()),
					__("Pause the time-limit clock while waiting on the customer"),
					__("Pause")
				);
			});
		} else {
			frm.add_custom_button(__("Resume Clock"), () =>
				frm.call("resume_clock").then(() => frm.reload_doc())
			);
		}
	},

	category(frm) {
		if (!frm.doc.category) return;
		frappe.db
			.get_value("Complaint Category", frm.doc.category, ["default_severity", "handling_department"])
			.then(({ message }) => {
				if (!message) return;
				if (message.default_severity) frm.set_value("severity", message.default_severity);
				if (message.handling_department && !frm.doc.handling_department) {
					frm.set_value("handling_department", message.handling_department);
				}
			});
	},

	customer(frm) {
		if (frm.doc.sales_invoice) frm.set_value("sales_invoice", null);
	},

	render_time_limits(frm) {
		const field = frm.get_field("time_limits_html");
		if (!field) return;
		if (frm.is_new()) {
			field.$wrapper.html(
				`<p class="text-muted">${__("Due times are computed when the complaint is saved.")}</p>`
			);
			return;
		}
		const now = frappe.datetime.now_datetime();
		const rows = KESU_STAGES.filter(([key]) => frm.doc[`${key}_due`]).map(([key, label]) => {
			const due = frm.doc[`${key}_due`];
			const met = frm.doc[`${key}_met_at`];
			let indicator = "blue", state = __("Running");
			if (met) {
				[indicator, state] = frm.doc[`${key}_breached`] ? ["orange", __("Met Late")] : ["green", __("Met")];
			} else if (frm.doc.clock_paused) {
				[indicator, state] = ["gray", __("Paused")];
			} else if (frm.doc[`${key}_breached`] || due < now) {
				[indicator, state] = ["red", __("Overdue")];
			}
			return `<tr>
				<td>${label}</td>
				<td>${frappe.datetime.str_to_user(due)}</td>
				<td>${met ? frappe.datetime.str_to_user(met) : ""}</td>
				<td><span class="indicator-pill ${indicator}">${state}</span></td>
			</tr>`;
		});
		field.$wrapper.html(
			rows.length
				? `<table class="table table-bordered table-condensed">
					<thead><tr><th>${__("Stage")}</th><th>${__("Due")}</th><th>${__("Met At")}</th><th>${__("Status")}</th></tr></thead>
					<tbody>${rows.join("")}</tbody></table>`
				: `<p class="text-muted">${__("No time limits apply to this complaint.")}</p>`
		);
	},
});
