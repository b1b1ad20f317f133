// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

frappe.listview_settings["Complaint"] = {
	add_fields: ["status", "severity", "clock_paused", "resolution_due", "resolution_met_at"],
	onload(listview) {
		kesu_app.translate_list_filters(listview);
	},
	get_indicator(doc) {
		const colors = {
			Open: "red",
			Acknowledged: "orange",
			Investigating: "orange",
			Escalated: "purple",
			"Resolution Proposed": "blue",
			"Awaiting Feedback": "blue",
			Resolved: "green",
			Closed: "gray",
			Rejected: "darkgrey",
			Reopened: "red",
		};
		if (doc.clock_paused) return [__("Paused", null, "Complaint"), "gray", "clock_paused,=,1"];
		return [__(doc.status, null, "Complaint"), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
	formatters: {
		severity(value) {
			const color = { Urgent: "red", Important: "orange", General: "blue" }[value] || "gray";
			return `<span class="indicator-pill ${color}">${__(value, null, "Complaint")}</span>`;
		},
	},
};
