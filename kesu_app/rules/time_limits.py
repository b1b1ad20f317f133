"""Time limits (处理时限) of a complaint's stages, computed on a working calendar.

A limit is a number and a unit:

- ``Calendar Hours``: wall-clock time; an urgent case received at 23:30 with one hour is due
  at 00:30, night or holiday.
- ``Working Hours``: only time inside the calendar's working windows counts.
- ``Working Days``: due at the close of the Nth working day after the day the stage started;
  the starting day itself does not count.

Stages and what starts their clock:

- first response, acknowledgement, investigation and resolution run from the moment the
  complaint was received;
- feedback (telling the customer the result) runs from the moment it was resolved;
- a third party's deadline (a regulator's or consumer association's own reply date) is a fixed
  moment, not a limit: it is due then, pauses do not move it, and it tightens every stage that
  runs from receipt and would fall later (the clinic cannot answer the body after the body's
  date). Feedback runs from resolution and is left alone; the third-party stage is met when
  the result is given, as feedback is.

Pausing (time waiting on the customer, 等待客户). A pause from P to R moves a stage's due
time only when the stage's clock was running at P (P before the due time it had then);
pauses are applied in time order, each to the due time the earlier ones produced:

- Calendar Hours: the due time moves by the wall-clock length of the pause, R - P.
- Working Hours: the working time left at P (working time from P to the due time) is
  counted again from R, so only working time inside the pause is given back.
- Working Days: the due day moves by the number of working days after P's day up to and
  including R's day, the same counting as the limit itself: a pause that starts and ends on
  the same day moves nothing; paused on Monday, resumed on Wednesday moves two working days.
A pause still open (no R yet) moves nothing: the clock is stopped, and jobs do not alert on
a paused complaint; its due times are recomputed when it resumes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from kesu_app.rules.working_time import CalendarError, WorkingCalendar

CALENDAR_HOURS = "Calendar Hours"
WORKING_HOURS = "Working Hours"
WORKING_DAYS = "Working Days"
UNITS = (CALENDAR_HOURS, WORKING_HOURS, WORKING_DAYS)

SEVERITIES = ("General", "Important", "Urgent")

# (fieldname prefix on Complaint, label in settings): the stages a limit in Kesu Settings sets
LIMITED_STAGES = (
	("first_response", "First Response"),
	("acknowledgement", "Acknowledgement"),
	("investigation", "Investigation"),
	("resolution", "Resolution"),
	("feedback", "Feedback"),
)
# the stage a third party's own deadline sets, on a complaint passed on by that body
THIRD_PARTY = "third_party"
STAGES = (*LIMITED_STAGES, (THIRD_PARTY, "Third-Party Deadline"))
STAGE_KEYS = tuple(key for key, _ in STAGES)
STAGE_BY_LABEL = {label: key for key, label in LIMITED_STAGES}
STAGE_LABEL = dict(STAGES)
# stages whose clock starts at resolution, not at receipt
RESOLUTION_ANCHORED = frozenset({"feedback"})

# The defaults of the source procedures: urgent cases answered within 1 hour, everyone
# acknowledged within 24 h, investigated within 3 working days, handled within 5 (urgent: 1),
# and the result fed back within 2 working days of resolution.
DEFAULT_LIMITS = {
	"General": {
		"acknowledgement": (24, CALENDAR_HOURS),
		"investigation": (3, WORKING_DAYS),
		"resolution": (5, WORKING_DAYS),
		"feedback": (2, WORKING_DAYS),
	},
	"Important": {
		"acknowledgement": (24, CALENDAR_HOURS),
		"investigation": (3, WORKING_DAYS),
		"resolution": (5, WORKING_DAYS),
		"feedback": (2, WORKING_DAYS),
	},
	"Urgent": {
		"first_response": (1, CALENDAR_HOURS),
		"acknowledgement": (24, CALENDAR_HOURS),
		"investigation": (1, WORKING_DAYS),
		"resolution": (1, WORKING_DAYS),
		"feedback": (2, WORKING_DAYS),
	},
}


def at_least(severity: str | None, floor: str | None) -> str | None:
	"""The higher of two severities: a category's default is the least a case of it is filed at."""
	known = [s for s in (severity, floor) if s in SEVERITIES]
	return max(known, key=SEVERITIES.index) if known else severity


class LimitError(ValueError):
	"""A limit that cannot be applied: unknown unit, negative or fractional working days."""


@dataclass(frozen=True)
class Limit:
	value: float
	unit: str

	def __post_init__(self):
		if self.unit not in UNITS:
			raise LimitError(f"unknown unit {self.unit!r}")
		if self.value < 0:
			raise LimitError("a time limit cannot be negative")
		if self.unit == WORKING_DAYS and float(self.value) != int(self.value):
			raise LimitError("working days must be a whole number")


@dataclass(frozen=True)
class Pause:
	start: datetime
	end: datetime | None = None


def base_due(start: datetime, limit: Limit, calendar: WorkingCalendar) -> datetime:
	if limit.unit == CALENDAR_HOURS:
		return start + timedelta(hours=limit.value)
	if limit.unit == WORKING_HOURS:
		return calendar.add_working_time(start, timedelta(hours=limit.value))
	return calendar.add_working_days(start, int(limit.value))


def shift_for_pause(
	due: datetime, pause_start: datetime, pause_end: datetime, unit: str, calendar: WorkingCalendar
) -> datetime:
	"""The due time once a pause from pause_start to pause_end is given back (module doc)."""
	if pause_end <= pause_start:
		return due
	if unit == CALENDAR_HOURS:
		return due + (pause_end - pause_start)
	if unit == WORKING_HOURS:
		left = calendar.working_time_between(pause_start, due)
		return calendar.add_working_time(pause_end, left)
	days = calendar.working_days_after(pause_start.date(), pause_end.date())
	if not days:
		return due
	day = due.date()
	for _ in range(days):
		day = calendar.next_working_day(day)
	return calendar.close_of_day(day)


def due_time(
	start: datetime, limit: Limit, calendar: WorkingCalendar, pauses: Iterable[Pause] = ()
) -> datetime:
	due = base_due(start, limit, calendar)
	for pause in sorted(pauses, key=lambda p: p.start):
		if pause.end is None or pause.end <= start:
			continue
		begin = max(pause.start, start)
		if begin >= due:
			# the stage was already due when the pause began: waiting cannot undo a breach
			break
		due = shift_for_pause(due, begin, pause.end, limit.unit, calendar)
	return due


def limits_from_rows(rows: Iterable[tuple[str, str, float, str]]) -> dict[str, dict[str, Limit]]:
	"""Settings rows (severity, stage label, value, unit) as {severity: {stage key: Limit}}."""
	limits: dict[str, dict[str, Limit]] = {}
	for severity, stage_label, value, unit in rows:
		stage = STAGE_BY_LABEL.get(stage_label)
		if stage is None:
			raise LimitError(f"unknown stage {stage_label!r}")
		limits.setdefault(severity, {})[stage] = Limit(float(value), unit)
	return limits


def default_limit_rows() -> list[tuple[str, str, float, str]]:
	return [
		(severity, STAGE_LABEL[stage], value, unit)
		for severity in SEVERITIES
		for stage, (value, unit) in DEFAULT_LIMITS[severity].items()
	]


def compute_due_times(
	received_at: datetime,
	limits: Mapping[str, Limit],
	calendar: WorkingCalendar,
	pauses: Iterable[Pause] = (),
	resolved_at: datetime | None = None,
	deadline: datetime | None = None,
) -> dict[str, datetime | None]:
	"""Due time of every stage; None where the severity has no limit for it, or (feedback)
	while the complaint is not resolved yet. ``deadline``: a third party's own reply date,
	which is due as it is and tightens the stages that run from receipt (module doc)."""
	pauses = tuple(pauses)
	due: dict[str, datetime | None] = {}
	for stage, _label in LIMITED_STAGES:
		limit = limits.get(stage)
		start = resolved_at if stage in RESOLUTION_ANCHORED else received_at
		due[stage] = due_time(start, limit, calendar, pauses) if limit and start else None
		if deadline and due[stage] and stage not in RESOLUTION_ANCHORED:
			due[stage] = min(due[stage], deadline)
	due[THIRD_PARTY] = deadline
	return due


def is_breached(due: datetime | None, met_at: datetime | None, now: datetime) -> bool:
	"""A stage is breached when it was met after its due time, or is still unmet past it."""
	if due is None:
		return False
	return (met_at or now) > due


__all__ = [
	"CALENDAR_HOURS",
	"DEFAULT_LIMITS",
	"SEVERITIES",
	"STAGES",
	"STAGE_KEYS",
	"THIRD_PARTY",
	"UNITS",
	"WORKING_DAYS",
	"WORKING_HOURS",
	"CalendarError",
	"Limit",
	"LimitError",
	"Pause",
	"compute_due_times",
	"due_time",
	"is_breached",
	"limits_from_rows",
]


# Which stages a status shows to be done. A complaint that jumps ahead (say, straight from
# Open to Resolved) has every earlier stage met at that moment too. Escalated and Reopened
# meet nothing: being passed upwards is not an answer to the customer.
# the stages a first answer to the customer meets (Acknowledge, or Record First Response on an
# escalated case)
ANSWERED_STAGES = _ANSWERED = ("first_response", "acknowledgement")
_DECIDED = (*_ANSWERED, "investigation", "resolution")
STAGES_MET_BY_STATUS = {
	"Acknowledged": _ANSWERED,
	"Investigating": _ANSWERED,
	"Resolution Proposed": _DECIDED,
	"Awaiting Feedback": (*_DECIDED, "feedback", THIRD_PARTY),
	"Resolved": (*_DECIDED, "feedback", THIRD_PARTY),
	"Closed": (*_DECIDED, "feedback", THIRD_PARTY),
	"Rejected": (*_DECIDED, "feedback", THIRD_PARTY),
}
CLOSED_STATUSES = frozenset({"Closed", "Rejected"})


def stages_met_by_status(status: str) -> tuple[str, ...]:
	return STAGES_MET_BY_STATUS.get(status, ())


def working_time_excluding_pauses(
	calendar: WorkingCalendar, start: datetime, end: datetime, pauses: Iterable[Pause] = ()
) -> timedelta:
	"""Working time from start to end, less the working time spent paused in between."""
	total = calendar.working_time_between(start, end)
	for pause in pauses:
		pause_end = min(pause.end or end, end)
		total -= calendar.working_time_between(max(pause.start, start), pause_end)
	return max(total, timedelta(0))
