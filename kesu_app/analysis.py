"""Figures for management, aggregated in the database (GROUP BY), never row by row in Python.

The quarterly summary email uses these; the quarterly report is to be built on them too.
"""

from __future__ import annotations

from datetime import date, datetime

import frappe
from frappe.query_builder import Case, DocType
from frappe.query_builder.functions import Avg, Count, Sum

from kesu_app.rules.time_limits import STAGE_KEYS

TOP = 5


def quarter_figures(start: date, end: date, company: str | None = None) -> dict:
	"""Counts, compliance and hotspots of the complaints received in [start, end)."""
	complaint = DocType("Complaint")
	start_at, end_at = (
		datetime.combine(start, datetime.min.time()),
		datetime.combine(end, datetime.min.time()),
	)

	def scoped(query):
		return query.where(complaint.company == company) if company else query

	received = (complaint.received_at >= start_at) & (complaint.received_at < end_at)
	totals = (
		scoped(frappe.qb.from_(complaint))
		.select(
			Sum(Case().when(received, 1).else_(0)).as_("new"),
			Sum(
				Case().when((complaint.closed_at >= start_at) & (complaint.closed_at < end_at), 1).else_(0)
			).as_("closed"),
			Sum(
				Case()
				.when(
					(complaint.received_at < end_at)
					& (complaint.closed_at.isnull() | (complaint.closed_at >= end_at)),
					1,
				)
				.else_(0)
			).as_("open_at_end"),
			Sum(Case().when(received & (complaint.substantiated == "Substantiated"), 1).else_(0)).as_(
				"substantiated"
			),
			*[
				Sum(Case().when(received & complaint[f"{stage}_due"].isnotnull(), 1).else_(0)).as_(
					f"{stage}_due"
				)
				for stage in STAGE_KEYS
			],
			*[
				Sum(
					Case()
					.when(
						received
						& complaint[f"{stage}_met_at"].isnotnull()
						& (complaint[f"{stage}_met_at"] <= complaint[f"{stage}_due"]),
						1,
					)
					.else_(0)
				).as_(f"{stage}_on_time")
				for stage in STAGE_KEYS
			],
		)
		.run(as_dict=True)[0]
	)
	figures = {key: int(value or 0) for key, value in totals.items()}
	figures["compliance"] = {
		stage: (figures[f"{stage}_on_time"] / figures[f"{stage}_due"]) if figures[f"{stage}_due"] else None
		for stage in STAGE_KEYS
	}
	figures["compensation_cost"], figures["compensations"] = _compensation_cost(start_at, end_at, company)
	figures["satisfaction"], figures["satisfaction_answers"] = _satisfaction(start_at, end_at, company)
	figures["by_category"] = _grouped(complaint, complaint.category, received, scoped)
	figures["by_severity"] = _grouped(complaint, complaint.severity, received, scoped)
	figures["repeat_customers"] = (
		scoped(frappe.qb.from_(complaint))
		.select(complaint.customer_name.as_("label"), Count("*").as_("count"))
		.where(received)
		.groupby(complaint.customer_name)
		.having(Count("*") > 1)
		.orderby(Count("*"), order=frappe.qb.desc)
		.limit(TOP)
		.run(as_dict=True)
	)
	return figures


def _compensation_cost(start_at, end_at, company) -> tuple[float, int]:
	"""Compensation approved in the period, in company currency, cancelled ones left out."""
	compensation = DocType("Compensation")
	query = (
		frappe.qb.from_(compensation)
		.select(Sum(compensation.base_amount), Count("*"))
		.where(
			(compensation.docstatus == 1)
			& (compensation.approved_at >= start_at)
			& (compensation.approved_at < end_at)
		)
	)
	if company:
		query = query.where(compensation.company == company)
	total, count = query.run()[0]
	return float(total or 0), int(count or 0)


def _satisfaction(start_at, end_at, company) -> tuple[float | None, int]:
	"""Mean rating (1-5 stars) of the follow-ups done in the period that carry one."""
	follow_up, complaint = DocType("Follow-up"), DocType("Complaint")
	query = (
		frappe.qb.from_(follow_up)
		.join(complaint)
		.on(complaint.name == follow_up.complaint)
		.select(Avg(follow_up.satisfaction_rating), Count("*"))
		.where(
			(follow_up.satisfaction_rating > 0)
			& (follow_up.done_at >= start_at)
			& (follow_up.done_at < end_at)
		)
	)
	if company:
		query = query.where(complaint.company == company)
	mean, count = query.run()[0]
	return (float(mean) * 5 if mean is not None else None), int(count or 0)


def _grouped(complaint, field, condition, scoped) -> list[dict]:
	return (
		scoped(frappe.qb.from_(complaint))
		.select(field.as_("label"), Count("*").as_("count"))
		.where(condition)
		.groupby(field)
		.orderby(Count("*"), order=frappe.qb.desc)
		.run(as_dict=True)
	)
