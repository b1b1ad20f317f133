"""Frappe glue for major complaints (kesu_app.rules.major): the flag on the complaint, and what
the special report reads from the complaint's history."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import cint, flt, fmt_money, format_datetime, get_datetime, now_datetime

from kesu_app.categories import category_facts
from kesu_app.rules.major import MajorRules, major_reasons, timeline
from kesu_app.rules.time_limits import STAGE_KEYS
from kesu_app.system import triggered_by
from kesu_app.time_limits import stage_label

REPORT = "Major Complaint Report"


def settings_rules() -> MajorRules:
	settings = frappe.get_cached_doc("Kesu Settings")
	return MajorRules(
		if_urgent=bool(cint(settings.major_if_urgent)),
		if_third_party=bool(cint(settings.major_if_third_party)),
		compensation_above=flt(settings.major_compensation_amount),
	)


def category_is_major(category: str | None) -> bool:
	"""Whether the category, or one it sits under, is marked major."""
	facts = category_facts(category)
	return bool(facts and facts["is_major"])


def compensation_total(complaint: str | None) -> float:
	"""Approved compensation on a complaint, in the company's currency."""
	if not complaint:
		return 0.0
	table = DocType("Compensation")
	total = (
		frappe.qb.from_(table)
		.select(Coalesce(Sum(table.base_amount), 0))
		.where(
			(table.complaint == complaint) & (table.docstatus == 1) & (table.approval_status == "Approved")
		)
	).run()
	return flt(total[0][0]) if total else 0.0


def reasons_of(doc, rules: MajorRules | None = None) -> list[str]:
	"""The rules the complaint meets, as translated sentences."""
	rules = rules or settings_rules()
	total = compensation_total(doc.name) if rules.compensation_above and not doc.is_new() else 0.0
	found = major_reasons(rules, doc.severity, category_is_major(doc.category), total, doc.is_third_party())
	return [
		_(text).format(*(fmt_money(arg, currency=company_currency(doc.company)) for arg in args))
		for text, args in found
	]


def company_currency(company: str | None) -> str | None:
	return frappe.get_cached_value("Company", company, "default_currency") if company else None


def mark_major(doc, reason: str, by: str | None):
	doc.is_major = 1
	doc.major_reason = reason
	doc.major_flagged_by = by
	doc.major_flagged_at = now_datetime()


def update_flag(doc) -> bool:
	"""Complaint.validate (and an approved compensation): a case that meets a rule becomes major,
	and stays so; whether it became major now."""
	if cint(doc.is_major):
		return False
	reasons = reasons_of(doc)
	if reasons:
		mark_major(doc, "; ".join(reasons), triggered_by())
	return bool(reasons)


def on_compensation_submit(compensation, method=None):
	"""An approved compensation may carry its complaint over the amount that makes it major. The
	approver may not be the one who may edit the case in its state, so the flag is written as
	the app's own fields, with a comment in the history."""
	if not compensation.complaint:
		return
	doc = frappe.get_doc("Complaint", compensation.complaint)
	if not update_flag(doc):
		return
	doc.db_set(
		{f: doc.get(f) for f in ("is_major", "major_reason", "major_flagged_by", "major_flagged_at")},
		update_modified=False,
	)
	doc.add_comment("Info", _("is now a major complaint: {0}").format(doc.major_reason))


def approved_report(complaint: str) -> str | None:
	return frappe.db.get_value(REPORT, {"complaint": complaint, "docstatus": 1}, "name")


def report_of(complaint: str, other_than: str | None = None) -> str | None:
	"""The complaint's special report, draft or approved (a cancelled one is no longer its report)."""
	filters = {"complaint": complaint, "docstatus": ("<", 2)}
	if other_than:
		filters["name"] = ("!=", other_than)
	return frappe.db.get_value(REPORT, filters, "name")


def history_events(doc) -> list:
	"""The complaint's history as the report's timeline (kesu_app.rules.major.timeline)."""
	escalations = [
		{
			"escalated_at": row.escalated_at,
			"from_tier": _(row.from_tier, context="Complaint"),
			"to_tier": _(row.to_tier, context="Complaint"),
			"reason": row.reason,
		}
		for row in doc.escalations
	]
	stages = [
		{
			"label": stage_label(stage),
			"due": format_datetime(doc.get(f"{stage}_due")) if doc.get(f"{stage}_due") else "",
			"met_at": doc.get(f"{stage}_met_at"),
			"breached_at": doc.get(f"{stage}_breached_at"),
		}
		for stage in STAGE_KEYS
		if doc.get(f"{stage}_due")
	]
	currency = company_currency(doc.company)
	compensations = [
		{
			"at": get_datetime(row.approved_at or row.creation),
			"type": _(row.compensation_type),
			"amount": fmt_money(row.base_amount, currency=currency),
			"status": _(row.approval_status),
		}
		for row in frappe.get_all(
			"Compensation",
			filters={"complaint": doc.name, "docstatus": ("<", 2)},
			fields=["approved_at", "creation", "compensation_type", "base_amount", "approval_status"],
			order_by="creation",
		)
	]
	follow_ups = [
		{
			"at": get_datetime(row.done_at or row.scheduled_date),
			"type": _(row.follow_up_type),
			"status": _(row.outcome or row.status),
			"rating": row.satisfaction_rating and f"{round(flt(row.satisfaction_rating) * 5)}/5",
		}
		for row in frappe.get_all(
			"Follow-up",
			filters={"complaint": doc.name, "status": ("!=", "Cancelled")},
			fields=[
				"done_at",
				"scheduled_date",
				"follow_up_type",
				"status",
				"outcome",
				"satisfaction_rating",
			],
			order_by="scheduled_date",
		)
	]
	return timeline(
		get_datetime(doc.received_at),
		_(doc.channel, context="Complaint") if doc.channel else "",
		escalations,
		stages,
		compensations,
		follow_ups,
		get_datetime(doc.closed_at) if doc.closed_at else None,
	)
