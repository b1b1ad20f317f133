"""The time-limit alerts of a run, delivered together: a system notification (the bell) for
each person and complaint, written in one statement, and one email per person listing their
complaints, in their own language, for those whose Notification Settings allow email.

Frappe never emails a Notification Log of type Alert, so the email is the app's own.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import set_notifications_as_unseen
from frappe.query_builder import DocType
from frappe.utils import format_datetime

from kesu_app import bulk
from kesu_app.rules.alerts import WARN
from kesu_app.time_limits import stage_label
from kesu_app.untrusted import escape

EMAIL_ROWS = 50


def alert_text(kind: str, name: str, subject: str, stage: str, due) -> str:
	if kind == WARN:
		return _("Complaint {0} ({1}): {2} is due at {3}.").format(
			name, subject, stage_label(stage), format_datetime(due)
		)
	return _("Complaint {0} ({1}) is overdue: {2} was due at {3}.").format(
		name, subject, stage_label(stage), format_datetime(due)
	)


class Outbox:
	def __init__(self):
		# (users, complaint, its subject, WARN | BREACH, stage, due)
		self.alerts: list[tuple] = []

	def extend(self, alerts: list[tuple]):
		self.alerts += alerts

	def send(self):
		if not self.alerts:
			return
		by_user: dict[str, list[tuple]] = {}
		notifications = []
		for users, name, subject, kind, stage, due in self.alerts:
			notifications.append((users, "Complaint", name, alert_text(kind, name, subject, stage, due)))
			for user in users:
				by_user.setdefault(user, []).append((name, subject, kind, stage, due))
		write_notifications(notifications)
		self.email(by_user)

	def email(self, by_user: dict[str, list[tuple]]):
		from kesu_app.digests import send_mail, user_language

		if not can_send_email():
			return  # the bell has them; no error every 15 minutes on a site that sends no email
		for user in email_recipients(list(by_user)):
			rows = sorted(by_user[user], key=lambda row: (row[2] == WARN, str(row[4])))
			overdue = sum(1 for row in rows if row[2] != WARN)
			with user_language(user):
				lines = [
					{
						"name": name,
						"subject": subject,
						"overdue": kind != WARN,
						"text": alert_text(kind, name, subject, stage, due),
					}
					for name, subject, kind, stage, due in rows[:EMAIL_ROWS]
				]
				if not send_mail(
					failure=_("Time-limit alert emails need an outgoing email account"),
					recipients=[user],
					subject=_("Complaint time limits: {0} overdue, {1} due soon").format(
						overdue, len(rows) - overdue
					),
					template="complaint_time_limit_alerts",
					args={"rows": lines, "total": len(rows)},
				):
					return  # the bell has them; told once per run


def notify_users(users: list[str], doctype: str, name: str, subject: str):
	"""A system notification (the bell) for each user. Frappe never emails an Alert."""
	write_notifications([(users, doctype, name, subject)])


def write_notifications(notifications: list[tuple]):
	"""Notification Logs of type Alert, ``(users, doctype, name, subject)`` each, in one
	statement, then what a log's after_insert does, once per person instead of once per log.
	A subject is plain text, escaped here: the bell shows it as HTML, and it quotes customers."""
	logs = [
		{
			"for_user": user,
			"type": "Alert",
			"subject": escape(subject),
			"email_content": escape(subject),
			"document_type": doctype,
			"document_name": name,
			"from_user": "Administrator",
		}
		for users, doctype, name, subject in notifications
		for user in users
	]
	bulk.insert("Notification Log", logs)
	for user in sorted({log["for_user"] for log in logs}):
		set_notifications_as_unseen(user)
		frappe.publish_realtime("notification", after_commit=True, user=user)


def can_send_email() -> bool:
	"""Whether the site has an outgoing email account (or a mail server in its config)."""
	return bool(frappe.conf.get("mail_server")) or bool(
		frappe.get_all("Email Account", filters={"enable_outgoing": 1}, limit=1)
	)


def email_recipients(users: list[str]) -> list[str]:
	"""Enabled users whose Notification Settings (where they have any) allow email."""
	user, settings = DocType("User"), DocType("Notification Settings")
	return (
		frappe.qb.from_(user)
		.left_join(settings)
		.on(settings.name == user.name)
		.select(user.name)
		.where(
			user.name.isin(users)
			& (user.enabled == 1)
			& user.email.isnotnull()
			& (
				settings.name.isnull()
				| ((settings.enabled == 1) & (settings.enable_email_notifications == 1))
			)
		)
		.orderby(user.name)
		.run(pluck=True)
	)
