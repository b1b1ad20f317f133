"""A working calendar: working windows per weekday, holidays and make-up working days.

All datetimes are naive and in the site's time zone, as Frappe stores them.

A day is a working day when it is a make-up working day, or when it is not a holiday and its
weekday has at least one working window. A make-up day (for example a Saturday worked in
exchange for a public holiday) uses the windows of the weekday it "works like", Monday by
default. Time outside the windows (nights, a lunch break, weekends, holidays) is not working
time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

# A calendar with no working day in three years is a configuration error, not a long wait:
# stop scanning instead of looping for ever.
MAX_SCAN_DAYS = 3 * 366

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Window = tuple[time, time]


class CalendarError(ValueError):
	"""The calendar cannot answer: bad windows, or no working time within MAX_SCAN_DAYS."""


def weekday_number(name_or_number: str | int) -> int:
	if isinstance(name_or_number, int):
		if 0 <= name_or_number <= 6:
			return name_or_number
		raise CalendarError(f"weekday out of range: {name_or_number}")
	try:
		return WEEKDAYS.index(name_or_number)
	except ValueError:
		raise CalendarError(f"unknown weekday: {name_or_number!r}") from None


def _window_end(day: date, end: time) -> datetime:
	# 00:00 as an end means midnight at the end of the day, so a window may run to 24:00.
	if end == time(0):
		return datetime.combine(day + timedelta(days=1), time(0))
	return datetime.combine(day, end)


def _sorted_windows(windows: Iterable[Window]) -> tuple[Window, ...]:
	ordered = tuple(sorted(windows))
	previous_end = None
	for start, end in ordered:
		end_key = (24, 0, 0) if end == time(0) else (end.hour, end.minute, end.second)
		start_key = (start.hour, start.minute, start.second)
		if end_key <= start_key:
			raise CalendarError(f"working window {start}-{end} ends before it starts")
		if previous_end is not None and start_key < previous_end:
			raise CalendarError(f"working window {start}-{end} overlaps the one before it")
		previous_end = end_key
	return ordered


@dataclass(frozen=True)
class WorkingCalendar:
	windows: Mapping[int, tuple[Window, ...]]
	holidays: frozenset[date] = frozenset()
	# make-up working day -> the weekday whose windows it uses
	extra_working_days: Mapping[date, int] = field(default_factory=dict)

	@classmethod
	def build(
		cls,
		windows: Iterable[tuple[str | int, time, time]],
		holidays: Iterable[date] = (),
		extra_working_days: Iterable[date | tuple[date, str | int]] = (),
	) -> WorkingCalendar:
		"""Build a calendar from rows as settings hold them: (weekday, start, end)."""
		by_day: dict[int, list[Window]] = {}
		for weekday, start, end in windows:
			by_day.setdefault(weekday_number(weekday), []).append((start, end))
		extra: dict[date, int] = {}
		for row in extra_working_days:
			if isinstance(row, tuple):
				extra[row[0]] = weekday_number(row[1]) if row[1] not in (None, "") else 0
			else:
				extra[row] = 0
		return cls(
			windows={day: _sorted_windows(ws) for day, ws in by_day.items()},
			holidays=frozenset(holidays),
			extra_working_days=extra,
		)

	def _day_windows(self, day: date) -> tuple[Window, ...]:
		if day in self.extra_working_days:
			return self.windows.get(self.extra_working_days[day], ())
		if day in self.holidays:
			return ()
		return self.windows.get(day.weekday(), ())

	def windows_on(self, day: date) -> list[tuple[datetime, datetime]]:
		return [
			(datetime.combine(day, start), _window_end(day, end)) for start, end in self._day_windows(day)
		]

	def is_working_day(self, day: date) -> bool:
		return bool(self._day_windows(day))

	def close_of_day(self, day: date) -> datetime:
		windows = self.windows_on(day)
		if not windows:
			raise CalendarError(f"{day} is not a working day")
		return windows[-1][1]

	def next_working_day(self, day: date) -> date:
		"""The first working day strictly after ``day``."""
		for offset in range(1, MAX_SCAN_DAYS + 1):
			candidate = day + timedelta(days=offset)
			if self.is_working_day(candidate):
				return candidate
		raise CalendarError(f"no working day within {MAX_SCAN_DAYS} days after {day}")

	def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
		"""The moment when ``amount`` of working time has passed since ``start``."""
		if amount <= timedelta(0):
			return start
		remaining = amount
		day = start.date()
		for _ in range(MAX_SCAN_DAYS):
			for window_start, window_end in self.windows_on(day):
				if window_end <= start:
					continue
				begin = max(window_start, start)
				available = window_end - begin
				if remaining <= available:
					return begin + remaining
				remaining -= available
			day += timedelta(days=1)
		raise CalendarError(f"no working time within {MAX_SCAN_DAYS} days after {start}")

	def working_time_between(self, start: datetime, end: datetime) -> timedelta:
		"""Working time inside [start, end); zero when end is not after start."""
		total = timedelta(0)
		if end <= start:
			return total
		day = start.date()
		while day <= end.date():
			for window_start, window_end in self.windows_on(day):
				begin, finish = max(window_start, start), min(window_end, end)
				if finish > begin:
					total += finish - begin
			day += timedelta(days=1)
		return total

	def working_days_after(self, first: date, last: date) -> int:
		"""How many working days d there are with first < d <= last."""
		count, day = 0, first + timedelta(days=1)
		while day <= last:
			count += self.is_working_day(day)
			day += timedelta(days=1)
		return count

	def add_working_days(self, start: datetime, days: int) -> datetime:
		"""The close of the ``days``-th working day after the day of ``start``.

		The starting day itself never counts, however early the case came in, as in
		health-service complaint rules. With ``days`` = 0 the limit is the close of the start
		day when it is a working day, else the close of the next one.
		"""
		if days < 0:
			raise CalendarError("a number of working days cannot be negative")
		day = start.date()
		if days == 0:
			return self.close_of_day(day if self.is_working_day(day) else self.next_working_day(day))
		for _ in range(days):
			day = self.next_working_day(day)
		return self.close_of_day(day)
