"""The demo: made, then removed with everything written about it, worker or not."""

from __future__ import annotations

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")


from kesu_app.compat import set_in_test  # noqa: E402


def test_removing_the_demo_leaves_no_assignments_comments_or_history(site, masters):
	from kesu_app.demo import make_demo, remove_demo

	before = set(frappe.get_all("Complaint", filters={"is_demo": 1}, pluck="name"))
	assert make_demo(count=12, seed=3) == 12
	names = list(set(frappe.get_all("Complaint", filters={"is_demo": 1}, pluck="name")) - before)
	traces = {
		"ToDo": ("reference_type", "reference_name"),
		"Comment": ("reference_doctype", "reference_name"),
		"Version": ("ref_doctype", "docname"),
	}
	made = {
		doctype: frappe.db.count(doctype, {kind: "Complaint", name: ("in", names)})
		for doctype, (kind, name) in traces.items()
	}
	assert made["ToDo"] and made["Comment"]  # the demo's cases were escalated and assigned
	# as on a bench command: Frappe queues the removal of traces for a worker (a test runs it inline)
	set_in_test(False)
	try:
		remove_demo()
	finally:
		set_in_test(True)
	assert not frappe.db.exists("Complaint", {"name": ("in", names)})
	for doctype, (kind, name) in traces.items():
		assert not frappe.db.count(doctype, {kind: "Complaint", name: ("in", names)}), doctype
