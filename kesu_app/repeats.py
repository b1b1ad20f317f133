"""Repeat complaints, flagged when they are filed (the rules: kesu_app/rules/repeats.py).

One indexed query per rule that applies (sent as one statement), each asking for a handful of
rows: the customer (``customer``, else ``contact_phone_key`` / ``contact_email``), the
practitioner and the service Item, each with ``received_at`` in the rule's window. What was found is stored on the complaint
(``is_repeat``, ``repeat_rules``, ``repeat_of``, ``repeat_cases``), so the form, the list and
the reports read it without asking again.
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, now_datetime

from kesu_app.records import keep_server_fields
from kesu_app.rules.repeats import (
	CUSTOMER,
	PRACTITIONER,
	SERVICE,
	RepeatSettings,
	phone_key,
	raised_severity,
	repeat_rules,
	window_start,
)

SETTINGS = "Kesu Settings"
# Kesu Settings field -> (RepeatSettings attribute, default when never stored)
SETTINGS_FIELDS = {
	"detect_repeat_complaints": ("enabled", 1),
	"repeat_customer_days": ("customer_days", 90),
	"repeat_practitioner_days": ("practitioner_days", 90),
	"repeat_practitioner_count": ("practitioner_count", 3),
	"repeat_item_days": ("item_days", 90),
	"repeat_item_count": ("item_count", 3),
	"repeat_raises_severity": ("raise_severity", 0),
}
# what only this module writes on a complaint
REPEAT_FIELDS = ("is_repeat", "repeat_rules", "repeat_of", "repeat_cases", "severity_raised_by_repeat")
# a change to any of these asks the rules again while the case is open
INPUTS = ("customer", "contact_phone", "contact_email", "practitioner", "item", "received_at")


def repeat_settings() -> RepeatSettings:
	settings = frappe.get_cached_doc(SETTINGS)
	values = {}
	for field, (attribute, default) in SETTINGS_FIELDS.items():
		value = settings.get(field)
		values[attribute] = default if value is None else cint(value)
	values["enabled"] = bool(values["enabled"])
	values["raise_severity"] = bool(values["raise_severity"])
	return RepeatSettings(**values)


def apply_repeat_rules(doc):
	"""Complaint.validate: flag a repeat (and raise its severity, if the settings say so)."""
	keep_server_fields(doc, (*REPEAT_FIELDS, "contact_phone_key", "anonymised", "anonymised_at"))
	doc.contact_phone_key = phone_key(doc.contact_phone)
	if doc.get("anonymised"):
		return
	if not doc.is_new() and not any(doc.has_value_changed(field) for field in INPUTS):
		return
	settings = repeat_settings()
	found = earlier_cases(doc, settings) if settings.enabled else {}
	rules = repeat_rules({rule: len(cases) for rule, cases in found.items()}, settings)
	doc.is_repeat = 1 if rules else 0
	doc.repeat_rules = ", ".join(rules) or None
	doc.repeat_of = found[CUSTOMER][0]["name"] if CUSTOMER in rules else None
	doc.repeat_cases = json.dumps({rule: found[rule] for rule in rules}, default=str) if rules else None
	raised = raised_severity(doc.severity, rules, settings) if doc.is_new() else None
	if raised:
		doc.severity = raised
		doc.severity_raised_by_repeat = 1


# each rule's condition; fixed SQL with parameters (the query builder took as long to write the
# statement as the database to answer it, on every intake)
CONDITIONS = {
	"customer": "customer = %(customer)s",
	"phone": "contact_phone_key = %(phone_key)s",
	"email": "contact_email = %(email)s",
	"phone_or_email": "(contact_phone_key = %(phone_key)s or contact_email = %(email)s)",
	"practitioner": "practitioner = %(practitioner)s",
	"item": "item = %(item)s",
}


def earlier_cases(doc, settings: RepeatSettings) -> dict[str, list[dict]]:
	"""The earlier complaints each rule finds in its window, newest first (a few at most): one
	round trip to the database, a UNION ALL of one indexed query per rule that applies."""
	received_at = get_datetime(doc.received_at or now_datetime())
	params = {
		"customer": doc.customer,
		"phone_key": phone_key(doc.contact_phone),
		"email": (doc.contact_email or "").strip(),
		"practitioner": doc.practitioner,
		"item": doc.item,
		"received_at": received_at,
		"name": doc.get("name") or "",  # set before validate on insert too
	}
	rules = {
		CUSTOMER: customer_condition(params),
		PRACTITIONER: "practitioner" if doc.practitioner else None,
		SERVICE: "item" if doc.item else None,
	}
	parts = []
	for i, (rule, condition) in enumerate((r, c) for r, c in rules.items() if c):
		params[f"rule_{i}"] = rule
		params[f"start_{i}"] = window_start(received_at, settings.days(rule))
		parts.append(
			f"""(select %(rule_{i})s as `rule`, name, received_at from `tabComplaint`
			where {CONDITIONS[condition]} and received_at >= %(start_{i})s
			and received_at <= %(received_at)s and name != %(name)s
			order by received_at desc limit {int(settings.to_fetch(rule))})"""
		)
	if not parts:
		return {}
	found = {rule: [] for rule, condition in rules.items() if condition}
	for row in frappe.db.sql(" union all ".join(parts), params, as_dict=True):
		found[row.pop("rule")].append(row)
	return found


def customer_condition(params: dict) -> str | None:
	"""The same Customer; without one, the same phone or email."""
	if params["customer"]:
		return "customer"
	if params["phone_key"] and params["email"]:
		return "phone_or_email"
	return "phone" if params["phone_key"] else ("email" if params["email"] else None)


@frappe.whitelist()
def earlier_complaints(complaint: str) -> list[dict]:
	"""The form's Repeat Complaint section: each rule the complaint met, with its earlier cases."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("read")
	return repeat_summary(doc)


def repeat_summary(doc) -> list[dict]:
	"""Each rule the complaint met, in the reader's language, with its earlier cases (only those the
	reader may read)."""
	if not doc.get("is_repeat") or not doc.get("repeat_cases"):
		return []
	labels = {
		CUSTOMER: _("Same customer"),
		PRACTITIONER: _("Same practitioner"),
		SERVICE: _("Same service"),
	}
	cases = json.loads(doc.repeat_cases)
	names = {case["name"] for rule_cases in cases.values() for case in rule_cases}
	readable = set(frappe.get_list("Complaint", filters={"name": ("in", list(names))}, pluck="name"))
	return [
		{
			"rule": rule,
			"label": labels.get(rule, rule),
			"count": len(rule_cases),
			"cases": [case for case in rule_cases if case["name"] in readable],
		}
		for rule, rule_cases in cases.items()
	]
