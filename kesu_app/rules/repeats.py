"""Repeat complaints (重复投诉): when a new complaint is one of a series, and what follows from it.

Three rules, each over a window of days set in Kesu Settings:

- **Customer**: the same Customer (or, when there is no Customer, the same phone or email)
  filed another complaint in the last N days.
- **Practitioner**: with this complaint, the same practitioner has K or more in the last N days.
- **Service**: with this complaint, the same service Item has K or more in the last N days.

"The last N days" counts calendar days: a complaint received on day 0 is within the window of
one received on day N, not of one received on day N + 1 (whatever the hour).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

CUSTOMER, PRACTITIONER, SERVICE = "Customer", "Practitioner", "Service"
RULES = (CUSTOMER, PRACTITIONER, SERVICE)
SEVERITIES = ("General", "Important", "Urgent")
# the earlier cases a complaint keeps links to, per rule: enough to read the story, small to store
MAX_LINKED = 5


@dataclass(frozen=True)
class RepeatSettings:
	enabled: bool = True
	customer_days: int = 90
	practitioner_days: int = 90
	practitioner_count: int = 3
	item_days: int = 90
	item_count: int = 3
	raise_severity: bool = False

	def days(self, rule: str) -> int:
		return {CUSTOMER: self.customer_days, PRACTITIONER: self.practitioner_days, SERVICE: self.item_days}[
			rule
		]

	def earlier_needed(self, rule: str) -> int:
		"""How many earlier complaints in the window make this one a repeat under ``rule``."""
		if rule == CUSTOMER:
			return 1
		count = self.practitioner_count if rule == PRACTITIONER else self.item_count
		return max(int(count or 0) - 1, 1)

	def to_fetch(self, rule: str) -> int:
		"""How many earlier complaints to ask the database for: enough to decide and to link."""
		return max(self.earlier_needed(rule), MAX_LINKED)


def window_start(received_at: datetime | date, days: int) -> datetime:
	"""The first moment of the window of ``days`` days that ends at ``received_at``: midnight of the
	calendar day ``days`` days before it."""
	day = received_at.date() if isinstance(received_at, datetime) else received_at
	return datetime.combine(day - timedelta(days=max(int(days or 0), 0)), time.min)


def phone_key(phone: str | None) -> str:
	"""A phone number as compared between complaints: its digits, the last 11 of them (a Chinese
	mobile number with or without +86, spaces or dashes gives the same key); "" for none."""
	digits = "".join(c for c in phone or "" if c.isdigit())
	return digits[-11:] if len(digits) >= 5 else ""


def repeat_rules(earlier: dict[str, int], settings: RepeatSettings) -> list[str]:
	"""The rules a complaint meets, given how many earlier complaints each rule found in its window."""
	if not settings.enabled:
		return []
	return [rule for rule in RULES if (earlier.get(rule) or 0) >= settings.earlier_needed(rule)]


def raised_severity(severity: str | None, rules: list[str], settings: RepeatSettings) -> str | None:
	"""The severity a repeat is raised to (one step up), or None when it stays as it is."""
	if not rules or not settings.raise_severity or severity not in SEVERITIES:
		return None
	index = SEVERITIES.index(severity)
	return SEVERITIES[index + 1] if index + 1 < len(SEVERITIES) else None
