"""Daily digest to supervisors and managers, and the quarterly summary to management."""

from __future__ import annotations

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.query_builder import Case, DocType
from frappe.utils import getdate, now_datetime

from kesu_app.analysis import permitted_to, quarter_figures
from kesu_app.escalation import role_holders
from kesu_app.rules.quarters import (
	is_quarter_start,
	previous_quarter,
	quarter_bounds,
	quarter_label,
	quarter_of,
)
from kesu_app.rules.tiers import TIER_ROLES
from kesu_app.rules.time_limits import CLOSED_STATUSES, STAGE_KEYS
from kesu_app.time_limits import stage_label
from kesu_app.unheld import ADMIN_ROLE, describe, unheld_tiers

DIGEST_ROLES = (TIER_ROLES["Supervisor"], TIER_ROLES["Department Manager"], TIER_ROLES["Management"])
DIGEST_ROWS = 50


def send_daily_digest():
	if not frappe.get_cached_doc("Kesu Settings").enable_daily_digest:
		return
	now = now_datetime()
	users = sorted(set().union(*(role_holders(role) for role in DIGEST_ROLES)))
	# who runs the process hears of tiers nobody holds (kesu_app.unheld), once a day
	empty = unheld_tiers()
	admins = role_holders(ADMIN_ROLE) | role_holders(TIER_ROLES["Management"]) if empty else set()
	for user in users:
		rows = open_complaints_of(user, now)
		if not rows and user not in admins:
			continue
		overdue = sum(1 for row in rows if row.overdue)
		with user_language(user):
			if not send_mail(
				recipients=[user],
				subject=_("Complaints: {0} open, {1} overdue").format(len(rows), overdue),
				template="complaint_digest",
				args={
					"rows": rows[:DIGEST_ROWS],
					"total": len(rows),
					"overdue": overdue,
					"unheld": describe(empty) if user in admins else [],
				},
			):
				return


def open_complaints_of(user: str, now) -> list:
	"""Open complaints the user handles or has an open ToDo for, overdue ones first."""
	complaint, todo = DocType("Complaint"), DocType("ToDo")
	assigned = (
		frappe.qb.from_(todo)
		.select(todo.reference_name)
		.where((todo.reference_type == "Complaint") & (todo.allocated_to == user) & (todo.status == "Open"))
	)
	overdue = None
	for stage in STAGE_KEYS:
		late = complaint[f"{stage}_met_at"].isnull() & (complaint[f"{stage}_due"] < now)
		overdue = late if overdue is None else overdue | late
	query = (
		frappe.qb.from_(complaint)
		.select(
			complaint.name,
			complaint.subject,
			complaint.severity,
			complaint.status,
			complaint.current_tier,
			complaint.received_at,
			complaint.third_party_due,
			# a bare criterion loses its alias in pypika; a CASE keeps it
			Case().when(overdue & (complaint.clock_paused == 0), 1).else_(0).as_("overdue"),
		)
		.where(complaint.status.notin(list(CLOSED_STATUSES)))
		.where((complaint.handler == user) | complaint.name.isin(assigned))
		.orderby(complaint.received_at)
	)
	# only what the reader may read now: a case of a branch they no longer work stays out
	rows = permitted_to(query, "Complaint", user).run(as_dict=True)
	rows.sort(key=lambda row: not row.overdue)
	return rows


def send_quarterly_summary(today=None):
	"""On the first day of a quarter: the quarter just ended, mailed to management."""
	today = getdate(today)
	if not frappe.get_cached_doc("Kesu Settings").enable_quarterly_summary or not is_quarter_start(today):
		return
	year, quarter = previous_quarter(*quarter_of(today))
	start, end = quarter_bounds(year, quarter)
	recipients = sorted(role_holders(TIER_ROLES["Management"]))
	if not recipients:
		return
	sent = {}
	for user in recipients:
		# each reader's own figures: the branches and companies their permissions cover
		sent[user] = figures = quarter_figures(start, end, user=user)
		with user_language(user):
			if not send_mail(
				recipients=[user],
				subject=_("Complaints, quarterly summary {0}").format(quarter_label(year, quarter)),
				template="complaint_quarterly_summary",
				args={
					"label": quarter_label(year, quarter),
					"figures": figures,
					"stages": [(stage, stage_label(stage)) for stage in STAGE_KEYS],
				},
			):
				break
	return sent


def send_mail(failure: str | None = None, **mail) -> bool:
	"""Queue a mail; False, with ``failure`` logged, when the site has no outgoing email
	account (nothing to send with)."""
	try:
		frappe.sendmail(now=False, **mail)
	except frappe.OutgoingEmailError:
		frappe.log_error(title=failure or _("Complaint digests need an outgoing email account"))
		return False
	return True


@contextmanager
def user_language(user: str):
	"""Render a mail in its reader's language."""
	previous = frappe.local.lang
	frappe.local.lang = frappe.db.get_value("User", user, "language") or frappe.db.get_default("lang") or "en"
	try:
		yield
	finally:
		frappe.local.lang = previous
