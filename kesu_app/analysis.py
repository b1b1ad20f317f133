"""Figures for management, aggregated in the database (GROUP BY), never row by row in Python.

The quarterly summary email uses these; the quarterly report is to be built on them too.
"""

from __future__ import annotations

from datetime import date, datetime

import frappe
from frappe.utils import cint

from kesu_app.rules.time_limits import SEVERITIES, STAGE_KEYS

TOP = 5


def quarter_figures(start: date, end: date, company: str | None = None, filters: dict | None = None) -> dict:
	"""Counts, compliance, cost, satisfaction and hotspots of complaints in [start, end).

	The quarterly summary mail and the Quarterly Complaint Analysis report both use this, so
	management reads the same figures in both. ``filters`` (company, branch, channel,
	severity) narrow it, and the user's permissions apply as in every report.
	"""
	from frappe.desk.reportview import get_match_cond

	filters = dict(filters or {})
	if company:
		filters["company"] = company
	params = {
		"start": datetime.combine(start, datetime.min.time()),
		"end": datetime.combine(end, datetime.min.time()),
	}
	scope = ["1=1"]
	for field in FILTER_FIELDS:
		if filters.get(field):
			scope.append(f"c.`{field}` = %({field})s")
			params[field] = filters[field]
	scope_sql = " and ".join(scope) + get_match_cond("Complaint").replace("`tabComplaint`", "c")
	received = "c.received_at >= %(start)s and c.received_at < %(end)s"
	totals = frappe.db.sql(
		f"""select
			sum({received}) as new,
			sum(c.closed_at >= %(start)s and c.closed_at < %(end)s) as closed,
			sum(c.received_at < %(end)s and (c.closed_at is null or c.closed_at >= %(end)s)) as open_at_end,
			sum({received} and c.substantiated = 'Substantiated') as substantiated,
			{", ".join(f"sum({received} and c.severity = '{severity}') as severity_{severity.lower()}" for severity in SEVERITIES)},
			{", ".join(f"sum({received} and c.{stage}_due is not null) as {stage}_due" for stage in STAGE_KEYS)},
			{", ".join(f"sum({received} and c.{stage}_met_at <= c.{stage}_due) as {stage}_on_time" for stage in STAGE_KEYS)}
		from `tabComplaint` c where {scope_sql}""",
		params,
		as_dict=True,
	)[0]
	figures = {key: int(value or 0) for key, value in totals.items()}
	figures["compliance"] = {
		stage: (figures[f"{stage}_on_time"] / figures[f"{stage}_due"]) if figures[f"{stage}_due"] else None
		for stage in STAGE_KEYS
	}
	cost = frappe.db.sql(
		f"""select sum(cp.base_amount), count(*) from `tabCompensation` cp
		join `tabComplaint` c on c.name = cp.complaint
		where cp.docstatus = 1 and cp.approved_at >= %(start)s and cp.approved_at < %(end)s and {scope_sql}""",
		params,
	)[0]
	figures["compensation_cost"], figures["compensations"] = float(cost[0] or 0), int(cost[1] or 0)
	rating = frappe.db.sql(
		f"""select avg(f.satisfaction_rating), count(*) from `tabFollow-up` f
		join `tabComplaint` c on c.name = f.complaint
		where f.satisfaction_rating > 0 and f.done_at >= %(start)s and f.done_at < %(end)s and {scope_sql}""",
		params,
	)[0]
	figures["satisfaction"] = float(rating[0]) * 5 if rating[0] is not None else None
	figures["satisfaction_answers"] = int(rating[1] or 0)
	figures["by_category"] = frappe.db.sql(
		f"""select c.category as label, count(*) as count from `tabComplaint` c
		where {received} and {scope_sql} group by c.category order by count desc""",
		params,
		as_dict=True,
	)
	figures["by_severity"] = [
		frappe._dict(label=severity, count=figures[f"severity_{severity.lower()}"]) for severity in SEVERITIES
	]
	figures["repeat_customers"] = frappe.db.sql(
		f"""select c.customer_name as label, count(*) as count from `tabComplaint` c
		where {received} and {scope_sql} group by c.customer_name having count(*) > 1
		order by count desc limit {TOP}""",
		params,
		as_dict=True,
	)
	return figures


# --- reports -----------------------------------------------------------------------------
# Reports aggregate in SQL and apply the user's permissions (User Permissions on Company or
# Branch, and any permission query) through Frappe's own match conditions for Complaint.

FILTER_FIELDS = ("company", "branch", "channel", "severity")


def complaint_conditions(filters: dict) -> tuple[str, dict]:
	"""WHERE clause (alias ``c`` for Complaint) and its parameters, for the report filters."""
	from frappe.desk.reportview import get_match_cond
	from frappe.utils import add_days, getdate

	params = {
		"from_date": getdate(filters.get("from_date")),
		"to_date": add_days(getdate(filters.get("to_date")), 1),
	}
	clauses = ["c.received_at >= %(from_date)s", "c.received_at < %(to_date)s"]
	for field in FILTER_FIELDS:
		if filters.get(field):
			clauses.append(f"c.`{field}` = %({field})s")
			params[field] = filters[field]
	if filters.get("category"):
		# a group category includes everything below it
		clauses.append(
			"c.category in (select d.name from `tabComplaint Category` d, `tabComplaint Category` g"
			" where g.name = %(category)s and d.lft >= g.lft and d.rgt <= g.rgt)"
		)
		params["category"] = filters["category"]
	match = get_match_cond("Complaint").replace("`tabComplaint`", "c")
	return " and ".join(clauses) + match, params


def stage_compliance_columns() -> str:
	parts = []
	for stage in STAGE_KEYS:
		parts.append(f"sum(c.{stage}_due is not null) as {stage}_due")
		parts.append(
			f"sum(c.{stage}_met_at is not null and c.{stage}_met_at <= c.{stage}_due) as {stage}_on_time"
		)
	return ", ".join(parts)


def category_group_expression(level: int | None) -> tuple[str, dict]:
	"""SQL naming each complaint's category at ``level`` of the tree (1: just below the root),
	so the figures roll up to that level; deeper categories count for their ancestor there.
	The mapping is read from the (small) category tree; the complaints stay in the database."""
	if not level:
		return "ifnull(c.category, '')", {}
	nodes = frappe.get_all("Complaint Category", fields=["name", "lft", "rgt"], order_by="lft")
	depth_of = {}
	for node in nodes:
		depth_of[node.name] = sum(1 for other in nodes if other.lft < node.lft and other.rgt > node.rgt)
	mapping = {}
	for node in nodes:
		ancestors = [
			a for a in nodes if a.lft <= node.lft and a.rgt >= node.rgt and depth_of[a.name] == level
		]
		mapping[node.name] = ancestors[0].name if ancestors else node.name
	params = {}
	cases = []
	for i, (name, group) in enumerate(mapping.items()):
		params[f"cat_{i}"], params[f"grp_{i}"] = name, group
		cases.append(f"when %(cat_{i})s then %(grp_{i})s")
	if not cases:
		return "ifnull(c.category, '')", {}
	return f"(case c.category {' '.join(cases)} else ifnull(c.category, '') end)", params


def category_figures(filters: dict) -> list[dict]:
	"""One row per category: counts, substantiation, time to resolve, compliance per stage,
	reopen rate, repeat complainants, compensation cost and mean satisfaction."""
	where, params = complaint_conditions(filters)
	group, group_params = category_group_expression(cint(filters.get("category_level")))
	params.update(group_params)
	rows = frappe.db.sql(
		f"""select {group} as category, count(*) as complaints,
			sum(c.substantiated = 'Substantiated') as substantiated,
			avg(if(c.resolution_met_at is null, null, c.resolution_working_hours)) as mean_hours,
			sum(c.reopen_count > 0) as reopened,
			{stage_compliance_columns()}
		from `tabComplaint` c where {where}
		group by 1 order by complaints desc""",
		params,
		as_dict=True,
	)
	medians = dict(
		frappe.db.sql(
			f"""select distinct {group},
				median(c.resolution_working_hours) over (partition by {group})
			from `tabComplaint` c where {where} and c.resolution_met_at is not null""",
			params,
		)
	)
	repeat = dict(
		frappe.db.sql(
			f"""select category, count(*) from (
				select {group} as category, c.customer_name
				from `tabComplaint` c where {where}
				group by 1, c.customer_name having count(*) > 1) repeated
			group by category""",
			params,
		)
	)
	cost = dict(
		frappe.db.sql(
			f"""select {group}, sum(cp.base_amount)
			from `tabCompensation` cp join `tabComplaint` c on c.name = cp.complaint
			where cp.docstatus = 1 and {where} group by 1""",
			params,
		)
	)
	satisfaction = dict(
		frappe.db.sql(
			f"""select {group}, avg(f.satisfaction_rating) * 5
			from `tabFollow-up` f join `tabComplaint` c on c.name = f.complaint
			where f.satisfaction_rating > 0 and {where} group by 1""",
			params,
		)
	)
	total = sum(row.complaints for row in rows) or 1
	for row in rows:
		row.share = 100.0 * row.complaints / total
		row.substantiated_share = 100.0 * (row.substantiated or 0) / row.complaints
		row.median_hours = medians.get(row.category)
		row.reopen_rate = 100.0 * (row.reopened or 0) / row.complaints
		row.repeat_complainants = repeat.get(row.category, 0)
		row.compensation_cost = float(cost.get(row.category) or 0)
		row.satisfaction = satisfaction.get(row.category)
		for stage in STAGE_KEYS:
			due = row.get(f"{stage}_due") or 0
			row[f"{stage}_compliance"] = 100.0 * (row.get(f"{stage}_on_time") or 0) / due if due else None
	return rows
