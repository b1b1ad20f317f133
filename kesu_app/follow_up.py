"""Follow-up (回访): what a resolved complaint schedules, the satisfaction survey, and the
reopening of a complaint whose customer is not satisfied."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.model.workflow import get_workflow, get_workflow_name
from frappe.utils import add_days, get_url, getdate, now_datetime

from kesu_app.escalation import apply_transition, can_escalate, escalate, save, transitions_now
from kesu_app.handover import people_for
from kesu_app.rules.privacy import survey_key_hash
from kesu_app.rules.tiers import NOT_SATISFIED
from kesu_app.system import as_system
from kesu_app.time_limits import get_calendar

RESULT_FEEDBACK = "Result Feedback"
REVISIT = "Post-Treatment Revisit"
SURVEY = "Satisfaction Survey"
REOPENED = "Reopened"
SURVEY_KEY_LENGTH = 32
FOLLOW_UP_ROLE = "Complaint Agent"


def schedule_after_resolution(complaint):
	"""The follow-ups Kesu Settings call for, on the list of the person of Follow-ups By (the
	front desk unless the settings say otherwise) who works the case. A result the customer
	already heard and answered (their feedback is recorded) is not fed back again."""
	settings = frappe.get_cached_doc("Kesu Settings")
	feedback_by = getdate(complaint.feedback_due) if complaint.feedback_due else None
	if not feedback_by:
		# no feedback limit for this severity: two working days, as the procedures ask
		calendar = get_calendar(complaint.company)
		feedback_by = getdate(calendar.add_working_days(now_datetime(), 2))
	plans = []
	if settings.schedule_result_feedback and not (complaint.customer_feedback or "").strip():
		plans.append((RESULT_FEEDBACK, feedback_by))
	if settings.send_satisfaction_survey:
		plans.append((SURVEY, feedback_by))
	if settings.revisit_after_days:
		plans.append((REVISIT, add_days(getdate(), settings.revisit_after_days)))
	made = []
	people = people_for(complaint, settings.follow_up_role or FOLLOW_UP_ROLE) if plans else []
	owner = people[0] if len(people) == 1 else None
	for follow_up_type, when in plans:
		if frappe.db.exists(
			"Follow-up",
			{"complaint": complaint.name, "follow_up_type": follow_up_type, "cycle": complaint.cycle or 1},
		):
			continue
		follow_up = frappe.get_doc(
			{
				"doctype": "Follow-up",
				"complaint": complaint.name,
				"follow_up_type": follow_up_type,
				"scheduled_date": when,
				"assigned_to": owner,
			}
		).insert(ignore_permissions=True)
		if people:
			add_assignment(
				{
					"doctype": "Follow-up",
					"name": follow_up.name,
					"assign_to": people,
					"date": when,
					"description": _("{0} for complaint {1}").format(_(follow_up_type), complaint.name),
				},
				ignore_permissions=True,
			)
		if follow_up_type == SURVEY:
			send_survey(follow_up, complaint, issue_survey_key(follow_up))
		made.append(follow_up.name)
	return made


def survey_url(key: str) -> str:
	return get_url(f"/satisfaction?key={key}")


def issue_survey_key(follow_up) -> str:
	"""A new survey key for the follow-up; only its hash is stored, and any link issued before
	stops working. The link lapses after Kesu Settings' Survey Link Valid For (Days)."""
	key = frappe.generate_hash(length=SURVEY_KEY_LENGTH)
	follow_up.db_set({"survey_key": survey_key_hash(key), "survey_sent_at": now_datetime()})
	return key


def send_survey(follow_up, complaint, key: str):
	if not complaint.contact_email:
		return  # staff send the link from the Follow-up by WeChat or SMS
	try:
		frappe.sendmail(
			recipients=[complaint.contact_email],
			subject=_("How did we handle your complaint {0}?").format(complaint.name),
			template="complaint_survey",
			args={"complaint": complaint, "url": survey_url(key)},
			reference_doctype="Follow-up",
			reference_name=follow_up.name,
		)
	except frappe.OutgoingEmailError:
		# a site without outgoing email still resolves complaints; staff send the link by hand
		follow_up.add_comment("Info", _("No outgoing email account: send the survey link by hand."))


@frappe.whitelist(methods=["POST"])
def get_survey_link(follow_up: str) -> str:
	"""The desk's Survey Link button: a new link for staff to send by WeChat or SMS. It is
	issued to whoever may edit the follow-up, logged on it, and replaces the link sent before."""
	doc = frappe.get_doc("Follow-up", follow_up)
	doc.check_permission("write")
	if doc.follow_up_type != SURVEY or doc.status != "Scheduled":
		frappe.throw(_("Only a scheduled satisfaction survey has a link to send."), title=_("Survey"))
	key = issue_survey_key(doc)
	doc.add_comment(
		"Info", _("Survey link issued to {0}; earlier links no longer work.").format(frappe.session.user)
	)
	return survey_url(key)


def reopen_complaint(name: str, reason: str, system: bool = False):
	"""An unsatisfied customer reopens the complaint as a new cycle, and lifts it a tier.

	Staff recording the answer reopen it through a workflow action their roles allow (a closed
	case only a supervisor may reopen); the customer's own survey answer is the app's step."""
	complaint = frappe.get_doc("Complaint", name)
	if complaint.status == REOPENED:
		return complaint
	complaint.flags.reopen_reason = reason
	with as_system(system):
		if not _apply_transition_to_status(complaint, REOPENED):
			if get_workflow_name(complaint.doctype):
				if system:
					return complaint  # the workflow has no way to reopen it from its state
				frappe.throw(
					_(
						"You may not reopen complaint {0} in its state {1}. Ask a supervisor to reopen it, then record the follow-up."
					).format(frappe.bold(name), frappe.bold(_(complaint.workflow_state))),
					frappe.PermissionError,
					title=_("Not Permitted"),
				)
			complaint.status = REOPENED
			save(complaint)
	with as_system():
		if can_escalate(complaint, NOT_SATISFIED):
			escalate(complaint, NOT_SATISFIED, reason, system=True)
	return complaint


def _apply_transition_to_status(doc, status: str) -> bool:
	if not get_workflow_name(doc.doctype):
		return False
	workflow = get_workflow(doc.doctype)
	states = {s.state for s in workflow.states if s.update_field == "status" and s.update_value == status}
	transition = next((t for t in transitions_now(doc, workflow) if t.next_state in states), None)
	if not transition:
		return False
	apply_transition(doc, workflow, transition.next_state)
	return True


def send_follow_up_reminders(today=None):
	"""Daily: remind whoever follows up today, and alert on overdue follow-ups, once each."""
	today = getdate(today)
	follow_up = frappe.qb.DocType("Follow-up")
	rows = (
		frappe.qb.from_(follow_up)
		.select(
			follow_up.name,
			follow_up.complaint,
			follow_up.follow_up_type,
			follow_up.scheduled_date,
			follow_up.assigned_to,
		)
		.where(
			(follow_up.status == "Scheduled")
			& (follow_up.scheduled_date <= today)
			& (follow_up.reminded_on.isnull() | (follow_up.reminded_on < today))
			& follow_up.assigned_to.isnotnull()
		)
		.run(as_dict=True)
	)
	from kesu_app.outbox import notify_users

	for row in rows:
		if getdate(row.scheduled_date) == today:
			subject = _("Follow-up due today: {0} for complaint {1}").format(
				_(row.follow_up_type), row.complaint
			)
		else:
			subject = _("Follow-up overdue since {0}: {1} for complaint {2}").format(
				frappe.format(row.scheduled_date, "Date"), _(row.follow_up_type), row.complaint
			)
		notify_users([row.assigned_to], "Follow-up", row.name, subject)
		frappe.db.set_value("Follow-up", row.name, "reminded_on", today, update_modified=False)
	return len(rows)
