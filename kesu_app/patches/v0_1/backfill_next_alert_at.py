import frappe
from frappe.utils import get_datetime

from kesu_app.rules.alerts import StageClock, next_alert_at
from kesu_app.rules.time_limits import CLOSED_STATUSES, STAGE_KEYS
from kesu_app.time_limits import warning_lead

CHUNK = 5000


def execute():
	"""Open complaints filed before the time-limit job existed get their next alert time.

	Reads only the columns the rule needs, a chunk at a time, with the same rule the
	Complaint controller uses on save."""
	fields = ["name", "severity"] + [
		f"{s}_{suffix}" for s in STAGE_KEYS for suffix in ("due", "met_at", "alert_level")
	]
	start = 0
	while True:
		rows = frappe.get_all(
			"Complaint",
			filters={"status": ("not in", list(CLOSED_STATUSES)), "clock_paused": 0},
			fields=fields,
			order_by="name",
			limit_start=start,
			limit_page_length=CHUNK,
		)
		if not rows:
			break
		for row in rows:
			clocks = [
				StageClock(
					stage,
					get_datetime(row[f"{stage}_due"]) if row[f"{stage}_due"] else None,
					get_datetime(row[f"{stage}_met_at"]) if row[f"{stage}_met_at"] else None,
					row[f"{stage}_alert_level"] or 0,
				)
				for stage in STAGE_KEYS
			]
			moment = next_alert_at(clocks, warning_lead(row.severity))
			frappe.db.set_value("Complaint", row.name, "next_alert_at", moment, update_modified=False)
		start += CHUNK
