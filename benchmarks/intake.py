"""Benchmark of intake and form load against ERPNext's own Issue, on one site.

- Intake: inserting a Complaint through the document API (its controller computes the time
  limits on the working calendar) against inserting an ERPNext Issue with a Service Level
  Agreement applied; each insert committed, as a request would, alternating the two so load
  falls on both alike. Mean, p95 and min / median / max per insert.
- Form load: ``frappe.desk.form.load.getdoc`` (what the desk calls to open a form) for a
  Complaint with a typical history (saves, comments, an assignment, evidence, an escalation
  through the workflow) against an Issue with a like history (saves, comments, an assignment).

    ~/frappe-bench/env/bin/python -m benchmarks.intake --site kesu.test

Everything it creates is deleted at the end; Support Settings are put back as they were.
"""

from __future__ import annotations

import time

from benchmarks.common import connect, parse_args, report
from benchmarks.stats import ratio_of, summary

MARK = "BENCH-INTAKE"
SLA_NAME = "BENCH Intake SLA"
HOLIDAYS = "BENCH Intake Holidays"
PRIORITIES = ("Low", "Medium", "High")
SIDE_RECORDS = (
	("Communication", "reference_name"),
	("Version", "docname"),
	("Comment", "reference_name"),
	("ToDo", "reference_name"),
	("Notification Log", "document_name"),
	("Workflow Action", "reference_name"),
	("DocShare", "share_name"),
	("File", "attached_to_name"),
)


class Seeded:
	"""What a run created, so that cleanup removes exactly that."""

	def __init__(self):
		self.complaints: list[str] = []
		self.issues: list[str] = []
		self.created: list[tuple[str, str]] = []
		self.support_settings: dict = {}


def setup_sla(frappe, seeded: Seeded):
	"""A default Service Level Agreement on Issue, with response and resolution times on a
	Mon-Fri working calendar, as a support desk would run ERPNext."""
	from frappe.utils import add_days, getdate

	settings = frappe.get_single("Support Settings")
	seeded.support_settings = {"track_service_level_agreement": settings.track_service_level_agreement}
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	for priority in PRIORITIES:
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority", "name": priority}).insert(ignore_permissions=True)
			seeded.created.append(("Issue Priority", priority))
	if not frappe.db.exists("Holiday List", HOLIDAYS):
		year = getdate().year
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": HOLIDAYS,
				"from_date": f"{year - 1}-01-01",
				"to_date": f"{year + 1}-12-31",
			}
		).insert(ignore_permissions=True)
		seeded.created.append(("Holiday List", HOLIDAYS))
	existing = frappe.db.get_value(
		"Service Level Agreement",
		{"document_type": "Issue", "default_service_level_agreement": 1, "enabled": 1},
	)
	if existing:
		return existing
	hours = [
		{"workday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
		for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	]
	sla = frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": SLA_NAME,
			"document_type": "Issue",
			"enabled": 1,
			"default_service_level_agreement": 1,
			"default_priority": "Medium",
			"holiday_list": HOLIDAYS,
			"start_date": add_days(getdate(), -1),
			"end_date": add_days(getdate(), 365),
			"apply_sla_for_resolution": 1,
			"priorities": [
				{
					"priority": priority,
					"response_time": 3600 * hours_,
					"resolution_time": 3600 * 24 * hours_,
					"default_priority": int(priority == "Medium"),
				}
				for priority, hours_ in zip(PRIORITIES, (24, 8, 1), strict=True)
			],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
			"pause_sla_on": [{"status": "Replied"}],
			"support_and_resolution": hours,
		}
	).insert(ignore_permissions=True)
	seeded.created.append(("Service Level Agreement", sla.name))
	return sla.name


def complaint_values(frappe, i: int) -> dict:
	return {
		"doctype": "Complaint",
		"channel": "Phone",
		"customer_name": f"Intake Customer {i}",
		"contact_phone": "+86 138 0013 8000",
		"subject": f"{MARK} redness after laser treatment {i}",
		"description": "The customer reports redness for a week after the treatment.",
		"customer_demand": "Free follow-up treatment",
		"category": "Treatment Outcome",
		"severity": "General",
	}


def issue_values(i: int) -> dict:
	return {
		"doctype": "Issue",
		"subject": f"{MARK} redness after laser treatment {i}",
		"raised_by": "intake.customer@example.com",
		"description": "The customer reports redness for a week after the treatment.",
		"priority": "Medium",
	}


def measure_intake(frappe, seeded: Seeded, count: int) -> dict:
	def insert(values, into: list[str]) -> float:
		start = time.perf_counter()
		doc = frappe.get_doc(values).insert()
		frappe.db.commit()
		elapsed = time.perf_counter() - start
		into.append(doc.name)
		return elapsed

	for i in range(5):  # warm-up: caches as a running site has them
		insert(complaint_values(frappe, -i - 1), seeded.complaints)
		insert(issue_values(-i - 1), seeded.issues)
	ours, theirs = [], []
	for i in range(count):
		ours.append(insert(complaint_values(frappe, i), seeded.complaints))
		theirs.append(insert(issue_values(i), seeded.issues))
	issue = frappe.get_doc("Issue", seeded.issues[-1])
	assert issue.service_level_agreement and issue.response_by, "the SLA was not applied to the Issue"
	complaint = frappe.get_doc("Complaint", seeded.complaints[-1])
	assert complaint.acknowledgement_due, "the Complaint's time limits were not computed"
	return {"complaint": summary(ours), "issue": summary(theirs)}


def with_history(frappe, doc, saves: list[dict]):
	"""Saves, two comments and an assignment: what a case gathers in its first days."""
	from frappe.desk.form.assign_to import add as assign

	for values in saves:
		doc.reload()
		doc.update(values)
		doc.save()
	doc.add_comment("Comment", "Called the customer, who will send photos.")
	doc.add_comment("Comment", "Photos received; passed to the doctor.")
	assign(
		{"doctype": doc.doctype, "name": doc.name, "assign_to": ["Administrator"], "description": "Handle"}
	)
	frappe.db.commit()


def typical_complaint(frappe, seeded: Seeded) -> str:
	from frappe.model.workflow import apply_workflow

	from kesu_app.escalation import escalate
	from kesu_app.rules.tiers import MANUAL

	doc = frappe.get_doc(complaint_values(frappe, 100_000)).insert()
	seeded.complaints.append(doc.name)
	photo = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "bench-evidence.txt",
			"content": b"photo of the treated area",
			"is_private": 1,
			"attached_to_doctype": "Complaint",
			"attached_to_name": doc.name,
		}
	).insert(ignore_permissions=True)
	with_history(
		frappe,
		doc,
		[
			{"customer_demand": "Free follow-up treatment and a partial refund"},
			{"evidence": [{"evidence_type": "Photo", "attachment": photo.file_url, "description": "day 7"}]},
			{"findings": "<p>Redness is a known reaction; the settings were within the protocol.</p>"},
		],
	)
	apply_workflow(frappe.get_doc("Complaint", doc.name).as_dict(), "Acknowledge")
	escalate(frappe.get_doc("Complaint", doc.name), MANUAL, "The customer asks for the supervisor.")
	frappe.db.commit()
	return doc.name


def typical_issue(frappe, seeded: Seeded) -> str:
	doc = frappe.get_doc(issue_values(100_000)).insert()
	seeded.issues.append(doc.name)
	with_history(
		frappe,
		doc,
		[
			{"priority": "High"},
			{"description": "The customer reports redness for a week; photos attached by email."},
			{"status": "Replied"},
		],
	)
	return doc.name


def measure_form_load(frappe, seeded: Seeded, calls: int) -> dict:
	from frappe.desk.form.load import getdoc

	complaint, issue = typical_complaint(frappe, seeded), typical_issue(frappe, seeded)

	def load(doctype: str, name: str) -> float:
		frappe.local.response = frappe._dict(docs=[])
		start = time.perf_counter()
		getdoc(doctype, name)
		elapsed = time.perf_counter() - start
		assert frappe.local.response.docs and frappe.local.response.docinfo is not None
		return elapsed

	for _ in range(5):
		load("Complaint", complaint)
		load("Issue", issue)
	ours, theirs = [], []
	for _ in range(calls):
		ours.append(load("Complaint", complaint))
		theirs.append(load("Issue", issue))
	docinfo = frappe.local.response.docinfo
	return {
		"complaint": summary(ours),
		"issue": summary(theirs),
		"history": {
			"versions": len(docinfo.get("versions") or []),
			"comments": len(docinfo.get("comments") or []),
		},
	}


def cleanup(frappe, seeded: Seeded):
	frappe.db.rollback()
	for doctype, names in (("Complaint", seeded.complaints), ("Issue", seeded.issues)):
		for start in range(0, len(names), 1000):
			chunk = names[start : start + 1000]
			for side, field in SIDE_RECORDS:
				frappe.db.delete(side, {field: ("in", chunk)})
			if doctype == "Complaint":
				for child in ("Complaint Escalation", "Complaint Evidence"):
					frappe.db.delete(child, {"parent": ("in", chunk)})
			frappe.db.delete(doctype, {"name": ("in", chunk)})
	for doctype, name in reversed(seeded.created):
		frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
	for field, value in seeded.support_settings.items():
		frappe.db.set_single_value("Support Settings", field, value)
	frappe.db.commit()


def run(frappe, inserts: int = 200, calls: int = 200) -> list[tuple[str, dict]]:
	seeded = Seeded()
	try:
		setup_sla(frappe, seeded)
		frappe.db.commit()
		intake = measure_intake(frappe, seeded, inserts)
		form = measure_form_load(frappe, seeded, calls)
	finally:
		cleanup(frappe, seeded)
	return [
		(f"intake: insert a Complaint, time limits computed (s, n={inserts})", intake["complaint"]),
		(f"intake: insert an Issue, SLA applied (s, n={inserts})", intake["issue"]),
		("intake: ratio Complaint / Issue (target <= 1.5)", ratio_of(intake["complaint"], intake["issue"])),
		(f"form load: getdoc Complaint with history (s, n={calls})", form["complaint"]),
		(f"form load: getdoc Issue with history (s, n={calls})", form["issue"]),
		("form load: ratio Complaint / Issue (target <= 1.2)", ratio_of(form["complaint"], form["issue"])),
	]


def main():
	args = parse_args(
		__doc__.splitlines()[0],
		inserts=(int, 200, "inserts of each"),
		calls=(int, 200, "getdoc calls of each"),
	)
	frappe = connect(args.site, args.bench)
	rows = run(frappe, args.inserts, args.calls)
	report("intake", rows, {"inserts": args.inserts, "calls": args.calls})
	frappe.destroy()


if __name__ == "__main__":
	main()
