"""Benchmark of intake: inserting a Complaint against inserting an ERPNext Issue under an SLA.

A Complaint goes in through the document API, as the desk sends it (its controller computes
the time limits on the working calendar and sets the tier); the Issue goes in the same way with
a Service Level Agreement applied (one is created if the site has none, and Support Settings >
Track Service Level Agreement is switched on for the run and put back). Each insert is its own
request: request caches dropped before, committed after. The two alternate, which one goes
first changing every round, so load on the machine falls on both alike. Prints mean, p95 and
min / median / max per insert, and the ratio (target: the Complaint within 1.5x the Issue).

    ~/frappe-bench/env/bin/python -m benchmarks.intake --site kesu-bench.test --inserts 200

Everything it creates is deleted at the end.
"""

from __future__ import annotations

import time

from benchmarks.common import connect, dropping_queued_jobs, end_request, new_request, parse_args, report
from benchmarks.desk import complaint_values, issue_values, seeded_site
from benchmarks.stats import ratio_of, summary

WARM_UP = 5


def insert(frappe, values: dict) -> tuple[float, str]:
	new_request(frappe)
	start = time.perf_counter()
	doc = frappe.get_doc(values).insert()
	end_request(frappe)
	return time.perf_counter() - start, doc.name


def check(frappe, complaint: str, issue: str):
	"""A fast insert that skipped its work would prove nothing."""
	values = frappe.db.get_value("Issue", issue, ["service_level_agreement", "response_by"], as_dict=True)
	assert values.service_level_agreement and values.response_by, "the SLA was not applied to the Issue"
	assert frappe.db.get_value("Complaint", complaint, "acknowledgement_due"), (
		"the Complaint's time limits were not computed"
	)


def run(frappe, inserts: int = 200) -> list[tuple[str, dict]]:
	ours, theirs = [], []
	with seeded_site(frappe) as state:
		for i in range(-WARM_UP, inserts):
			rounds = (("Complaint", complaint_values(i), ours), ("Issue", issue_values(i), theirs))
			names = {}
			for doctype, values, samples in rounds if i % 2 else reversed(rounds):
				elapsed, names[doctype] = insert(frappe, values)
				state.record(doctype, names[doctype])
				if i >= 0:
					samples.append(elapsed)
		check(frappe, names["Complaint"], names["Issue"])
	return [
		(f"intake: insert a Complaint, time limits computed (s, n={inserts})", summary(ours)),
		(f"intake: insert an Issue, SLA applied (s, n={inserts})", summary(theirs)),
		("intake: ratio Complaint / Issue", {**ratio_of(summary(ours), summary(theirs)), "target": "<= 1.5"}),
	]


def main():
	args = parse_args(__doc__.splitlines()[0], inserts=(int, 200, "inserts of each"))
	frappe = connect(args.site, args.bench)
	with dropping_queued_jobs(args.site):
		rows = run(frappe, args.inserts)
	report("intake", rows, {"inserts": args.inserts})
	frappe.destroy()


if __name__ == "__main__":
	main()
