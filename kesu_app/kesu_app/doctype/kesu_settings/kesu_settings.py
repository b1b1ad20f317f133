# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_time

from kesu_app.rules.time_limits import Limit, LimitError
from kesu_app.rules.working_time import CalendarError, WorkingCalendar
from kesu_app.time_limits import clear_calendar_cache


class KesuSettings(Document):
	def validate(self):
		self.validate_working_hours()
		self.validate_extra_working_days()
		self.validate_time_limits()

	def on_update(self):
		clear_calendar_cache()

	def validate_working_hours(self):
		if not self.working_hours:
			frappe.throw(_("Add at least one working-hours window."), title=_("Working Hours"))
		try:
			WorkingCalendar.build(
				(row.weekday, get_time(row.start_time), get_time(row.end_time)) for row in self.working_hours
			)
		except CalendarError:
			frappe.throw(
				_("Working hours must end after they start and must not overlap on the same weekday."),
				title=_("Working Hours"),
			)

	def validate_extra_working_days(self):
		seen = set()
		for row in self.extra_working_days:
			if row.work_date in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice as a make-up working day.").format(
						row.idx, row.work_date
					),
					title=_("Make-up Working Days"),
				)
			seen.add(row.work_date)

	def validate_time_limits(self):
		seen = set()
		for row in self.time_limits:
			key = (row.severity, row.stage)
			if key in seen:
				frappe.throw(
					_("Row {0}: there is already a {1} limit for {2} complaints.").format(
						row.idx, _(row.stage, context="Complaint"), _(row.severity, context="Complaint")
					),
					title=_("Time Limits"),
				)
			seen.add(key)
			try:
				Limit(float(row.limit_value or 0), row.unit)
			except LimitError:
				frappe.throw(
					_(
						"Row {0}: a limit must not be negative, and working days must be a whole number."
					).format(row.idx),
					title=_("Time Limits"),
				)
