"""The time-limit job (every 15 minutes): warnings before a limit, overdue alerts, automatic
escalation.

Selection is one indexed range query on Complaint.next_alert_at, which every save of a
complaint keeps at the earliest moment it may need an alert (none while paused or closed).
A run that finds nothing costs that query alone.

What it finds is handled in batches, set-based: a batch's rows are read and locked in one
query; what each complaint needs is decided in memory by the same rules, assignee choice and
Workflow transitions as a save would use; the results (breach marks, escalations with their
history rows, Versions, comments, ToDos and Workflow Actions, the alerts) are written with a
statement or two per table (kesu_app.escalation_batch). A complaint whose decision fails is
logged and tried again in an hour while the others go on; its alert levels make a repeated
run send and escalate nothing twice.

Two cases take the slower document path, one complaint and one save at a time, with the same
results: a batch whose writing fails (so the one bad complaint is found and left alone), and a
site where something must see every save of a complaint (see document_path_reason).
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import add_to_date, now_datetime

from kesu_app.escalation import Assignees, can_escalate, escalate
from kesu_app.escalation_batch import EscalationBatch, document_path_reason
from kesu_app.outbox import Outbox
from kesu_app.rules.alerts import BREACH, WARN, alerts_due, level_after
from kesu_app.rules.tiers import OVERDUE, next_tier
from kesu_app.rules.time_limits import CLOSED_STATUSES
from kesu_app.system import as_system
from kesu_app.time_limits import stage_label, warning_lead

JOB_ID = "kesu_app:time_limit_alerts"
RETRY_HOURS = 1
# complaints read, decided and written together; each batch is committed on its own
BATCH_SIZE = 200


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

	The worker calls it with ``commit``: each batch is committed on its own, which keeps row
	locks short. Without it (tests) the caller's transaction holds everything.
	"""
	now = now or now_datetime()
	done = {"warnings": 0, "breaches": 0, "escalations": 0, "errors": 0}
	names = due_complaints(now)
	if not names:
		return done
	settings = frappe.get_cached_doc("Kesu Settings")
	slow_path = document_path_reason()
	for start in range(0, len(names), BATCH_SIZE):
		chunk = names[start : start + BATCH_SIZE]
		outbox = Outbox()
		if slow_path or not handle_batch(chunk, now, settings, outbox, done):
			for name in chunk:
				handle_by_document(name, now, settings, outbox, done)
		outbox.send()
		if commit:
			frappe.db.commit()
	return done


def handle_batch(names: list[str], now: datetime, settings, outbox: Outbox, done: dict) -> bool:
	"""Decide and write a batch set-based; False (nothing kept) when its writing failed."""
	savepoint = new_savepoint()
	try:
		# the app's own step, as Administrator, like escalate(system=True) on the document path
		with as_system():
			batch = AlertBatch(now, settings)
			batch.decide(load_complaints(names, now))
			batch.write()
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		frappe.log_error(title=_("Time-limit alerts: a batch was handled one complaint at a time"))
		return False
	outbox.extend(batch.alerts)
	for key, count in batch.counts.items():
		done[key] += count
	return True


def load_complaints(names: list[str], now: datetime) -> list:
	"""The batch's complaints as documents built from one locking read (no child tables:
	nothing here reads them). A save racing the job waits for the batch, or is refused as
	modified after the job raised the complaint."""
	complaint = DocType("Complaint")
	rows = (
		frappe.qb.from_(complaint)
		.select("*")
		.where(complaint.name.isin(names) & (complaint.next_alert_at <= now))
		.for_update()
		.run(as_dict=True)
	)
	docs = []
	for row in rows:
		doc = frappe.get_doc({**row, "doctype": "Complaint"})
		doc.flags.row = row
		docs.append(doc)
	return docs


class AlertBatch:
	"""The alerts, breach marks and escalations of a batch of complaints, decided one by one
	in memory and written together."""

	def __init__(self, now: datetime, settings):
		self.now, self.settings = now, settings
		self.changes: dict[str, dict] = {}
		self.alerts: list[tuple] = []
		self.counts = {"warnings": 0, "breaches": 0, "escalations": 0, "errors": 0}
		self.escalations = None

	def decide(self, docs: list):
		self.assignees = Assignees(docs)
		self.escalations = EscalationBatch(docs)
		for doc in docs:
			try:
				alerts, counts, escalation = self.decide_one(doc)
			except Exception:
				self.changes[doc.name] = {"next_alert_at": failed(doc.name, self.now)}
				self.counts["errors"] += 1
				continue
			if escalation:
				self.escalations.add(*escalation)
			self.alerts += alerts
			for key, count in counts.items():
				self.counts[key] += count
			self.changes[doc.name] = {
				field: doc.get(field) for field, value in doc.flags.row.items() if doc.get(field) != value
			}

	def decide_one(self, doc):
		"""What handle_complaint does to one complaint, done to its document in memory."""
		if doc.clock_paused or doc.status in CLOSED_STATUSES:
			doc.next_alert_at = None
			return [], {}, None
		alerts, counts, _warned, breached = assess(doc, self.now, self.assignees)
		escalation = None
		if breached and self.settings.auto_escalate_overdue:
			escalation = self.escalations.decide(doc, OVERDUE, overdue_reason(breached), self.assignees)
			counts["escalations"] = int(bool(escalation))
		if not escalation:
			doc.next_alert_at = doc.compute_next_alert_at()
		return alerts, counts, escalation

	def write(self):
		self.escalations.write(self.changes)


def handle_by_document(name: str, now: datetime, settings, outbox: Outbox, done: dict):
	"""One complaint through its document, in a savepoint of its own."""
	savepoint = new_savepoint()
	try:
		alerts, result = handle_complaint(name, now, settings)
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		frappe.db.set_value("Complaint", name, "next_alert_at", failed(name, now), update_modified=False)
		done["errors"] += 1
		return
	outbox.extend(alerts)
	for key, count in result.items():
		done[key] += count


def handle_complaint(name: str, now: datetime, settings) -> tuple[list, dict]:
	doc = frappe.get_doc("Complaint", name)
	if doc.clock_paused or doc.status in CLOSED_STATUSES:
		doc.db_set("next_alert_at", None, update_modified=False)
		return [], {}
	alerts, result, warned, breached = assess(doc, now, Assignees([doc]))
	# one tier per run, however many stages ran out together
	if breached and settings.auto_escalate_overdue and can_escalate(doc, OVERDUE):
		escalate(doc, OVERDUE, overdue_reason(breached), system=True)
		result["escalations"] = 1
		return alerts, result

	doc.next_alert_at = doc.compute_next_alert_at()
	fields = ["next_alert_at"]
	fields += [f"{stage}_alert_level" for stage in warned + breached]
	fields += [f"{stage}_{suffix}" for stage in breached for suffix in ("breached", "breached_at")]
	doc.db_set({field: doc.get(field) for field in fields}, update_modified=False)
	return alerts, result


def assess(doc, now: datetime, assignees: Assignees) -> tuple[list, dict, list[str], list[str]]:
	"""Raise the alert levels the current time calls for; returns the alerts to send, their
	counts, and the stages warned and breached."""
	warned, breached = mark_alerts(doc, now)
	handlers = assignees.current_handlers(doc)
	tier_above = next_tier(doc.current_tier)
	above = assignees.find(doc, tier_above) if breached and tier_above else []
	counts = {"warnings": len(warned), "breaches": len(breached), "escalations": 0}
	return alerts_of(doc, warned, breached, handlers, above), counts, warned, breached


def mark_alerts(doc, now: datetime) -> tuple[list[str], list[str]]:
	"""Raise the alert level of every stage the current time calls for, mark the breached
	ones with the moment their limit passed; returns the stages warned and breached."""
	actions = alerts_due(doc.stage_clocks(), warning_lead(doc.severity), now)
	for stage, kind in actions:
		doc.set(f"{stage}_alert_level", level_after(kind))
		if kind == BREACH:
			doc.set(f"{stage}_breached", 1)
			doc.set(f"{stage}_breached_at", doc.get(f"{stage}_breached_at") or doc.get(f"{stage}_due"))
	return [s for s, kind in actions if kind == WARN], [s for s, kind in actions if kind == BREACH]


def alerts_of(doc, warned, breached, handlers, above) -> list[tuple]:
	"""(users, complaint, subject, kind, stage, due) of each alert: the handlers are warned;
	a breach alerts them and the tier above."""
	alerts = [(handlers, doc.name, doc.subject, WARN, stage, doc.get(f"{stage}_due")) for stage in warned]
	everyone = sorted(set(handlers) | set(above))
	alerts += [
		(everyone, doc.name, doc.subject, BREACH, stage, doc.get(f"{stage}_due")) for stage in breached
	]
	return alerts


def overdue_reason(stages: list[str]) -> str:
	return ", ".join(_("overdue: {0}").format(stage_label(stage)) for stage in stages)


def failed(name: str, now: datetime) -> datetime:
	"""Log a complaint the job could not handle; returns when to try it again: in an hour,
	not in every 15-minute run."""
	frappe.log_error(
		title=_("Time-limit alert failed for Complaint {0}").format(name),
		reference_doctype="Complaint",
		reference_name=name,
	)
	return add_to_date(now, hours=RETRY_HOURS)


def new_savepoint() -> str:
	savepoint = f"kesu_alert_{frappe.generate_hash(length=8)}"
	frappe.db.savepoint(savepoint)
	return savepoint
