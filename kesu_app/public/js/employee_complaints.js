// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

// The Employee's Connections count their complaints as practitioner (kesu_app/connections.py);
// this adds those that name them the responsible employee.
frappe.ui.form.on("Employee", {
	refresh(frm) {
		if (frm.is_new() || !frappe.model.can_read("Complaint")) return;
		frappe.call({
			method: "kesu_app.connections.responsible_counts",
			args: { employee: frm.doc.name },
			callback(r) {
				const counts = r.message;
				if (!counts || !counts.readable) return;
				// the form refreshes more than once as it loads: one indicator, the latest
				frm.dashboard.stats_area_row?.find(".kesu-responsible").remove();
				frm.dashboard
					.add_indicator(
						__("Complaints as Responsible Employee: {0} ({1} open)", [counts.count, counts.open_count]),
						counts.open_count ? "orange" : "gray"
					)
					.addClass("kesu-responsible");
				if (counts.count) {
					frm.add_custom_button(
						__("Complaints as Responsible Employee"),
						() => frappe.set_route("List", "Complaint", { responsible_employee: frm.doc.name }),
						__("View")
					);
				}
			},
		});
	},
});
