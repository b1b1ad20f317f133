"""The time-limit engine, with the edge cases clinics meet written out (no Frappe needed)."""

from datetime import date, datetime, time, timedelta

import pytest

from kesu_app.rules.time_limits import (
	CALENDAR_HOURS,
	DEFAULT_LIMITS,
	WORKING_DAYS,
	WORKING_HOURS,
	Limit,
	LimitError,
	Pause,
	compute_due_times,
	default_limit_rows,
	due_time,
	is_breached,
	limits_from_rows,
)
from kesu_app.rules.working_time import CalendarError, WorkingCalendar

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# a clinic open 09:00-12:00 and 13:30-18:00 on weekdays, closed for lunch
CLINIC_WINDOWS = [(day, time(9), time(12)) for day in WEEKDAYS] + [
	(day, time(13, 30), time(18)) for day in WEEKDAYS
]


def clinic(holidays=(), extra=()):
	return WorkingCalendar.build(CLINIC_WINDOWS, holidays, extra)


def dt(text):
	return datetime.fromisoformat(text)


# 2026-04-03 is a Friday, 2026-04-06 the Monday after it.
HOLIDAY_MONDAY = date(2026, 4, 6)


class TestFridayBeforeHolidayMonday:
	received = dt("2026-04-03 17:55")

	def test_working_days_skip_weekend_and_holiday(self):
		cal = clinic(holidays=[HOLIDAY_MONDAY])
		# Tue 7, Wed 8, Thu 9: the Friday itself never counts
		assert due_time(self.received, Limit(3, WORKING_DAYS), cal) == dt("2026-04-09 18:00")

	def test_working_hours_carry_over_to_tuesday(self):
		cal = clinic(holidays=[HOLIDAY_MONDAY])
		# 5 minutes on Friday, 55 on Tuesday morning
		assert due_time(self.received, Limit(1, WORKING_HOURS), cal) == dt("2026-04-07 09:55")

	def test_without_the_holiday_monday_counts(self):
		assert due_time(self.received, Limit(1, WORKING_HOURS), clinic()) == dt("2026-04-06 09:55")
		assert due_time(self.received, Limit(3, WORKING_DAYS), clinic()) == dt("2026-04-08 18:00")

	def test_calendar_hours_ignore_the_calendar(self):
		cal = clinic(holidays=[HOLIDAY_MONDAY])
		assert due_time(self.received, Limit(24, CALENDAR_HOURS), cal) == dt("2026-04-04 17:55")


class TestLunchBreak:
	def test_lunch_is_not_working_time(self):
		assert due_time(dt("2026-04-08 11:30"), Limit(1, WORKING_HOURS), clinic()) == dt("2026-04-08 14:00")

	def test_received_during_lunch_starts_after_it(self):
		assert due_time(dt("2026-04-08 12:45"), Limit(0.5, WORKING_HOURS), clinic()) == dt("2026-04-08 14:00")

	def test_exactly_to_the_end_of_the_morning(self):
		assert due_time(dt("2026-04-08 11:00"), Limit(1, WORKING_HOURS), clinic()) == dt("2026-04-08 12:00")

	def test_working_time_between_skips_lunch_and_night(self):
		cal = clinic()
		assert cal.working_time_between(dt("2026-04-08 11:00"), dt("2026-04-08 14:00")) == timedelta(
			hours=1, minutes=30
		)
		assert cal.working_time_between(dt("2026-04-08 17:00"), dt("2026-04-09 10:00")) == timedelta(hours=2)
		assert cal.working_time_between(dt("2026-04-09 10:00"), dt("2026-04-08 10:00")) == timedelta(0)


class TestMakeUpSaturday:
	# Saturday 2026-09-26 worked in exchange for a holiday; it is also a weekly off in the
	# Holiday List, and the make-up day wins.
	saturday = date(2026, 9, 26)

	def test_make_up_day_counts_as_a_working_day(self):
		cal = clinic(holidays=[self.saturday], extra=[(self.saturday, "Monday")])
		assert cal.is_working_day(self.saturday)
		assert due_time(dt("2026-09-25 17:00"), Limit(1, WORKING_DAYS), cal) == dt("2026-09-26 18:00")

	def test_received_on_the_make_up_day(self):
		cal = clinic(extra=[self.saturday])
		assert due_time(dt("2026-09-26 10:00"), Limit(2, WORKING_HOURS), cal) == dt("2026-09-26 12:00")
		# the make-up day itself does not count for working days: Mon 28, Tue 29
		assert due_time(dt("2026-09-26 10:00"), Limit(2, WORKING_DAYS), cal) == dt("2026-09-29 18:00")

	def test_make_up_day_uses_the_windows_of_the_weekday_it_works_like(self):
		windows = [*CLINIC_WINDOWS, ("Friday", time(18), time(20))]
		cal = WorkingCalendar.build(windows, extra_working_days=[(self.saturday, "Friday")])
		assert cal.close_of_day(self.saturday) == dt("2026-09-26 20:00")

	def test_plain_saturday_is_not_working(self):
		assert not clinic().is_working_day(self.saturday)


class TestUrgentAtNight:
	def test_urgent_at_2330_is_due_at_0030(self):
		assert due_time(dt("2026-04-05 23:30"), Limit(1, CALENDAR_HOURS), clinic()) == dt("2026-04-06 00:30")

	def test_default_urgent_limits(self):
		limits = limits_from_rows(default_limit_rows())["Urgent"]
		due = compute_due_times(dt("2026-04-08 23:30"), limits, clinic())
		assert due["first_response"] == dt("2026-04-09 00:30")
		assert due["acknowledgement"] == dt("2026-04-09 23:30")
		assert due["investigation"] == dt("2026-04-09 18:00")
		assert due["resolution"] == dt("2026-04-09 18:00")
		assert due["feedback"] is None


class TestPauses:
	def test_calendar_hours_move_by_the_pause(self):
		pause = Pause(dt("2026-04-06 12:00"), dt("2026-04-06 15:00"))
		assert due_time(dt("2026-04-06 10:00"), Limit(24, CALENDAR_HOURS), clinic(), [pause]) == dt(
			"2026-04-07 13:00"
		)

	def test_working_hours_give_back_only_working_time(self):
		cal = clinic()
		limit = Limit(8, WORKING_HOURS)
		assert due_time(dt("2026-04-06 09:00"), limit, cal) == dt("2026-04-07 09:30")
		# 6 working hours are left at Mon 11:00; counted again from Tue 10:00
		pause = Pause(dt("2026-04-06 11:00"), dt("2026-04-07 10:00"))
		assert due_time(dt("2026-04-06 09:00"), limit, cal, [pause]) == dt("2026-04-07 17:30")

	def test_working_hours_pause_at_night_gives_nothing_back(self):
		pause = Pause(dt("2026-04-06 19:00"), dt("2026-04-07 08:00"))
		limit = Limit(8, WORKING_HOURS)
		assert due_time(dt("2026-04-06 09:00"), limit, clinic(), [pause]) == dt("2026-04-07 09:30")

	def test_working_days_move_by_working_days_paused(self):
		cal = clinic()
		limit = Limit(3, WORKING_DAYS)
		assert due_time(dt("2026-04-06 10:00"), limit, cal) == dt("2026-04-09 18:00")
		pause = Pause(dt("2026-04-07 10:00"), dt("2026-04-08 16:00"))
		assert due_time(dt("2026-04-06 10:00"), limit, cal, [pause]) == dt("2026-04-10 18:00")

	def test_working_days_pause_over_a_weekend_moves_nothing(self):
		pause = Pause(dt("2026-04-03 17:00"), dt("2026-04-05 20:00"))
		assert due_time(dt("2026-04-02 10:00"), Limit(3, WORKING_DAYS), clinic(), [pause]) == dt(
			"2026-04-07 18:00"
		)

	def test_same_day_pause_moves_no_working_day(self):
		pause = Pause(dt("2026-04-07 10:00"), dt("2026-04-07 16:00"))
		assert due_time(dt("2026-04-06 10:00"), Limit(3, WORKING_DAYS), clinic(), [pause]) == dt(
			"2026-04-09 18:00"
		)

	def test_pause_after_the_due_time_cannot_undo_a_breach(self):
		pause = Pause(dt("2026-04-08 10:00"), dt("2026-04-09 10:00"))
		assert due_time(dt("2026-04-06 10:00"), Limit(24, CALENDAR_HOURS), clinic(), [pause]) == dt(
			"2026-04-07 10:00"
		)

	def test_open_pause_moves_nothing(self):
		pause = Pause(dt("2026-04-06 12:00"))
		assert due_time(dt("2026-04-06 10:00"), Limit(24, CALENDAR_HOURS), clinic(), [pause]) == dt(
			"2026-04-07 10:00"
		)

	def test_pause_before_receipt_is_clipped(self):
		pause = Pause(dt("2026-04-06 08:00"), dt("2026-04-06 11:00"))
		assert due_time(dt("2026-04-06 10:00"), Limit(24, CALENDAR_HOURS), clinic(), [pause]) == dt(
			"2026-04-07 11:00"
		)

	def test_two_pauses_add_up_in_order(self):
		pauses = [
			Pause(dt("2026-04-06 14:00"), dt("2026-04-06 15:00")),
			Pause(dt("2026-04-06 11:00"), dt("2026-04-06 12:00")),
		]
		assert due_time(dt("2026-04-06 10:00"), Limit(24, CALENDAR_HOURS), clinic(), pauses) == dt(
			"2026-04-07 12:00"
		)


class TestStagesAndDefaults:
	def test_feedback_runs_from_resolution(self):
		limits = limits_from_rows(default_limit_rows())["General"]
		due = compute_due_times(dt("2026-04-06 10:00"), limits, clinic(), resolved_at=dt("2026-04-08 16:00"))
		assert due["first_response"] is None
		assert due["acknowledgement"] == dt("2026-04-07 10:00")
		assert due["investigation"] == dt("2026-04-09 18:00")
		assert due["resolution"] == dt("2026-04-13 18:00")
		assert due["feedback"] == dt("2026-04-10 18:00")

	def test_defaults_cover_every_severity(self):
		assert set(DEFAULT_LIMITS) == {"General", "Important", "Urgent"}
		assert len(limits_from_rows(default_limit_rows())) == 3

	def test_received_on_sunday_first_working_day_is_monday(self):
		assert due_time(dt("2026-04-05 11:00"), Limit(1, WORKING_DAYS), clinic()) == dt("2026-04-06 18:00")

	def test_zero_working_days_is_close_of_today_or_next(self):
		assert due_time(dt("2026-04-06 11:00"), Limit(0, WORKING_DAYS), clinic()) == dt("2026-04-06 18:00")
		assert due_time(dt("2026-04-05 11:00"), Limit(0, WORKING_DAYS), clinic()) == dt("2026-04-06 18:00")

	def test_breached(self):
		due = dt("2026-04-06 18:00")
		assert not is_breached(due, dt("2026-04-06 17:59"), dt("2026-04-10 00:00"))
		assert is_breached(due, dt("2026-04-06 18:01"), dt("2026-04-06 12:00"))
		assert is_breached(due, None, dt("2026-04-06 18:01"))
		assert not is_breached(None, None, dt("2030-01-01 00:00"))


class TestBadInput:
	def test_fractional_working_days(self):
		with pytest.raises(LimitError):
			Limit(1.5, WORKING_DAYS)

	def test_negative_and_unknown(self):
		with pytest.raises(LimitError):
			Limit(-1, WORKING_HOURS)
		with pytest.raises(LimitError):
			Limit(1, "Fortnights")
		with pytest.raises(LimitError):
			limits_from_rows([("General", "Lunch", 1, CALENDAR_HOURS)])

	def test_overlapping_or_backwards_windows(self):
		with pytest.raises(CalendarError):
			WorkingCalendar.build([("Monday", time(9), time(12)), ("Monday", time(11), time(13))])
		with pytest.raises(CalendarError):
			WorkingCalendar.build([("Monday", time(12), time(9))])
		with pytest.raises(CalendarError):
			WorkingCalendar.build([("Moonday", time(9), time(12))])

	def test_calendar_without_working_time_stops(self):
		empty = WorkingCalendar.build([])
		with pytest.raises(CalendarError):
			due_time(dt("2026-04-06 10:00"), Limit(1, WORKING_HOURS), empty)
		with pytest.raises(CalendarError):
			due_time(dt("2026-04-06 10:00"), Limit(1, WORKING_DAYS), empty)

	def test_window_to_midnight(self):
		cal = WorkingCalendar.build([("Monday", time(20), time(0))])
		assert due_time(dt("2026-04-06 23:00"), Limit(2, WORKING_HOURS), cal) == dt("2026-04-13 21:00")
