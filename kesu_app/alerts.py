"""The time-limit job (every 15 minutes): warnings before a limit, overdue alerts, automatic
escalation.

Selection is one indexed range query on Complaint.next_alert_at, which every save of a
complaint keeps at the earliest moment it may need an alert (none while paused or closed).
A run that finds nothing costs that query alone. Each complaint found is handled inside its
own savepoint, so one that fails is logged and rolled back while the others go on; its alert
levels make a repeated run send and escalate nothing twice.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import add_to_date, format_datetime, now_datetime

from kesu_app.escalation import can_escalate, escalate, find_assignees
from kesu_app.rules.alerts import BREACH, WARN, alerts_due, level_after
from kesu_app.rules.tiers import OVERDUE, next_tier
from kesu_app.rules.time_limits import CLOSED_STATUSES
from kesu_app.time_limits import stage_label, warning_lead

JOB_ID = "kesu_app:time_limit_alerts"
RETRY_HOURS = 1


def run_time_limit_alerts():
	"""Scheduler entry (cron */15): hands the work to a worker, one run at a time."""
	if not frappe.get_cached_doc("Kesu Settings").enable_time_limit_alerts:
		return
	if not due_complaints(now_datetime(), limit=1):
		return
	frappe.enqueue(
		"kesu_app.alerts.process_time_limit_alerts",
		queue="long",
		job_id=JOB_ID,
		deduplicate=True,
		timeout=3000,
		commit=True,
	)


def due_complaints(now: datetime, limit: int | None = None) -> list[str]:
	complaint = DocType("Complaint")
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.next_alert_at <= now)
		.orderby(complaint.next_alert_at)
	)
	if limit:
		query = query.limit(limit)
	return query.run(pluck=True)


def process_time_limit_alerts(now: datetime | None = None, commit: bool = False) -> dict:
	"""Handle every complaint whose next alert is due at ``now``; returns what was done.

	The worker calls it with ``commit``: each complaint's alerts are committed on their own,
	which keeps locks short and Frappe's per-transaction realtime queue small (it is scanned
	on every message, so one transaction for a thousand escalations slows down
	quadratically). Without it (tests) every complaint still gets its own savepoint.
	"""
	now = now or now_datetime()
	settings = frappe.get_cached_doc("Kesu Settings")
	done = {"warnings": 0, "breaches": 0, "escalations": 0, "errors": 0}
	for name in due_complaints(now):
		savepoint = f"kesu_alert_{frappe.generate_hash(length=8)}"
		frappe.db.savepoint(savepoint)
		try:
			result = handle_complaint(name, now, settings)
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			frappe.log_error(
				title=_("Time-limit alert failed for Complaint {0}").format(name),
				reference_doctype="Complaint",
				reference_name=name,
			)
			# try again in an hour, not in every 15-minute run
			frappe.db.set_value(
				"Complaint", name, "next_alert_at", add_to_date(now, hours=RETRY_HOURS), update_modified=False
			)
			done["errors"] += 1
			result = {}
		if commit:
			frappe.db.commit()  # each complaint's alerts stand on their own (see above)
		for key, count in result.items():
			done[key] += count
	return done


def handle_complaint(name: str, now: datetime, settings) -> dict:
	doc = frappe.get_doc("Complaint", name)
	result = {"warnings": 0, "breaches": 0, "escalations": 0}
	if doc.clock_paused or doc.status in CLOSED_STATUSES:
		doc.db_set("next_alert_at", None, update_modified=False)
		return result
	actions = alerts_due(doc.stage_clocks(), warning_lead(doc.severity), now)
	for stage, kind in actions:
		doc.set(f"{stage}_alert_level", level_after(kind))
		if kind == BREACH:
			doc.set(f"{stage}_breached", 1)
			doc.set(f"{stage}_breached_at", doc.get(f"{stage}_breached_at") or doc.get(f"{stage}_due"))
	warned = [stage for stage, kind in actions if kind == WARN]
	breached = [stage for stage, kind in actions if kind == BREACH]

	handlers = current_handlers(doc)
	for stage in warned:
		notify(handlers, doc, warning_text(doc, stage))
	result["warnings"] = len(warned)
	if breached:
		above = find_assignees(doc, next_tier(doc.current_tier)) if next_tier(doc.current_tier) else []
		for stage in breached:
			notify(sorted(set(handlers) | set(above)), doc, overdue_text(doc, stage))
		result["breaches"] = len(breached)
		# one tier per run, however many stages ran out together
		if settings.auto_escalate_overdue and can_escalate(doc, OVERDUE):
			reason = ", ".join(_("overdue: {0}").format(stage_label(stage)) for stage in breached)
			escalate(doc, OVERDUE, reason, system=True)
			result["escalations"] = 1
			return result

	doc.next_alert_at = doc.compute_next_alert_at()
	fields = ["next_alert_at"]
	fields += [f"{stage}_alert_level" for stage in warned + breached]
	fields += [f"{stage}_{suffix}" for stage in breached for suffix in ("breached", "breached_at")]
	doc.db_set({field: doc.get(field) for field in fields}, update_modified=False)
	return result


def current_handlers(doc) -> list[str]:
	"""Who works the case now: its handler, else whoever the tier's assignment rule names."""
	if doc.handler:
		return [doc.handler]
	return find_assignees(doc, doc.current_tier)


def warning_text(doc, stage: str) -> str:
	return _("Complaint {0} ({1}): {2} is due at {3}.").format(
		doc.name, doc.subject, stage_label(stage), format_datetime(doc.get(f"{stage}_due"))
	)


def overdue_text(doc, stage: str) -> str:
	return _("Complaint {0} ({1}) is overdue: {2} was due at {3}.").format(
		doc.name, doc.subject, stage_label(stage), format_datetime(doc.get(f"{stage}_due"))
	)


def notify(users: list[str], doc, subject: str):
	notify_users(users, doc.doctype, doc.name, subject)


def notify_users(users: list[str], doctype: str, name: str, subject: str):
	"""A system notification for each user; Frappe emails it to those whose settings ask."""
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"subject": subject,
				"email_content": subject,
				"document_type": doctype,
				"document_name": name,
				"from_user": "Administrator",
			}
		).insert(ignore_permissions=True)
