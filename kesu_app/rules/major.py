"""Major complaints (重大投诉) and their special report (专项报告).

What makes a case major is a rule the clinic sets (Kesu Settings): urgent severity, a category
marked major, approved compensation above an amount, a case passed on by a third party, or a
member of staff's flag with a reason. Once major, a case stays major: the report it then owes
head office is the record of why.

The report's timeline is built from the case's own history, so it cannot disagree with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

URGENT = "Urgent"
# why a case is major; the texts are translated where they are shown
BY_URGENCY = "Urgent severity"
BY_CATEGORY = "Category marked major"
BY_COMPENSATION = "Compensation above {0}"
BY_THIRD_PARTY = "Passed on by a third party"


@dataclass(frozen=True)
class MajorRules:
	if_urgent: bool = True
	if_third_party: bool = True
	compensation_above: float = 0.0  # 0: never by amount


def major_reasons(
	rules: MajorRules,
	severity: str | None,
	category_is_major: bool,
	compensation_total: float,
	third_party: bool,
) -> list[tuple[str, tuple]]:
	"""The rules a case meets, each as (text, its arguments); empty when it is not major."""
	reasons: list[tuple[str, tuple]] = []
	if rules.if_urgent and severity == URGENT:
		reasons.append((BY_URGENCY, ()))
	if category_is_major:
		reasons.append((BY_CATEGORY, ()))
	if rules.compensation_above and (compensation_total or 0) > rules.compensation_above:
		reasons.append((BY_COMPENSATION, (rules.compensation_above,)))
	if rules.if_third_party and third_party:
		reasons.append((BY_THIRD_PARTY, ()))
	return reasons


@dataclass(frozen=True, order=True)
class Event:
	at: datetime
	kind: str
	detail: str = ""


# what happens on a case, in the order it is told when two events share a moment
KINDS = (
	"Received",
	"Escalated",
	"Stage Met",
	"Stage Breached",
	"Compensation",
	"Follow-up",
	"Resolved",
	"Closed",
)


def timeline(
	received_at: datetime,
	channel: str,
	escalations: Iterable[Mapping],
	stages: Iterable[Mapping],
	compensations: Iterable[Mapping],
	follow_ups: Iterable[Mapping],
	closed_at: datetime | None = None,
) -> list[Event]:
	"""The case's history as one list of events, oldest first.

	escalations: escalated_at, from_tier, to_tier, reason; stages: label, due, met_at,
	breached_at; compensations: at, type, amount, status; follow_ups: at, type, status, rating.
	Details are plain data joined by " · ", for the report to show as it is.
	"""
	events = [Event(received_at, "Received", channel or "")]
	for row in escalations:
		detail = f"{row['from_tier']} → {row['to_tier']} · {row.get('reason') or ''}".strip(" ·")
		events.append(Event(row["escalated_at"], "Escalated", detail))
	for row in stages:
		if row.get("breached_at"):
			events.append(Event(row["breached_at"], "Stage Breached", f"{row['label']} · {row['due']}"))
		if row.get("met_at"):
			events.append(Event(row["met_at"], "Stage Met", f"{row['label']} · {row['due']}"))
	for row in compensations:
		detail = " · ".join(str(v) for v in (row.get("type"), row.get("amount"), row.get("status")) if v)
		events.append(Event(row["at"], "Compensation", detail))
	for row in follow_ups:
		detail = " · ".join(str(v) for v in (row.get("type"), row.get("status"), row.get("rating")) if v)
		events.append(Event(row["at"], "Follow-up", detail))
	if closed_at:
		events.append(Event(closed_at, "Closed"))
	return sorted((e for e in events if e.at), key=lambda e: (e.at, KINDS.index(e.kind)))
