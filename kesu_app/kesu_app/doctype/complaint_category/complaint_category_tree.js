frappe.treeview_settings["Complaint Category"] = {
	breadcrumb: "Kesu App",
	// the root is read from the database, so the tree asks for its children by the stored
	// (English) name; the tree shows each name through __(), in the user's language
	get_tree_nodes: "frappe.desk.treeview.get_children",
	ignore_fields: ["parent_complaint_category"],
	// Frappe lists a node's children by their stored (English) names; the reader sees them
	// translated, so they are put in the order of the reader's language (pinyin for Chinese)
	on_get_node(nodes, deep) {
		const by_shown_name = (a, b) =>
			__(a.title || a.value).localeCompare(__(b.title || b.value), frappe.boot.lang);
		for (const children of deep ? nodes.map((node) => node.data) : [nodes]) {
			(children || []).sort(by_shown_name);
		}
	},
	fields: [
		{ fieldtype: "Data", fieldname: "category_name", label: __("Category Name"), reqd: true },
		{ fieldtype: "Select", fieldname: "default_severity", label: __("Default Severity"), options: ["General", "Important", "Urgent"], default: "General" },
		{ fieldtype: "Check", fieldname: "is_group", label: __("Is Group") },
	],
};
