// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

// a list script runs in the page's global scope, and again when its doctype is reloaded
(() => {
	// the time-limit stages, in the order their clocks run (kesu_app/rules/time_limits.py STAGES)
	const KESU_STAGES = {
		first_response: "First Response",
		acknowledgement: "Acknowledgement",
		investigation: "Investigation",
		resolution: "Resolution",
		feedback: "Feedback",
		third_party: "Third-Party Deadline",
	};
	// a finished case has no time limit left to chase
	const KESU_DONE_STATUSES = ["Closed", "Rejected"];
	// the list's own column: when the case's next time limit falls, which no field holds
	const KESU_NEXT_DUE = "kesu_next_due";

	frappe.listview_settings["Complaint"] = {
		add_fields: [
			"status",
			"severity",
			"current_tier",
			"clock_paused",
			...Object.keys(KESU_STAGES).flatMap((stage) => [`${stage}_due`, `${stage}_met_at`]),
		],
		// the number is shown whole in front of the subject: Frappe's ID column cuts it short
		hide_name_column: true,
		onload(listview) {
			kesu_app.translate_list_filters(listview);
			add_next_due_column(listview);
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
			if (doc.status === "Escalated" && doc.current_tier) {
				return [
					__("Escalated: {0}", [__(doc.current_tier, null, "Complaint")]),
					colors.Escalated,
					`current_tier,=,${doc.current_tier}`,
				];
			}
			return [
				__(doc.status, null, "Complaint"),
				colors[doc.status] || "gray",
				`status,=,${doc.status}`,
			];
		},
		formatters: {
			// the subject is set as a link's text, not as HTML
			subject(value, df, doc) {
				return value ? `${doc.name} · ${value}` : doc.name;
			},
			severity(value) {
				const color = { Urgent: "red", Important: "orange", General: "blue" }[value] || "gray";
				return `<span class="indicator-pill ${color}">${__(value, null, "Complaint")}</span>`;
			},
			[KESU_NEXT_DUE](value, df, doc) {
				return next_due_html(doc);
			},
		},
	};

	function add_next_due_column(listview) {
		// Frappe rebuilds the columns when the list's settings change, so the column is added each time
		const setup_columns = listview.setup_columns.bind(listview);
		listview.setup_columns = function () {
			setup_columns();
			const shown = this.columns.filter((col) =>
				["Subject", "Status", "Field"].includes(col.type)
			);
			// Frappe 15 caps the columns by screen width; 16 lets them all in and narrows them
			const cap =
				this.max_number_of_fields ||
				this.list_view_settings?.total_fields ||
				(window.innerWidth <= 1366 ? 4 : window.innerWidth >= 1920 ? 10 : 6);
			if (shown.length >= cap) {
				const last = this.columns.findLastIndex((col) => col.type === "Field");
				if (last > -1) this.columns.splice(last, 1);
			}
			const status = this.columns.findIndex((col) => col.type === "Status");
			this.columns.splice(status + 1, 0, {
				type: "Field",
				df: {
					fieldname: KESU_NEXT_DUE,
					fieldtype: "Data",
					label: __("Next Due"),
					parent: "Complaint",
				},
			});
		};
		listview.setup_columns();
		listview.render_header(true);
	}

	function next_due(doc) {
		if (KESU_DONE_STATUSES.includes(doc.status)) return null;
		let earliest = null;
		for (const [stage, label] of Object.entries(KESU_STAGES)) {
			const due = doc[`${stage}_due`];
			if (due && !doc[`${stage}_met_at`] && (!earliest || due < earliest.due)) {
				earliest = { due, label };
			}
		}
		return earliest;
	}

	function next_due_html(doc) {
		const next = next_due(doc);
		if (!next) return "";
		// both in the site's time zone, as the due times are stored
		const minutes = moment(next.due).diff(moment(frappe.datetime.system_datetime()), "minutes");
		const span = Math.abs(minutes);
		const [minute, hour, day] = [span, Math.floor(span / 60), Math.floor(span / 1440)];
		const texts =
			minutes < 0
				? [
						__("Overdue {0} min", [minute]),
						__("Overdue {0} h", [hour]),
						__("Overdue {0} d", [day]),
				  ]
				: [
						__("Due in {0} min", [minute]),
						__("Due in {0} h", [hour]),
						__("Due in {0} d", [day]),
				  ];
		// minutes within the hour, hours within two days, then days
		const text = texts[span < 60 ? 0 : span < 48 * 60 ? 1 : 2];
		const title = __("{0} due {1}", [
			__(next.label, null, "Complaint"),
			frappe.datetime.str_to_user(next.due),
		]);
		const color = minutes < 0 ? "text-danger" : minutes < 24 * 60 ? "text-warning" : "text-muted";
		return `<span class="${color}" title="${frappe.utils.escape_html(title)}">${text}</span>`;
	}
})();
