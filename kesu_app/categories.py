"""What intake needs of the category tree (default severity, handling department, major or not),
kept in the cache as one small map until a category changes: every complaint asks, the tree
changes seldom."""

from __future__ import annotations

import frappe

CACHE_KEY = "kesu_app:category_facts"


def category_facts(category: str | None) -> dict | None:
	"""default_severity, handling_department and is_major (marked so, or under one marked so)."""
	if not category:
		return None
	return frappe.cache.get_value(CACHE_KEY, generator=_build).get(category)


def _build() -> dict:
	rows = frappe.get_all(
		"Complaint Category",
		fields=["name", "default_severity", "handling_department", "is_major", "lft", "rgt"],
		order_by="lft",
	)
	majors = [(row.lft, row.rgt) for row in rows if row.is_major]
	return {
		row.name: {
			"default_severity": row.default_severity,
			"handling_department": row.handling_department,
			"is_major": any(lft <= row.lft and rgt >= row.rgt for lft, rgt in majors),
		}
		for row in rows
	}


def clear_category_facts(doc=None, method=None):
	frappe.cache.delete_value(CACHE_KEY)
