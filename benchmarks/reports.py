"""Benchmark of the analysis reports against ERPNext's own Issue reports, on one site.

Seeds complaints and ERPNext Issues in bulk (the same count of each, spread over two years),
then times, as min / median / max over --repeat runs after a warm-up:

- Complaint Category Analysis against ERPNext's Issue Summary (based on Issue Type),
- Quarterly Complaint Analysis against ERPNext's Issue Analytics (Issue Type, quarterly),

at each size in --sizes (default 100,000; add 1,000,000 for the big-site figure), printing
the ratios. A report that fails (Issue Summary sends every name back to the database in one
statement, and can exceed MariaDB's packet size at a million rows) is reported as failed.

    ~/frappe-bench/env/bin/python -m benchmarks.reports --site kesu.test --sizes 100000,1000000

Everything it seeds is deleted at the end.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from benchmarks.common import connect, dropping_queued_jobs, parse_args, ratio, report, timed

PREFIX = "BENCH-RPT-"
START = datetime(2024, 1, 1, 9, 0)
DAYS = 730
CATEGORIES = (
	"Treatment Outcome", "Service Attitude", "Price and Billing", "Privacy", "Medical Safety",
	"Product Quality", "Environment and Facilities", "Practitioner Conduct", "Other",
)  # fmt: skip
ISSUE_TYPES = (
	"Treatment",
	"Billing",
	"Service",
	"Privacy",
	"Safety",
	"Product",
	"Facility",
	"Conduct",
	"Other",
)


def seed(frappe, start: int, stop: int, company: str):
	rng = random.Random(start)
	complaint_fields = [
		"name", "naming_series", "received_at", "channel", "customer_name", "company", "subject", "description",
		"severity", "status", "current_tier", "workflow_state", "category", "substantiated",
		"acknowledgement_due", "acknowledgement_met_at", "resolution_due", "resolution_met_at",
		"resolution_working_hours", "closed_at", "creation", "modified", "owner", "modified_by",
	]  # fmt: skip
	issue_fields = [
		"name", "naming_series", "subject", "status", "issue_type", "customer", "company", "opening_date",
		"opening_time", "first_response_time", "resolution_time", "avg_response_time", "agreement_status",
		"creation", "modified", "owner", "modified_by",
	]  # fmt: skip

	def complaints():
		for i in range(start, stop):
			received = START + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(600))
			closed = received + timedelta(days=rng.randint(1, 20)) if rng.random() < 0.8 else None
			ack_met = received + timedelta(hours=rng.randint(1, 40))
			yield (
				f"{PREFIX}{i:08d}", "CMP-.YYYY.-.#####", received, "Phone", f"Customer {i % 20000}", company,
				"Benchmark complaint", "Seeded by benchmarks.reports", rng.choice(("General", "Important", "Urgent")),
				"Closed" if closed else "Investigating", "Front Desk", "Closed" if closed else "Investigating",
				CATEGORIES[i % len(CATEGORIES)], rng.choice(("Substantiated", "Not Substantiated", "Undetermined")),
				received + timedelta(hours=24), ack_met, received + timedelta(days=7), closed,
				rng.uniform(2, 60) if closed else 0, closed, received, received, "Administrator", "Administrator",
			)  # fmt: skip

	def issues():
		for i in range(start, stop):
			opened = START + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(600))
			yield (
				f"{PREFIX}{i:08d}", "ISS-.YYYY.-", "Benchmark issue", rng.choice(("Open", "Replied", "Resolved", "Closed")),
				ISSUE_TYPES[i % len(ISSUE_TYPES)], None, company, opened.date(), opened.time(),
				rng.uniform(60, 86400), rng.uniform(3600, 864000), rng.uniform(60, 86400), "Fulfilled",
				opened, opened, "Administrator", "Administrator",
			)  # fmt: skip

	frappe.db.bulk_insert("Complaint", complaint_fields, complaints(), chunk_size=5_000)
	frappe.db.bulk_insert("Issue", issue_fields, issues(), chunk_size=5_000)
	frappe.db.commit()


def cleanup(frappe):
	frappe.db.rollback()
	for doctype in ("Complaint", "Issue"):
		frappe.db.delete(doctype, {"name": ("like", f"{PREFIX}%")})
	frappe.db.commit()


def guarded(fn):
	"""Run a report; a failure is a figure too (None), not the end of the benchmark."""

	def run():
		try:
			fn()
		except Exception as error:
			raise Failed(f"{type(error).__name__}: {str(error)[:120]}") from error

	return run


class Failed(Exception):
	pass


def measure(frappe, fn, repeat):
	try:
		return timed(guarded(fn), repeat)
	except Failed as failure:
		# a failed report may have lost the connection (a statement over the packet size)
		frappe.db.close()
		frappe.connect()
		frappe.set_user("Administrator")
		return {"failed": str(failure)}


def run(frappe, sizes: list[int], repeat: int = 5, reuse: bool = False) -> list[tuple[str, object]]:
	from erpnext.support.report.issue_analytics.issue_analytics import execute as issue_analytics
	from erpnext.support.report.issue_summary.issue_summary import execute as issue_summary

	from kesu_app.kesu_app.report.complaint_category_analysis.complaint_category_analysis import (
		execute as category_analysis,
	)
	from kesu_app.kesu_app.report.quarterly_complaint_analysis.quarterly_complaint_analysis import (
		execute as quarterly_analysis,
	)

	company = frappe.defaults.get_global_default("company")
	period = {"company": company, "from_date": "2024-01-01", "to_date": "2025-12-31"}
	rows, seeded = [], 0
	if reuse:
		seeded = frappe.db.count("Complaint", {"name": ("like", f"{PREFIX}%")})
	else:
		cleanup(frappe)
	try:
		for size in sizes:
			if size > seeded:
				seed(frappe, seeded, size, company)
				seeded = size
			ours_category = measure(frappe, lambda: category_analysis(dict(period)), repeat)
			theirs_summary = measure(
				frappe, lambda: issue_summary({**period, "based_on": "Issue Type"}), repeat
			)
			ours_quarterly = measure(frappe, lambda: quarterly_analysis(dict(period)), repeat)
			theirs_analytics = measure(
				frappe,
				lambda: issue_analytics({**period, "based_on": "Issue Type", "range": "Quarterly"}),
				repeat,
			)
			rows += [
				(f"reports, {size:,} rows: Complaint Category Analysis (s)", ours_category),
				(f"reports, {size:,} rows: Issue Summary, based on Issue Type (s)", theirs_summary),
				(
					f"reports, {size:,} rows: ratio Issue Summary / ours",
					both(theirs_summary, ours_category),
				),
				(f"reports, {size:,} rows: Quarterly Complaint Analysis (s)", ours_quarterly),
				(f"reports, {size:,} rows: Issue Analytics, quarterly by Issue Type (s)", theirs_analytics),
				(
					f"reports, {size:,} rows: ratio Issue Analytics / ours",
					both(theirs_analytics, ours_quarterly),
				),
			]
	finally:
		cleanup(frappe)
	return rows


def main():
	args = parse_args(
		__doc__.splitlines()[0],
		sizes=(str, "100000", "comma-separated row counts"),
		reuse=(int, 0, "1: keep rows a broken earlier run left, and top them up"),
	)
	frappe = connect(args.site, args.bench)
	with dropping_queued_jobs(args.site):
		rows = run(frappe, [int(s) for s in args.sizes.split(",")], args.repeat, bool(args.reuse))
	report("reports", rows, {"sizes": args.sizes})
	frappe.destroy()


def both(theirs, ours):
	if "failed" in theirs or "failed" in ours:
		return {"note": "a report failed: see its row"}
	return ratio(theirs, ours, ">= 5")


if __name__ == "__main__":
	main()
