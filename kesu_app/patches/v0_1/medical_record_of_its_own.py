import json

import frappe

FIELD = "medical_details"


def execute():
	"""Medical details move from the complaint to a Complaint Medical Record of their own, which
	only its roles may read by any path; the complaint's old column and its Versions keep none."""
	if not frappe.db.has_column("Complaint", FIELD):
		return
	complaint = frappe.qb.DocType("Complaint")
	rows = (
		frappe.qb.from_(complaint)
		.select(complaint.name, complaint[FIELD])
		.where(complaint[FIELD].isnotnull() & (complaint[FIELD] != ""))
		.run(as_dict=True)
	)
	for row in rows:
		if not frappe.db.exists("Complaint Medical Record", row.name):
			record = frappe.get_doc(
				{"doctype": "Complaint Medical Record", "complaint": row.name, FIELD: row[FIELD]}
			)
			record.flags.ignore_permissions = True
			record.insert()
	frappe.qb.update(complaint).set(complaint[FIELD], None).run()
	scrub_versions()


def scrub_versions():
	"""A complaint's history shows what changed; the medical details it once held move to the
	record's own history, which only its roles read."""
	version = frappe.qb.DocType("Version")
	rows = (
		frappe.qb.from_(version)
		.select(version.name, version.data)
		.where((version.ref_doctype == "Complaint") & version.data.like(f"%{FIELD}%"))
		.run(as_dict=True)
	)
	for row in rows:
		data = json.loads(row.data)
		data["changed"] = [change for change in data.get("changed", []) if change[0] != FIELD]
		frappe.qb.update(version).set(version.data, json.dumps(data)).where(version.name == row.name).run()
