// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.ui.form.on("Compensation", {
	setup(frm) {
		frm.set_query("sales_invoice", () => ({
			filters: { customer: frm.doc.customer, docstatus: 1, is_return: 0, company: frm.doc.company },
		}));
		frm.set_query("complaint", () => ({ filters: { status: ["not in", ["Rejected"]] } }));
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new() && frm.doc.approval_status === "Pending") {
			frm.add_custom_button(__("Approve", null, "Compensation"), () =>
				frappe.confirm(
					__("Approve this compensation? It is then submitted, and its document is made in ERPNext.", null, "Compensation"),
					() => frm.call("approve").then(() => frm.reload_doc())
				)
			);
			frm.add_custom_button(__("Reject", null, "Compensation"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason", null, "Compensation"), reqd: 1 },
					({ reason }) => frm.call("reject", { reason }).then(() => frm.reload_doc()),
					__("Reject", null, "Compensation")
				)
			);
		}
		if (frm.doc.docstatus === 0 && !frm.is_new() && !frm.is_dirty()) {
			// approving submits it, by the tier its amount needs: no plain Submit beside Approve
			frm.page.clear_primary_action();
			if (frm.doc.approval_status === "Pending") {
				frm.dashboard.clear_comment();
				frm.dashboard.add_comment(
					__("Approving submits it; its amount decides which tier may approve.", null, "Compensation"),
					"blue",
					true
				);
			}
		}
		if (frm.doc.docstatus === 1 && !frm.doc.settlement_signed) {
			frm.add_custom_button(__("Mark Settlement Signed", null, "Compensation"), () => {
				if (!frm.doc.signed_settlement) {
					frappe.msgprint(
						__("Attach the settlement agreement the customer signed before marking it signed.", null, "Compensation")
					);
					return;
				}
				frm.call("mark_signed").then(() => frm.reload_doc());
			});
		}
		if (frm.doc.erpnext_document) {
			frm.add_custom_button(__(frm.doc.erpnext_doctype), () =>
				frappe.set_route("Form", frm.doc.erpnext_doctype, frm.doc.erpnext_document)
			);
		}
	},
});
