"""Which time-limit alerts are due (即将超时 / 超时), and when the next one will be.

Each stage of a complaint carries an alert level: 0 nothing sent yet, 1 warned that its limit
is near, 2 its breach handled (alerted, escalated). A stage is warned once when the current
time reaches its due time less the lead time of the complaint's severity, and breached once
when the current time reaches its due time. A breach found before any warning skips the
warning. Met stages, stages without a due time, and (decided by the caller) complaints that
are paused or closed need nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

NOTHING, WARNED, BREACH_HANDLED = 0, 1, 2
WARN, BREACH = "warn", "breach"


@dataclass(frozen=True)
class StageClock:
	stage: str
	due: datetime | None
	met_at: datetime | None = None
	alert_level: int = NOTHING

	@property
	def running(self) -> bool:
		return self.due is not None and self.met_at is None and self.alert_level < BREACH_HANDLED


def alerts_due(clocks: Iterable[StageClock], lead: timedelta, now: datetime) -> list[tuple[str, str]]:
	"""(stage, WARN | BREACH) for every alert the current time calls for, in stage order."""
	due = []
	for clock in clocks:
		if not clock.running:
			continue
		if now >= clock.due:
			due.append((clock.stage, BREACH))
		elif clock.alert_level == NOTHING and lead > timedelta(0) and now >= clock.due - lead:
			due.append((clock.stage, WARN))
	return due


def next_alert_at(clocks: Iterable[StageClock], lead: timedelta) -> datetime | None:
	"""The earliest moment an alert will be due; the job selects complaints on this alone."""
	moments = []
	for clock in clocks:
		if not clock.running:
			continue
		warn_at = clock.due - lead if lead > timedelta(0) and clock.alert_level == NOTHING else None
		moments.append(warn_at or clock.due)
	return min(moments, default=None)


def level_after(alert: str) -> int:
	return BREACH_HANDLED if alert == BREACH else WARNED
