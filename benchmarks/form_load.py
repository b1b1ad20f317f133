"""Benchmark of form load: opening a Complaint against opening an ERPNext Issue, each with a history.

Times ``frappe.desk.form.load.getdoc``, what the desk calls (a GET) to open a form: the document,
its onload and its docinfo (versions, comments, assignments, attachments, shares...). The
Complaint has what a case gathers in its first days: saves with their Version rows, two comments,
an evidence row with its photo, an assignment, the Acknowledge transition of the workflow and a
manual escalation through it. The Issue (under a Service Level Agreement, as in the intake
benchmark) gets as many versions, comments, assignments and attachments. Each call is its own
request (request caches and ``frappe.response`` dropped before, committed or rolled back after
as Frappe does for a GET); the two alternate, which goes first changing every round. Prints
mean, p95 and min / median / max per call, and the ratio (target: within 1.2x the Issue).

    ~/frappe-bench/env/bin/python -m benchmarks.form_load --site kesu-bench.test --calls 200

Everything it creates is deleted at the end.
"""

from __future__ import annotations

import time

from benchmarks.common import connect, dropping_queued_jobs, end_request, new_request, parse_args, report
from benchmarks.desk import complaint_values, issue_values, seeded_site
from benchmarks.stats import ratio_of, summary

WARM_UP = 5
COMMENTS = ("Called the customer, who will send photos.", "Photos received; passed to the doctor.")


def attach_photo(frappe, doc) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"bench-photo-{doc.name}.txt",
				"content": b"photo of the treated area",
				"is_private": 1,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
			}
		)
		.insert(ignore_permissions=True)
		.file_url
	)


def save(doc, values: dict):
	doc.reload()
	doc.update(values)
	doc.save()


def assign(doc, users: list[str]):
	from frappe.desk.form.assign_to import add

	add(
		{
			"doctype": doc.doctype,
			"name": doc.name,
			"assign_to": users,
			"description": "Handle this complaint and call the customer back.",
		}
	)


def assignees(frappe, doctype: str, name: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": doctype, "reference_name": name, "status": "Open"},
		pluck="allocated_to",
		order_by="allocated_to",
	)


def history(frappe, doctype: str, name: str) -> dict:
	"""What getdoc will load about the document, to check both are alike."""
	return {
		"versions": frappe.db.count("Version", {"ref_doctype": doctype, "docname": name}),
		"comments": frappe.db.count("Comment", {"reference_doctype": doctype, "reference_name": name}),
		"assignments": assignees(frappe, doctype, name),
		"attachments": frappe.db.count("File", {"attached_to_doctype": doctype, "attached_to_name": name}),
	}


def typical_complaint(frappe, state) -> str:
	from frappe.model.workflow import apply_workflow

	from kesu_app.escalation import escalate
	from kesu_app.rules.tiers import MANUAL

	doc = frappe.get_doc(complaint_values(0)).insert()
	state.record("Complaint", doc.name)
	photo = attach_photo(frappe, doc)
	save(doc, {"customer_demand": "Free follow-up treatment and a partial refund"})
	save(doc, {"evidence": [{"evidence_type": "Photo", "attachment": photo, "description": "day 7"}]})
	save(doc, {"findings": "<p>Redness is a known reaction; the settings were within the protocol.</p>"})
	for text in COMMENTS:
		doc.add_comment("Comment", text)
	assign(doc, ["Administrator"])
	apply_workflow(frappe.get_doc("Complaint", doc.name).as_dict(), "Acknowledge")
	escalate(frappe.get_doc("Complaint", doc.name), MANUAL, "The customer asks for the supervisor.")
	frappe.db.commit()
	return doc.name


def issue_saves():
	"""Edits a support agent makes to an Issue, over and over as many as needed."""
	i = 0
	while True:
		i += 1
		yield {"priority": "High" if i % 2 else "Medium"}
		yield {"description": f"The customer reports redness for a week; update {i}."}
		yield {"status": "Replied"}
		yield {"status": "Open"}


def like_issue(frappe, complaint: dict, state) -> str:
	"""An Issue with the Complaint's number of versions, comments and attachments, assigned to
	the same people (the escalation assigns whoever holds the tier's role)."""
	doc = frappe.get_doc(issue_values(0)).insert()
	state.record("Issue", doc.name)
	for _ in range(complaint["attachments"]):
		attach_photo(frappe, doc)
	assign(doc, complaint["assignments"])
	saves = issue_saves()
	while history(frappe, "Issue", doc.name)["versions"] < complaint["versions"]:
		save(doc, next(saves))
	for i in range(complaint["comments"] - history(frappe, "Issue", doc.name)["comments"]):
		doc.add_comment("Comment", COMMENTS[i % len(COMMENTS)])
	frappe.db.commit()
	return doc.name


def load(frappe, doctype: str, name: str) -> float:
	from frappe.desk.form.load import getdoc

	new_request(frappe)
	start = time.perf_counter()
	getdoc(doctype, name)
	elapsed = time.perf_counter() - start
	response = frappe.local.response
	assert response.docs and response.docs[0].name == name and response.docinfo.versions, response
	end_request(frappe, "GET")
	return elapsed


def run(frappe, calls: int = 200) -> list[tuple[str, object]]:
	ours, theirs = [], []
	with seeded_site(frappe) as state:
		complaint = typical_complaint(frappe, state)
		ours_history = history(frappe, "Complaint", complaint)
		issue = like_issue(frappe, ours_history, state)
		theirs_history = history(frappe, "Issue", issue)
		assert ours_history == theirs_history, (ours_history, theirs_history)
		for i in range(-WARM_UP, calls):
			rounds = (("Complaint", complaint, ours), ("Issue", issue, theirs))
			for doctype, name, samples in rounds if i % 2 else reversed(rounds):
				elapsed = load(frappe, doctype, name)
				if i >= 0:
					samples.append(elapsed)
	alike = ", ".join(
		f"{len(count) if isinstance(count, list) else count} {what}" for what, count in ours_history.items()
	)
	return [
		("form load: history of each document", alike),
		(f"form load: getdoc a Complaint (s, n={calls})", summary(ours)),
		(f"form load: getdoc an Issue, SLA applied (s, n={calls})", summary(theirs)),
		(
			"form load: ratio Complaint / Issue",
			{**ratio_of(summary(ours), summary(theirs)), "target": "<= 1.2"},
		),
	]


def main():
	args = parse_args(__doc__.splitlines()[0], calls=(int, 200, "getdoc calls of each"))
	frappe = connect(args.site, args.bench)
	with dropping_queued_jobs(args.site):
		rows = run(frappe, args.calls)
	report("form_load", rows, {"calls": args.calls})
	frappe.destroy()


if __name__ == "__main__":
	main()
