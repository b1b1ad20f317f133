"""Frappe glue for the time-limit engine: reads the calendar and limits from the site."""

from __future__ import annotations

from datetime import timedelta

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import get_time

from kesu_app.rules.time_limits import STAGE_LABEL, Limit, LimitError, limits_from_rows
from kesu_app.rules.working_time import CalendarError, WorkingCalendar

CALENDAR_CACHE_KEY = "kesu_app:working_calendar"
SETTINGS = "Kesu Settings"


def stage_label(stage: str) -> str:
	"""A time-limit stage's name in the user's language. ERPNext translates the bare words its
	own way (Resolution: 决议, Feedback: 反馈), so the complaint's sense is asked for."""
	return _(STAGE_LABEL[stage], context="Complaint")


def clear_calendar_cache(doc=None, method=None):
	frappe.cache.delete_value(CALENDAR_CACHE_KEY)


def get_holiday_list(company: str | None) -> str | None:
	settings = frappe.get_cached_doc(SETTINGS)
	if settings.holiday_list:
		return settings.holiday_list
	if company:
		return frappe.get_cached_value("Company", company, "default_holiday_list")
	return None


def get_calendar(company: str | None) -> WorkingCalendar:
	"""The working calendar for a company, cached until settings, a Holiday List or a Company
	change: complaints are filed far more often than calendars are edited."""
	holiday_list = get_holiday_list(company) or ""
	# hget answers None for an empty key, so a calendar without holidays has a key of its own
	return frappe.cache.hget(
		CALENDAR_CACHE_KEY, holiday_list or "-", generator=lambda: _build_calendar(holiday_list)
	)


def warning_lead(severity: str) -> timedelta:
	"""How long before a limit the handler is warned, for this severity (Kesu Settings)."""
	settings = frappe.get_cached_doc(SETTINGS)
	hours = settings.get(f"warning_lead_{(severity or '').lower()}") or 0
	return timedelta(hours=float(hours))


def _build_calendar(holiday_list: str) -> WorkingCalendar:
	settings = frappe.get_cached_doc(SETTINGS)
	holidays = []
	if holiday_list:
		holiday = DocType("Holiday")
		holidays = (
			frappe.qb.from_(holiday)
			.select(holiday.holiday_date)
			.where((holiday.parent == holiday_list) & (holiday.parenttype == "Holiday List"))
			.run(pluck=True)
		)
	try:
		return WorkingCalendar.build(
			[
				(row.weekday, get_time(row.start_time), get_time(row.end_time))
				for row in settings.working_hours
			],
			holidays,
			[(row.work_date, row.works_like) for row in settings.extra_working_days],
		)
	except CalendarError as e:
		frappe.throw(
			_("Kesu Settings: the working calendar is not valid: {0}").format(e), title=_("Working Hours")
		)


def get_limits(severity: str) -> dict[str, Limit]:
	settings = frappe.get_cached_doc(SETTINGS)
	try:
		limits = limits_from_rows(
			(row.severity, row.stage, row.limit_value, row.unit) for row in settings.time_limits
		)
	except LimitError as e:
		frappe.throw(_("Kesu Settings: a time limit is not valid: {0}").format(e), title=_("Time Limits"))
	return limits.get(severity, {})
