frappe.treeview_settings["Complaint Category"] = {
	breadcrumb: "Kesu App",
	// the root is read from the database, so the tree asks for its children by the stored
	// (English) name; the tree shows each name through __(), in the user's language
	get_tree_nodes: "frappe.desk.treeview.get_children",
	ignore_fields: ["parent_complaint_category"],
	fields: [
		{ fieldtype: "Data", fieldname: "category_name", label: __("Category Name"), reqd: true },
		{ fieldtype: "Select", fieldname: "default_severity", label: __("Default Severity"), options: ["General", "Important", "Urgent"], default: "General" },
		{ fieldtype: "Check", fieldname: "is_group", label: __("Is Group") },
	],
};
