"""Shared by the benchmarks: connecting to a site, timing, and printing a table."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from benchmarks.table import machine_line, render

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(description: str, **extra) -> argparse.Namespace:
	parser = argparse.ArgumentParser(description=description)
	parser.add_argument(
		"--site", default=os.environ.get("KESU_SITE"), required=not os.environ.get("KESU_SITE")
	)
	parser.add_argument("--bench", default=os.path.expanduser(os.environ.get("KESU_BENCH", "~/frappe-bench")))
	parser.add_argument("--repeat", type=int, default=5, help="repetitions of each measurement")
	for name, (kind, default, text) in extra.items():
		parser.add_argument(f"--{name}", type=kind, default=default, help=text)
	return parser.parse_args()


def connect(site: str, bench: str):
	import frappe

	sites = os.path.join(bench, "sites")
	os.chdir(sites)
	frappe.init(site=site, sites_path=sites)
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe


@contextmanager
def dropping_queued_jobs(site: str):
	"""The background jobs a benchmark queued and no worker ran are removed afterwards (a bench
	for benchmarks runs none): left behind, run after run, they fill Frappe 16's queue until it
	refuses new ones, and the next benchmark fails."""
	from tests.jobs import drop_jobs_queued_since, queued_jobs

	jobs = queued_jobs()
	try:
		yield
	finally:
		drop_jobs_queued_since(jobs, site)


def timed(fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None) -> dict:
	"""min / median / max wall seconds of ``fn`` over ``repeat`` runs (``before`` untimed),
	after one untimed warm-up run so caches are as a running site has them."""
	if before:
		before()
	fn()
	samples = []
	for _ in range(repeat):
		if before:
			before()
		start = time.perf_counter()
		fn()
		samples.append(time.perf_counter() - start)
	return {"min": min(samples), "median": statistics.median(samples), "max": max(samples), "runs": repeat}


def ratio(ours: dict, baseline: dict, target: str | None = None) -> dict:
	figures = {key: ours[key] / baseline[key] if baseline[key] else None for key in ("min", "median", "max")}
	return {**figures, "target": target} if target else figures


def new_request(frappe):
	"""Drop what a web request keeps in memory, as each request starts without it (``frappe.init``
	sets these afresh), so a timed call pays what a request pays: Redis reads, permissions."""
	local = frappe.local
	local.response = frappe._dict(docs=[])
	local.cache = {}
	local.message_log = []
	local.role_permissions = {}
	local.valid_columns = {}
	local.user_perms = None
	local.form_dict = frappe._dict()
	local.flags.commit = False


def end_request(frappe, method: str = "POST"):
	"""Commit or roll back as ``frappe.app.sync_database`` does at the end of a request."""
	if method != "GET" or frappe.local.flags.commit:
		frappe.db.commit()
	else:
		frappe.db.rollback()


def machine() -> dict:
	memory = None
	try:
		with open("/proc/meminfo") as f:
			memory = int(f.readline().split()[1]) * 1024
	except OSError:
		pass
	return {"cores": os.cpu_count(), "memory_bytes": memory}


def report(name: str, rows: list[tuple[str, object]], extra: dict) -> Path:
	"""Print a table and write the figures as JSON next to the benchmarks."""
	info = machine()
	print(f"\n{name}  ({machine_line(info)})\n{render(rows)}")
	RESULTS.mkdir(exist_ok=True)
	path = RESULTS / f"{name}.json"
	path.write_text(json.dumps({"machine": info, "rows": dict(rows), **extra}, indent=1, default=str))
	print(f"  written to {path}")
	return path
