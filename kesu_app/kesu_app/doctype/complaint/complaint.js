// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

const KESU_STAGES = [
	["first_response", __("First Response", null, "Complaint")],
	["acknowledgement", __("Acknowledgement", null, "Complaint")],
	["investigation", __("Investigation", null, "Complaint")],
	["resolution", __("Resolution", null, "Complaint")],
	["feedback", __("Feedback", null, "Complaint")],
	["third_party", __("Third-Party Deadline", null, "Complaint")],
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

	add_unlock_button(frm) {
		// a closed case is an archive; a System Manager may unlock it, saying why (logged)
		if (!frappe.user.has_role("System Manager")) return;
		frm.add_custom_button(__("Unlock Closed Complaint", null, "Complaint"), () =>
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason", null, "Complaint"), reqd: 1 },
				({ reason }) =>
					frappe
						.xcall("kesu_app.kesu_app.doctype.complaint.complaint.unlock_archive", {
							name: frm.doc.name,
							reason,
						})
						.then(() => frm.reload_doc()),
				__("Unlock Closed Complaint", null, "Complaint")
			)
		);
	},

	add_medical_record_button(frm) {
		// medical details are a record of their own, readable only by the roles given it
		if (!frappe.model.can_read("Complaint Medical Record")) return;
		frm.add_custom_button(__("Medical Details", null, "Complaint"), () =>
			frappe.db.exists("Complaint Medical Record", frm.doc.name).then((exists) =>
				exists
					? frappe.set_route("Form", "Complaint Medical Record", frm.doc.name)
					: frappe.new_doc("Complaint Medical Record", { complaint: frm.doc.name })
			)
		);
	},

	refresh(frm) {
		// the server gives a case filed without one its category's severity; the desk starts at General
		if (frm.is_new() && !frm.doc.severity) frm.set_value("severity", "General");
		frm.trigger("render_time_limits");
		// the masked phone is for those the real one is hidden from (field level 1)
		frm.toggle_display("contact_phone_masked", !(frm.perm[1] && frm.perm[1].read));
		// with the workflow on, its actions set the status (and check who may)
		frm.set_df_property("status", "read_only", frappe.workflow.get_state_fieldname(frm.doctype) ? 1 : 0);
		frm.__kesu_escalation_actions = [];
		frm.__kesu_waiting_actions = {};
		if (frm.is_new()) return;
		frappe.xcall("kesu_app.handover.get_form_guidance", { name: frm.doc.name }).then((guidance) => {
			frm.events.show_next_step(frm, guidance.next_step);
			if (guidance.may_finish_intake) frm.events.add_finish_intake_button(frm);
		});
		frappe
			.xcall("kesu_app.escalation.get_escalation_actions", { name: frm.doc.name })
			.then((actions) => (frm.__kesu_escalation_actions = actions || []));
		frm.trigger("add_quality_buttons");
		frm.trigger("add_major_buttons");
		frm.trigger("add_waiting_actions");
		frm.trigger("add_medical_record_button");
		const make = __("Create", null, "Complaint");
		frm.add_custom_button(
			__("Compensation", null, "Complaint"),
			() => frappe.new_doc("Compensation", { complaint: frm.doc.name }),
			make
		);
		frm.add_custom_button(
			__("Follow-up", null, "Complaint"),
			() => frappe.new_doc("Follow-up", { complaint: frm.doc.name, scheduled_date: frappe.datetime.get_today() }),
			make
		);
		if (frm.doc.contact_email) {
			const send = __("Send Letter", null, "Complaint");
			for (const [letter, label] of [
				["Acknowledgement Letter", __("Acknowledgement Letter", null, "Complaint")],
				["Resolution Letter", __("Resolution Letter", null, "Complaint")],
			]) {
				frm.add_custom_button(
					label,
					() =>
						frappe
							.xcall("kesu_app.letters.send_letter_now", { complaint: frm.doc.name, letter })
							.then((sent) => sent && frm.reload_doc()),
					send
				);
			}
		}
		if (["Closed", "Rejected"].includes(frm.doc.status)) {
			// an archive: the server refuses edits (only Reopen, or a System Manager's unlock)
			if (!(frm.doc.__onload || {}).archive_unlocked) {
				frm.disable_form();
				frm.set_intro(__("This complaint is closed and kept as it was. Reopen it to change it.", null, "Complaint"), "blue");
			}
			frm.trigger("add_unlock_button");
			return;
		}
		if (!frm.doc.first_response_met_at || !frm.doc.acknowledgement_met_at) {
			// an escalated case answers the customer from its tier, without leaving it
			if (frm.doc.status === "Escalated") {
				frm.add_custom_button(__("Record First Response", null, "Complaint"), () =>
					frappe.confirm(
						__("Record that the customer was answered and the complaint acknowledged now?", null, "Complaint"),
						() => frm.call("record_first_response").then(() => frm.reload_doc())
					)
				);
			}
		}
		if (!frm.doc.clock_paused) {
			frm.add_custom_button(__("Pause Clock", null, "Complaint"), () => {
				frappe.prompt(
					{
						fieldname: "reason",
						fieldtype: "Data",
						label: __("What is the customer asked for?", null, "Complaint"),
						reqd: 1,
					},
					({ reason }) => frm.call("pause_clock", { reason }).then(() => frm.reload_doc()),
					__("Pause the time-limit clock while waiting on the customer", null, "Complaint"),
					__("Pause", null, "Complaint")
				);
			});
		} else {
			frm.add_custom_button(__("Resume Clock", null, "Complaint"), () =>
				frm.call("resume_clock").then(() => frm.reload_doc())
			);
		}
	},

	show_next_step(frm, next) {
		// one line on who acts next, from the workflow's transitions and the open ToDos; a line
		// of its own, as Frappe's own message there ("not editable due to a Workflow") replaces
		// whatever else is shown in it
		$(frm.layout.wrapper).find(".kesu-next-step").remove();
		if (frm.is_new() || !next) return;
		const actions = next.actions.map((a) => __(a, null, "Complaint")).join(" / ");
		const who = next.people.length
			? next.people.map((p) => frappe.utils.escape_html(p.name)).join(", ")
			: next.roles.map((r) => __(r)).join(", ");
		$(`<div class="kesu-next-step form-message blue"></div>`)
			.html(`<div>${__("Next: {0} ({1})", [actions, who], "Complaint")}</div>`)
			.prependTo(frm.layout.wrapper);
	},

	add_finish_intake_button(frm) {
		// the filer of a case that went up a tier completes its intake: contact, what happened,
		// the evidence the customer sends after the call (the form is the new tier's now)
		frm.add_custom_button(__("Finish Intake", null, "Complaint"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Finish Intake", null, "Complaint"),
				fields: [
					{ fieldname: "contact_phone", fieldtype: "Data", options: "Phone", label: __("Phone", null, "Complaint"), default: frm.doc.contact_phone },
					{ fieldname: "contact_email", fieldtype: "Data", options: "Email", label: __("Email", null, "Complaint"), default: frm.doc.contact_email },
					{ fieldname: "external_user_id", fieldtype: "Data", label: __("Chat / Social Media Account", null, "Complaint"), default: frm.doc.external_user_id },
					{ fieldname: "subject", fieldtype: "Data", label: __("Subject", null, "Complaint"), default: frm.doc.subject, reqd: 1 },
					{ fieldname: "description", fieldtype: "Text Editor", label: __("Description", null, "Complaint"), default: frm.doc.description },
					{ fieldname: "customer_demand", fieldtype: "Small Text", label: __("Customer's Demand", null, "Complaint"), default: frm.doc.customer_demand },
					{ fieldtype: "Section Break", label: __("Add Evidence", null, "Complaint") },
					{
						fieldname: "evidence",
						fieldtype: "Table",
						label: __("Evidence", null, "Complaint"),
						cannot_add_rows: false,
						in_place_edit: true,
						data: [],
						fields: [
							{
								fieldname: "evidence_type",
								fieldtype: "Select",
								label: __("Type", null, "Complaint Evidence"),
								options: ["Photo", "Agreement", "Receipt", "Medical Record", "Call Recording", "Chat Record", "Other"].map((value) => ({ value, label: __(value, null, "Complaint Evidence") })),
								default: "Photo",
								in_list_view: 1,
								reqd: 1,
							},
							{ fieldname: "attachment", fieldtype: "Attach", label: __("Attachment", null, "Complaint Evidence"), in_list_view: 1, reqd: 1 },
							{ fieldname: "description", fieldtype: "Data", label: __("Description", null, "Complaint Evidence"), in_list_view: 1 },
						],
					},
				],
				primary_action_label: __("Save", null, "Complaint"),
				primary_action(values) {
					const changed = {};
					for (const field of ["contact_phone", "contact_email", "external_user_id", "subject", "description", "customer_demand"]) {
						if ((values[field] || "") !== (frm.doc[field] || "")) changed[field] = values[field] || "";
					}
					const evidence = (values.evidence || []).filter((row) => row.attachment);
					if (evidence.length) changed.evidence = evidence;
					frm.call("finish_intake", { values: changed }).then(() => {
						dialog.hide();
						frm.reload_doc();
					});
				},
			});
			dialog.show();
		});
	},

	before_workflow_action(frm) {
		// an action that waits for fields (closing asks whether the complaint was substantiated)
		// asks for them and takes the action itself
		const waiting = (frm.__kesu_waiting_actions || {})[frm.selected_workflow_action];
		if (waiting) {
			frappe.dom.unfreeze();
			frm.events.ask_and_apply(frm, waiting);
			return Promise.reject();
		}
		// an escalation needs a reason; Frappe's apply_workflow reloads the document, so the
		// reason is handed to the server first and read back when the new state is saved
		if (!(frm.__kesu_escalation_actions || []).includes(frm.selected_workflow_action)) return;
		return new Promise((resolve, reject) => {
			frappe.dom.unfreeze();
			let given = false;
			const dialog = new frappe.ui.Dialog({
				title: __(frm.selected_workflow_action, null, "Complaint"),
				fields: [
					{
						fieldname: "reason_type",
						fieldtype: "Select",
						label: __("Reason Type", null, "Complaint"),
						options: [
							{ value: "Manual", label: __("Manual", null, "Complaint") },
							{
								value: "Customer Not Satisfied",
								label: __("Customer Not Satisfied", null, "Complaint"),
							},
						],
						default: frm.doc.status === "Reopened" ? "Customer Not Satisfied" : "Manual",
						reqd: 1,
					},
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason", null, "Complaint"), reqd: 1 },
				],
				primary_action_label: __("Escalate", null, "Complaint"),
				primary_action({ reason, reason_type }) {
					frappe
						.xcall("kesu_app.escalation.set_pending_escalation", {
							name: frm.doc.name,
							reason,
							reason_type,
						})
						.then(() => {
							// resolve before hiding: hiding without a reason cancels the action
							given = true;
							dialog.hide();
							frappe.dom.freeze();
							resolve();
						}, reject);
				},
			});
			dialog.onhide = () => {
				if (!given) reject();
			};
			dialog.show();
		});
	},

	add_waiting_actions(frm) {
		// actions the workflow hides until a field is filled in (Reject waits for the reason,
		// Propose Resolution for the findings): offered here, asking for the field
		frappe.xcall("kesu_app.workflow_actions.get_waiting_actions", { name: frm.doc.name }).then((actions) => {
			for (const waiting of actions || []) {
				frm.__kesu_waiting_actions[waiting.action] = waiting;
				const label = __(waiting.action, null, "Complaint");
				frm.page.add_action_item(`${label}…`, () => frm.events.ask_and_apply(frm, waiting));
			}
		});
	},

	ask_and_apply(frm, { action, fields }) {
		const label = __(action, null, "Complaint");
		frappe.prompt(
			fields.map((f) => ({ ...f, reqd: 1 })),
			(values) =>
				frappe
					.xcall("kesu_app.workflow_actions.apply_waiting_action", { name: frm.doc.name, action, values })
					.then(() => frm.reload_doc()),
			label,
			label
		);
	},

	add_major_buttons(frm) {
		// a major complaint owes head office a special report, approved before it is closed
		if (frm.doc.is_major) {
			const label = frm.doc.major_report
				? __("Approved Special Report", null, "Complaint")
				: __("Special Report", null, "Complaint");
			frm.add_custom_button(label, () =>
				frappe
					.xcall("kesu_app.kesu_app.doctype.major_complaint_report.major_complaint_report.make_report", {
						complaint: frm.doc.name,
					})
					.then((name) => frappe.set_route("Form", "Major Complaint Report", name))
			);
			if (!frm.doc.major_report) {
				frm.dashboard.set_headline_alert(
					__("Major complaint: it is closed once management approved its special report.", null, "Complaint"),
					"orange"
				);
			}
		} else if (!["Closed", "Rejected"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Flag as Major", null, "Complaint"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Why is it major?", null, "Complaint"), reqd: 1 },
					({ reason }) => frm.call("flag_major", { reason }).then(() => frm.reload_doc()),
					__("Flag as Major", null, "Complaint")
				)
			);
		}
		if (frm.doc.substantiated === "Substantiated" && frappe.model.can_create("Accountability Outcome")) {
			frm.add_custom_button(
				__("Accountability Outcome", null, "Complaint"),
				() =>
					frappe.new_doc("Accountability Outcome", {
						complaint: frm.doc.name,
						employee: frm.doc.responsible_employee || frm.doc.practitioner,
					}),
				__("Create", null, "Complaint")
			);
		}
	},

	add_quality_buttons(frm) {
		const group = __("Corrective Action", null, "Complaint");
		if (!frm.doc.quality_action && frappe.model.can_create("Quality Action")) {
			frm.add_custom_button(
				__("Quality Action", null, "Complaint"),
				() => frm.call("make_quality_action").then(() => frm.reload_doc()),
				group
			);
		}
		if (!frm.doc.non_conformance && frappe.model.can_create("Non Conformance")) {
			frm.add_custom_button(
				__("Non Conformance", null, "Complaint"),
				() => frm.call("make_non_conformance").then(() => frm.reload_doc()),
				group
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
				`<p class="text-muted">${__("Due times are computed when the complaint is saved.", null, "Complaint")}</p>`
			);
			return;
		}
		const now = frappe.datetime.now_datetime();
		const rows = KESU_STAGES.filter(([key]) => frm.doc[`${key}_due`]).map(([key, label]) => {
			const due = frm.doc[`${key}_due`];
			const met = frm.doc[`${key}_met_at`];
			let indicator = "blue", state = __("Running", null, "Complaint");
			if (met) {
				[indicator, state] = frm.doc[`${key}_breached`] ? ["orange", __("Met Late", null, "Complaint")] : ["green", __("Met", null, "Complaint")];
			} else if (frm.doc.clock_paused) {
				[indicator, state] = ["gray", __("Paused", null, "Complaint")];
			} else if (frm.doc[`${key}_breached`] || due < now) {
				[indicator, state] = ["red", __("Overdue", null, "Complaint")];
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
					<thead><tr><th>${__("Stage", null, "Complaint")}</th><th>${__("Due", null, "Complaint")}</th><th>${__("Met At", null, "Complaint")}</th><th>${__("Status", null, "Complaint")}</th></tr></thead>
					<tbody>${rows.join("")}</tbody></table>`
				: `<p class="text-muted">${__("No time limits apply to this complaint.", null, "Complaint")}</p>`
		);
	},
});
