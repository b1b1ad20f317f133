"""Figures for management, aggregated in the database (GROUP BY), never row by row in Python.

The quarterly summary email uses these; the quarterly report is to be built on them too.
"""

from __future__ import annotations

from datetime import date, datetime

import frappe
from frappe import _
from frappe.utils import cint

from kesu_app.rules.quarters import quarter_bounds, quarter_of
from kesu_app.rules.stats import median_of_histogram, percent
from kesu_app.rules.time_limits import SEVERITIES, STAGE_KEYS

TOP = 5


def quarter_figures(
	start: date, end: date, company: str | None = None, filters: dict | None = None, user: str | None = None
) -> dict:
	"""Counts, compliance, cost, satisfaction and hotspots of the quarter [start, end).

	The quarterly summary mail and the Quarterly Complaint Analysis report read the same
	figures (this is ``quarterly_figures`` for one quarter), plus the repeat complainants.
	"""
	year, quarter = quarter_of(start)
	if quarter_bounds(year, quarter) != (start, end):
		raise ValueError(f"{start} to {end} is not a calendar quarter")
	filters = dict(filters or {}, **({"company": company} if company else {}))
	figures = quarterly_figures([(year, quarter)], filters, user=user)[(year, quarter)]
	scope_sql, params = _scope(filters, user)
	params.update(start=_at(start), end=_at(end))
	figures["repeat_customers"] = frappe.db.sql(
		f"""select c.customer_name as label, count(*) as count from `tabComplaint` c
		where c.received_at >= %(start)s and c.received_at < %(end)s and {scope_sql}
		group by c.customer_name having count(*) > 1 order by count desc limit {TOP}""",
		params,
		as_dict=True,
	)
	return figures


def quarterly_figures(
	quarters: list[tuple[int, int]], filters: dict | None = None, user: str | None = None
) -> dict:
	"""Figures of every quarter from the first to the last asked for, each metric one GROUP BY
	over the whole range (a handful of queries however many quarters), keyed by (year, q).

	``filters`` (company, branch, channel, severity) narrow it, and the permissions of ``user``
	(default: the session's) apply as in every report.
	"""
	span = _quarters_from_to(min(quarters), max(quarters))
	scope_sql, params = _scope(filters or {}, user)
	start, end = quarter_bounds(*span[0])[0], quarter_bounds(*span[-1])[1]
	params.update(start=_at(start), end=_at(end))
	in_range = "c.received_at >= %(start)s and c.received_at < %(end)s"
	# one pass over the range, by quarter and category: the quarter's figures are its categories'
	# summed (a second pass for the categories cost as much again)
	received = frappe.db.sql(
		f"""select {_quarter_of("c.received_at")} as q, c.category as label, count(*) as new,
			sum(c.substantiated = 'Substantiated') as substantiated, sum(c.is_repeat) as repeats,
			sum(c.channel = 'Third Party') as third_party, sum(c.is_major) as major,
			{", ".join(f"sum(c.severity = '{severity}') as severity_{severity.lower()}" for severity in SEVERITIES)},
			{", ".join(f"sum(c.{stage}_due is not null) as {stage}_due" for stage in STAGE_KEYS)},
			{", ".join(f"sum(c.{stage}_met_at <= c.{stage}_due) as {stage}_on_time" for stage in STAGE_KEYS)}
		from `tabComplaint` c where {in_range} and {scope_sql} group by q, c.category""",
		params,
		as_dict=True,
	)
	closed = dict(
		frappe.db.sql(
			f"""select {_quarter_of("c.closed_at")} as q, count(*) from `tabComplaint` c
			where c.closed_at >= %(start)s and c.closed_at < %(end)s and {scope_sql} group by q""",
			params,
		)
	)
	# open at a quarter's end = received before it ended - closed before it ended
	before = frappe.db.sql(
		f"""select count(*), sum(c.closed_at < %(start)s) from `tabComplaint` c
		where c.received_at < %(start)s and {scope_sql}""",
		params,
	)[0]
	cost = {
		row[0]: row[1:]
		for row in frappe.db.sql(
			f"""select {_quarter_of("cp.approved_at")} as q, sum(cp.base_amount), count(*)
			from `tabCompensation` cp join `tabComplaint` c on c.name = cp.complaint
			where cp.docstatus = 1 and cp.approved_at >= %(start)s and cp.approved_at < %(end)s and {scope_sql}
			group by q""",
			params,
		)
	}
	rating = {
		row[0]: row[1:]
		for row in frappe.db.sql(
			f"""select {_quarter_of("f.done_at")} as q, avg(f.satisfaction_rating), count(*)
			from `tabFollow-up` f join `tabComplaint` c on c.name = f.complaint
			where f.satisfaction_rating > 0 and f.done_at >= %(start)s and f.done_at < %(end)s and {scope_sql}
			group by q""",
			params,
		)
	}
	# the quarter's major complaints, each with its special report and whether it is approved
	majors = frappe.db.sql(
		f"""select {_quarter_of("c.received_at")} as q, c.name, c.subject, c.status, c.major_reason,
			r.name as report, r.docstatus as report_status
		from `tabComplaint` c
		left join `tabMajor Complaint Report` r on r.complaint = c.name and r.docstatus < 2
		where c.is_major = 1 and {in_range} and {scope_sql} order by c.received_at""",
		params,
		as_dict=True,
	)
	by_quarter, counted = {}, _counted()
	for row in received:
		quarter = by_quarter.setdefault(row.q, {})
		for name in counted:
			quarter[name] = quarter.get(name, 0) + int(row.get(name) or 0)
	categories = sorted(
		(frappe._dict(q=row.q, label=row.label, count=int(row.new)) for row in received),
		key=lambda category: (category.q, -category.count),
	)
	open_count = int(before[0] or 0) - int(before[1] or 0)
	figures = {}
	for year, quarter in span:
		key = year * 10 + quarter
		row = by_quarter.get(key, {})
		counts = {name: int(row.get(name) or 0) for name in _counted()}
		counts["closed"] = int(closed.get(key) or 0)
		open_count += counts["new"] - counts["closed"]
		counts["open_at_end"] = open_count
		counts["compliance"] = {
			stage: counts[f"{stage}_on_time"] / counts[f"{stage}_due"] if counts[f"{stage}_due"] else None
			for stage in STAGE_KEYS
		}
		spent, compensations = cost.get(key, (0, 0))
		counts["compensation_cost"], counts["compensations"] = float(spent or 0), int(compensations or 0)
		mean, answers = rating.get(key, (None, 0))
		counts["satisfaction"] = float(mean) * 5 if mean is not None else None
		counts["satisfaction_answers"] = int(answers or 0)
		counts["by_category"] = [c for c in categories if c.q == key]
		counts["major_complaints"] = [m for m in majors if m.q == key]
		counts["by_severity"] = [
			frappe._dict(label=severity, count=counts[f"severity_{severity.lower()}"])
			for severity in SEVERITIES
		]
		figures[(year, quarter)] = counts
	return figures


def _counted() -> list[str]:
	return [
		"new",
		"substantiated",
		"third_party",
		"major",
		"repeats",
		*(f"severity_{severity.lower()}" for severity in SEVERITIES),
		*(f"{stage}_due" for stage in STAGE_KEYS),
		*(f"{stage}_on_time" for stage in STAGE_KEYS),
	]


def _quarter_of(column: str) -> str:
	return f"(year({column}) * 10 + quarter({column}))"


def _quarters_from_to(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
	span, (year, quarter) = [], first
	while (year, quarter) <= last:
		span.append((year, quarter))
		year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
	return span


def _at(day: date) -> datetime:
	return datetime.combine(day, datetime.min.time())


def _scope(filters: dict, user: str | None = None) -> tuple[str, dict]:
	params = {}
	return scoped_where([], params, filters, FILTER_FIELDS, user=user), params


def match_conditions(doctype: str, user: str | None = None) -> str:
	"""Frappe's match conditions of ``user`` (default: the session's) on ``doctype``, as SQL
	(`tabDoctype`.field ...) ready for a query with %-parameters; empty when none apply."""
	from frappe.model.db_query import DatabaseQuery

	condition = DatabaseQuery(doctype, user=user).build_match_conditions()
	return f"({condition})".replace("%", "%%") if condition else ""


def permitted_to(query, doctype: str, user: str | None = None):
	"""``query`` (of the query builder, on ``doctype``'s table) limited to what ``user`` (default:
	the session's) may read, as get_list would limit it."""
	from pypika.terms import LiteralValue

	condition = match_conditions(doctype, user)
	return query.where(LiteralValue(condition)) if condition else query


def scoped_where(
	clauses: list[str],
	params: dict,
	filters: dict,
	fields,
	doctype: str = "Complaint",
	alias: str = "c",
	user: str | None = None,
	permitted: str | None = None,
) -> str:
	"""A report's WHERE: its own clauses, an equality for each filter field given (added to
	``params``), and the permissions of ``user`` (default: the session's) on ``doctype``
	(Frappe's match conditions) under the table alias the report's SQL uses; or, when the caller
	gives it, ``permitted``, a scope of its own."""
	clauses = list(clauses)
	for field in fields:
		if filters.get(field):
			clauses.append(f"{alias}.`{field}` = %({field})s")
			params[field] = filters[field]
	if permitted is None:
		permitted = match_conditions(doctype, user).replace(f"`tab{doctype}`", alias)
	return " and ".join((clauses or ["1=1"]) + ([permitted] if permitted else []))


# --- reports -----------------------------------------------------------------------------
# Reports aggregate in SQL and apply the user's permissions (User Permissions on Company or
# Branch, and any permission query) through Frappe's own match conditions for Complaint.

FILTER_FIELDS = ("company", "branch", "channel", "severity", "third_party_body")


def require_period(filters: dict):
	if not filters.get("from_date") or not filters.get("to_date"):
		frappe.throw(_("Choose the period: From Date and To Date."))


def complaint_conditions(filters: dict, permitted: str | None = None) -> tuple[str, dict]:
	"""WHERE clause (alias ``c`` for Complaint) and its parameters, for the report filters; the
	session user's permissions on Complaint apply unless ``permitted`` says otherwise."""
	from frappe.utils import add_days, getdate

	params = {
		"from_date": getdate(filters.get("from_date")),
		"to_date": add_days(getdate(filters.get("to_date")), 1),
	}
	clauses = ["c.received_at >= %(from_date)s", "c.received_at < %(to_date)s"]
	if filters.get("category"):
		# a group category includes everything below it
		clauses.append(
			"c.category in (select d.name from `tabComplaint Category` d, `tabComplaint Category` g"
			" where g.name = %(category)s and d.lft >= g.lft and d.rgt <= g.rgt)"
		)
		params["category"] = filters["category"]
	return scoped_where(clauses, params, filters, FILTER_FIELDS, permitted=permitted), params


def stage_compliance_columns() -> str:
	# count() skips NULLs and a comparison with NULL is NULL, which sum() skips: the plain forms
	# cost the database a third less than spelling the NULL checks out (on_time is NULL, not 0,
	# when no stage was met)
	return ", ".join(
		f"count(c.{stage}_due) as {stage}_due, sum(c.{stage}_met_at <= c.{stage}_due) as {stage}_on_time"
		for stage in STAGE_KEYS
	)


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


def _repeat_complainants(key: str, where: str, params: dict) -> dict:
	"""Customers with more than one complaint, per ``key`` (the category, or its CRC32).

	Grouping by category and customer name makes one temporary row per pair, as wide as both
	names in utf8mb4, so on a big table MariaDB spilled it to disk and it took most of the
	report's time. Integer keys keep it in memory: the name's CRC32 with that of the reversed
	name (two different linear checks, so two names meet by chance about once in 2^64)."""
	return dict(
		frappe.db.sql(
			f"""select k, count(*) from (
				select {key} as k from `tabComplaint` c where {where}
				group by 1, crc32(c.customer_name), crc32(reverse(c.customer_name))
				having count(*) > 1 order by null) repeated
			group by k""",
			params,
		)
	)


def _medians(key: str, where: str, params: dict) -> dict:
	"""Median working hours to resolve per ``key``, from a histogram the database builds (to a
	tenth of an hour, six minutes), so no row leaves the database."""
	histogram = frappe.db.sql(
		f"""select {key} as k, round(c.resolution_working_hours, 1) as h, count(*) as n
		from `tabComplaint` c where {where} and c.resolution_met_at is not null
		group by 1, 2 order by null""",
		params,
	)
	buckets: dict = {}
	for k, hours, count in histogram:
		buckets.setdefault(k, []).append((float(hours), int(count)))
	return {k: median_of_histogram(sorted(rows)) for k, rows in buckets.items()}


def category_figures(filters: dict) -> list[dict]:
	"""One row per category (or, based on root cause, per root cause: the row's key stays
	``category``): counts, substantiation, time to resolve, compliance per stage,
	reopen rate, repeat complainants, compensation cost and mean satisfaction."""
	where, params = complaint_conditions(filters)
	if filters.get("based_on") == "Root Cause":
		group, group_params = "ifnull(c.root_cause, '')", {}
	else:
		group, group_params = category_group_expression(cint(filters.get("category_level")))
	params.update(group_params)
	rows = frappe.db.sql(
		f"""select {group} as category, crc32({group}) as category_key, count(*) as complaints,
			sum(c.substantiated = 'Substantiated') as substantiated,
			avg(if(c.resolution_met_at is null, null, c.resolution_working_hours)) as mean_hours,
			sum(c.reopen_count > 0) as reopened,
			sum(c.is_repeat) as repeat_complaints,
			{stage_compliance_columns()}
		from `tabComplaint` c where {where}
		group by 1 order by complaints desc""",
		params,
		as_dict=True,
	)
	# grouping on the category's CRC32 keeps MariaDB's temporary tables narrow; it is used
	# when no two categories shown share one, else the category name is
	unique = len({row.category_key for row in rows}) == len(rows)
	key, key_of = (f"crc32({group})", "category_key") if unique else (group, "category")
	medians = _medians(key, where, params)
	repeat = _repeat_complainants(key, where, params)
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
		row.share = percent(row.complaints, total)
		row.substantiated_share = percent(row.substantiated or 0, row.complaints)
		row.median_hours = medians.get(row[key_of])
		row.reopen_rate = percent(row.reopened or 0, row.complaints)
		row.repeat_complainants = repeat.get(row[key_of], 0)
		# flagged at filing by the repeat rules (kesu_app/repeats.py)
		row.repeat_complaints = int(row.repeat_complaints or 0)
		row.compensation_cost = float(cost.get(row.category) or 0)
		row.satisfaction = satisfaction.get(row.category)
		for stage in STAGE_KEYS:
			due = row.get(f"{stage}_due") or 0
			row[f"{stage}_compliance"] = percent(row.get(f"{stage}_on_time") or 0, due)
	return rows
