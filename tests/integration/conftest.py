"""The integration tier: runs inside a real Frappe v15 + ERPNext v15 site.

Point it at a site with two environment variables and run pytest with the bench's Python:

    KESU_SITE=kesu.test KESU_BENCH=~/frappe-bench ~/frappe-bench/env/bin/python -m pytest tests

Without them (or without Frappe importable) every test here is skipped, and the run says so.
Each test runs in a transaction that is rolled back afterwards; masters the tests share are
created once and committed, as Frappe's own test records are.
"""

from __future__ import annotations

import os

import pytest

from tests.jobs import drop_jobs_queued_since, queued_jobs

SITE = os.environ.get("KESU_SITE")
BENCH = os.path.expanduser(os.environ.get("KESU_BENCH", "~/frappe-bench"))


def _why_not() -> str | None:
	if not SITE:
		return "integration tier skipped: no site configured (set KESU_SITE, and KESU_BENCH if not ~/frappe-bench)"
	try:
		import frappe  # noqa: F401
	except ImportError:
		return "integration tier skipped: Frappe is not importable here: run pytest with the bench's env/bin/python"
	if not os.path.isdir(os.path.join(BENCH, "sites", SITE)):
		return f"integration tier skipped: no site {SITE} in {BENCH}/sites"
	return None


def pytest_collection_modifyitems(config, items):
	reason = _why_not()
	if not reason:
		return
	marker = pytest.mark.skip(reason=reason)
	for item in items:
		if "integration" in str(item.fspath):
			item.add_marker(marker)


@pytest.fixture(scope="session")
def site():
	import frappe

	sites_path = os.path.join(BENCH, "sites")
	os.chdir(sites_path)
	frappe.init(site=SITE, sites_path=sites_path)
	if not frappe.conf.get("allow_tests"):
		# as Frappe's own runner: tests write, commit and uninstall; never on a site in use
		pytest.exit(
			f"integration tier refused: site {SITE} does not allow tests"
			f" (bench --site {SITE} set-config allow_tests true on a test site)",
			returncode=1,
		)
	frappe.connect()
	from kesu_app.compat import set_in_test

	set_in_test(True)
	frappe.set_user("Administrator")
	started = frappe.utils.now_datetime()
	# a test site's bench usually runs no worker: what was queued for the site before (by the
	# desk, the demo, a run killed before its cleanup) never runs, and past Frappe 16's cap of
	# 550 queued jobs every request that queues one is refused
	stale = drop_jobs_queued_since({}, SITE)
	if stale:
		print(f"\nintegration tier: dropped {stale} background jobs queued for {SITE} that no worker ran")
	jobs_before = queued_jobs()
	yield frappe
	frappe.db.rollback()
	leave_nothing_behind(frappe, started, jobs_before)
	frappe.destroy()


def leave_nothing_behind(frappe, started, jobs_before: dict):
	"""What a run leaves outside its rolled-back transactions: the Error Logs written by requests
	and commands it made, global search entries queued for records that no longer exist, and the
	background jobs it queued for this site that no worker ran (a bench without workers would
	fill its queue run after run, until Frappe refuses to queue more)."""
	frappe.set_user("Administrator")
	drop_jobs_queued_since(jobs_before, SITE)
	frappe.db.delete("Error Log", {"creation": (">=", started)})
	frappe.db.commit()
	import json

	queued = frappe.cache.lrange("global_search_queue", 0, -1)
	by_doctype = {}
	for raw in queued:
		try:
			value = json.loads(raw)
		except ValueError:
			continue
		by_doctype.setdefault(value.get("doctype"), {}).setdefault(value.get("name"), []).append(raw)
	for doctype, entries in by_doctype.items():
		if not doctype or not frappe.db.table_exists(doctype):
			gone = set(entries)
		else:
			found = set(frappe.get_all(doctype, filters={"name": ("in", list(entries))}, pluck="name"))
			gone = set(entries) - found
		for name in gone:
			for raw in entries[name]:
				# Frappe's cache wraps no LREM; the key is made as its own list methods make it
				frappe.cache.execute_command("LREM", frappe.cache.make_key("global_search_queue"), 0, raw)


@pytest.fixture(scope="session")
def masters(site):
	from tests.integration.factories import shared_masters

	return shared_masters()


@pytest.fixture
def calendar(site):
	"""The clinic calendar of the tests: default hours, Monday 2026-04-06 a public holiday."""
	import frappe

	from tests.integration.factories import HOLIDAYS, make_holiday_list

	settings = frappe.get_single("Kesu Settings")
	settings.holiday_list = make_holiday_list(HOLIDAYS, ["2026-04-06"])
	settings.extra_working_days = []
	settings.save()
	return settings


@pytest.fixture(autouse=True)
def rollback(site):
	"""Every test leaves the site as it found it."""
	yield
	site.db.rollback()
	site.set_user("Administrator")
	site.local.lang = "en"
	clear_kesu_caches(site)


def clear_kesu_caches(frappe):
	# redis outlives a rolled-back transaction: drop what a test may have cached
	from kesu_app.categories import clear_category_facts
	from kesu_app.time_limits import clear_calendar_cache

	frappe.clear_document_cache("Kesu Settings", "Kesu Settings")
	clear_calendar_cache()
	clear_category_facts()
	# Frappe keeps the outgoing Email Account it found for the rest of a request; a test is one
	# and a test that played a web request leaves no request behind for the next
	for cached in ("outgoing_email_account", "incoming_email_account", "request", "login_manager"):
		if hasattr(frappe.local, cached):
			delattr(frappe.local, cached)
