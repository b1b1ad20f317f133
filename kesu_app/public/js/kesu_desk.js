// Copyright (c) 2026, kesu_app developers
// For license information, please see license.txt

// Grids, list columns and report views show a Select's value through Frappe's Select
// formatter, which translates the bare word: ERPNext's Chinese for a bare "Manual" is 手册 (a
// handbook), for "Open" 开, for "Resolution" 决议. The app translates its options in the sense
// of their doctype (zh.csv rows with the doctype as context), which the form's dropdowns
// already use; this shows them that way everywhere else too. Other apps' doctypes are left
// as Frappe formats them.
(() => {
	const bare_select = frappe.form.formatters.Select;
	frappe.form.formatters.Select = function (value, df, options, doc) {
		const doctype = df && df.parent;
		if (value && doctype && locals.DocType?.[doctype]?.module === "Kesu App") {
			return __(frappe.form.formatters.Data(value, df, options, doc), null, doctype);
		}
		return bare_select(value, df, options, doc);
	};
})();

// A list's standard filters are Select controls made without their doctype, so their options
// take the bare word's translation too (Open: 开, Done: DONE). The app's lists call this from
// their onload to name the doctype.
frappe.provide("kesu_app");
kesu_app.translate_list_filters = function (listview) {
	for (const field of Object.values(listview.page.fields_dict || {})) {
		if (field.df.fieldtype !== "Select" || !field.set_options) continue;
		field.df.context = listview.doctype;
		field.last_options = null; // set_options skips options it has already drawn
		field.set_options();
	}
};

// Frappe's Data formatter shows a value as HTML, and a report's text cells quote customers
// (subjects, names, demands): the app's reports show them as text.
kesu_app.TEXT_FIELDTYPES = ["Data", "Small Text", "Text", "Long Text"];
kesu_app.report_formatter = function (value, row, column, data, default_formatter) {
	if (typeof value === "string" && kesu_app.TEXT_FIELDTYPES.includes(column.fieldtype)) {
		value = frappe.utils.escape_html(value);
	}
	return default_formatter(value, row, column, data);
};

// Frappe's timeline tells a field's change with the stored values ("Status from Resolved to
// Closed" in a Chinese desk). For the app's doctypes it is handed the values as their forms
// show them: a Select option in its doctype's sense, a shipped category or root cause in the
// reader's language. Other doctypes' timelines are left as they are.
kesu_app.TRANSLATED_LINKS = ["Complaint Category", "Complaint Root Cause", "Workflow State"];
kesu_app.is_app_doctype = (doctype) => locals.DocType?.[doctype]?.module === "Kesu App";
kesu_app.shown_value = function (doctype, fieldname, value) {
	const df = frappe.meta.get_docfield(doctype, fieldname);
	if (!df || typeof value !== "string" || !value) return value;
	if (df.fieldtype === "Select") return __(value, null, doctype);
	if (df.fieldtype === "Link" && kesu_app.TRANSLATED_LINKS.includes(df.options)) return __(value);
	return value;
};
kesu_app.shown_version = function (version, doctype) {
	let data;
	try {
		data = JSON.parse(version.data);
	} catch (e) {
		return version;
	}
	const shown = (dt, [fieldname, before, after]) => [
		fieldname,
		kesu_app.shown_value(dt, fieldname, before),
		kesu_app.shown_value(dt, fieldname, after),
	];
	data.changed = (data.changed || []).map((change) => shown(doctype, change));
	data.row_changed = (data.row_changed || []).map(([table, idx, name, changes]) => {
		const child = frappe.meta.get_docfield(doctype, table)?.options;
		return [table, idx, name, child ? changes.map((change) => shown(child, change)) : changes];
	});
	return { ...version, data: JSON.stringify(data) };
};
$(document).on("form-load", (e, frm) => {
	// the timeline's class is not exported: its prototype is reached through a form's timeline
	const timeline = frm.timeline && Object.getPrototypeOf(frm.timeline);
	if (!timeline || !timeline.get_version_timeline_contents || timeline.kesu_shows_values) return;
	timeline.kesu_shows_values = true;
	// each of these timeline parts reads a list of doc_info: on the app's doctypes it reads the
	// list as shown to this reader, and the list itself is put back afterwards
	const show_in = (method, key, show) => {
		const original = timeline[method];
		timeline[method] = function () {
			const items = this.doc_info?.[key];
			if (!items || !kesu_app.is_app_doctype(this.frm.doctype)) return original.call(this);
			this.doc_info[key] = items.map((item) => show(item, this.frm.doctype));
			try {
				return original.call(this);
			} finally {
				this.doc_info[key] = items;
			}
		};
	};
	const with_content = (log, shown) => (shown === null ? log : { ...log, content: shown });
	show_in("get_version_timeline_contents", "versions", (version, doctype) =>
		kesu_app.shown_version(version, doctype)
	);
	show_in("get_assignment_timeline_contents", "assignment_logs", (log) =>
		with_content(log, kesu_app.translate_assignment(log.content || ""))
	);
	show_in("get_info_timeline_contents", "info_logs", (log) =>
		with_content(log, kesu_app.translate_stored(log.content || "", kesu_app.STORED_COMMENTS, false))
	);
});

// The app writes some texts once, in the language of whoever's action wrote them: an
// escalation's reason ("Severity raised to Important"), a compensation's notes on its ERPNext
// document ("Coupon Code … prepared for accounts."). Those written in English are shown in the
// reader's language; a person's own words are shown as written. Each argument says whose sense
// it is translated in (translate: a doctype as context, or true for the bare word; absent: kept
// as written) and what it may match (pattern; the last argument takes the rest of the text).
kesu_app.STORED_REASONS = [
	["Severity: {0}", [{ translate: "Complaint" }]],
	["Severity raised to {0}", [{ translate: "Complaint" }]],
	[
		"Customer not satisfied ({0} {1}): {2}",
		[{ translate: "Follow-up" }, { pattern: "\\S+" }, {}],
	],
	["Reopened", []],
];
// the overdue reason lists each late stage: "overdue: Acknowledgement, overdue: Resolution"
kesu_app.OVERDUE_REASON = ["overdue: {0}", [{ translate: "Complaint" }]];
// Info comments on the app's documents; their arguments are already HTML, escaped when written
kesu_app.STORED_COMMENTS = [
	["{0} {1} prepared for accounts.", [{ translate: true }, { pattern: "\\S+" }]],
	[
		"{0} {1} waits for accounts: {2} may not submit it.",
		[{ translate: true }, { pattern: "\\S+" }, {}],
	],
	["{0} {1} cancelled.", [{ translate: true }, { pattern: "\\S+" }]],
	["Draft {0} {1} deleted.", [{ translate: true }, { pattern: "\\S+" }]],
	["Voucher {0} withdrawn.", [{}]],
	["{0} {1} raised for the corrective action.", [{ translate: true }, { pattern: "\\S+" }]],
	["First response and acknowledgement recorded by {0}.", [{}]],
	["Survey link issued to {0}; earlier links no longer work.", [{}]],
	["No outgoing email account: send the survey link by hand.", []],
];
kesu_app.match_stored = function (text, [template, args], escape = true) {
	const literal = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const source = template
		.split(/(\{\d\})/)
		.map((part) => {
			const arg = part.match(/^\{(\d)\}$/);
			if (!arg) return literal(part);
			const spec = args[arg[1]] || {};
			return `(${spec.pattern || (spec === args[args.length - 1] ? "[\\s\\S]+" : ".+?")})`;
		})
		.join("");
	const found = text.match(new RegExp(`^${source}$`));
	if (!found) return null;
	const values = found.slice(1).map((value, i) => {
		const translate = args[i]?.translate;
		if (translate) value = translate === true ? __(value) : __(value, null, translate);
		return escape ? frappe.utils.escape_html(value) : value;
	});
	return __(template, values);
};
kesu_app.translate_stored = function (text, templates, escape = true) {
	for (const template of templates) {
		const shown = kesu_app.match_stored(text, template, escape);
		if (shown !== null) return shown;
	}
	return null;
};
kesu_app.translate_stored_reason = function (text, escape = true) {
	const shown = kesu_app.translate_stored(text, kesu_app.STORED_REASONS, escape);
	if (shown !== null) return shown;
	const stages = text
		.split(", ")
		.map((part) => kesu_app.match_stored(part, kesu_app.OVERDUE_REASON, escape));
	return stages.every((stage) => stage !== null) ? stages.join(", ") : null;
};
// Frappe records an assignment as "{0} assigned {1}: {2}" with the ToDo's description, which
// the app writes: "Escalated to {0}: {1}" (or "Escalated automatically to…", with the empty tiers
// it passed over) and the reason, or the next step ("Next: {0}")
kesu_app.translate_assignment = function (content) {
	const found = content.match(/^(.+?) assigned (.+?): ([\s\S]+)$/);
	if (!found) return null;
	const [, by, to, text] = found;
	const description = kesu_app.translate_todo_description(text);
	if (description === null) return null;
	return __("{0} assigned {1}: {2}", [by, to, description]);
};
kesu_app.translate_each = (tiers) =>
	tiers
		.split(", ")
		.map((tier) => __(tier, null, "Complaint"))
		.join(", ");
kesu_app.translate_todo_description = function (text) {
	let passed = "";
	const tail = text.match(/^([\s\S]+) \(passed over (.+?): nobody holds it\)$/);
	if (tail) {
		text = tail[1];
		passed = " " + __("(passed over {0}: nobody holds it)", [kesu_app.translate_each(tail[2])]);
	}
	const escalated = text.match(/^Escalated (automatically )?to (.+?): ([\s\S]+)$/);
	if (escalated) {
		const [, automatic, tier, reason] = escalated;
		const shown = kesu_app.translate_stored_reason(reason, false) ?? reason;
		const description = automatic
			? __("Escalated automatically to {0}: {1}", [__(tier, null, "Complaint"), shown])
			: __("Escalated to {0}: {1}", [__(tier, null, "Complaint"), shown]);
		return description + passed;
	}
	const next = text.match(/^Next: (.+)$/);
	if (next) return __("Next: {0}", [kesu_app.translate_each(next[1])]);
	return null;
};
(() => {
	const small_text = frappe.form.formatters.SmallText;
	frappe.form.formatters.SmallText = function (value, df, options, doc) {
		if (value && df?.parent === "Complaint Escalation" && df.fieldname === "reason") {
			const shown = kesu_app.translate_stored_reason(value);
			if (shown !== null) return shown;
		}
		return small_text(value, df, options, doc);
	};
})();

// The workspace's category block (a Custom HTML Block made at install, whose script calls this):
// the year's complaints per category as bars with the whole name beside each, in the reader's
// language, which a chart's axis would cut short. Each row opens the complaints behind it.
kesu_app.CATEGORY_BLOCK_METHOD =
	"kesu_app.kesu_app.dashboard_chart_source.complaints_by_category.complaints_by_category.category_counts";
kesu_app.render_category_block = function (root) {
	const body = root.querySelector(".kesu-categories");
	if (!body) return;
	frappe.xcall(kesu_app.CATEGORY_BLOCK_METHOD, { period: "this year" }).then((rows) => {
		const esc = frappe.utils.escape_html;
		const most = Math.max(1, ...rows.map((row) => row.count));
		const title = rows.length
			? __("Complaints by category, {0} to {1}", [frappe.datetime.str_to_user(rows[0].from), frappe.datetime.str_to_user(rows[0].to)])
			: __("No complaints this year");
		body.innerHTML = `<div class="kesu-categories-title">${esc(title)}</div>${rows
			.map(
				(row, i) => `<a class="kesu-category-row" data-index="${i}">
					<span class="kesu-category-name">${esc(row.label)}</span>
					<span class="kesu-category-bar"><span style="width: ${(100 * row.count) / most}%"></span></span>
					<span class="kesu-category-count">${esc(String(row.count))}</span>
				</a>`
			)
			.join("")}`;
		body.querySelectorAll(".kesu-category-row").forEach((link) =>
			link.addEventListener("click", () => {
				const row = rows[Number(link.dataset.index)];
				frappe.route_options = {
					category: row.category || ["is", "not set"],
					received_at: ["between", [row.from, row.to]],
				};
				frappe.set_route("List", "Complaint");
			})
		);
	});
};
