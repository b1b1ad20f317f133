"""The satisfaction survey a customer answers from a link, without logging in."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, get_datetime, now_datetime

from kesu_app.rules.privacy import (
	SURVEY_ANSWERED,
	SURVEY_EXPIRED,
	SURVEY_OPEN,
	SURVEY_SUPERSEDED,
	survey_key_hash,
	survey_state,
)
from kesu_app.system import as_system

KEY_LENGTH = 32
MAX_REASON = 1000


def find_survey(key: str | None):
	"""The Follow-up a survey key belongs to, with what its link can still do (``state``).
	Keys are long random strings, checked strictly; only their hash is stored."""
	if not key or len(key) != KEY_LENGTH or not key.isalnum():
		return None
	survey = frappe.db.get_value(
		"Follow-up",
		{"survey_key": survey_key_hash(key), "follow_up_type": "Satisfaction Survey"},
		["name", "complaint", "cycle", "survey_sent_at", "survey_answered_at", "status"],
		as_dict=True,
	)
	if not survey:
		return None
	survey.state = survey_state(
		get_datetime(survey.survey_sent_at) if survey.survey_sent_at else None,
		now_datetime(),
		cint(frappe.db.get_single_value("Kesu Settings", "survey_link_days")),
		bool(survey.survey_answered_at) or survey.status != "Scheduled",
		cint(survey.cycle),
		cint(frappe.db.get_value("Complaint", survey.complaint, "cycle")),
	)
	return survey


def is_staff(user: str) -> bool:
	return user != "Guest" and frappe.db.get_value("User", user, "user_type") == "System User"


def closed_message(state: str) -> str:
	"""What the customer is told when a link can no longer be answered."""
	if state == SURVEY_EXPIRED:
		return _("This survey link has expired. Please contact us if you would like to tell us more.")
	if state == SURVEY_SUPERSEDED:
		return _(
			"This survey link is no longer valid: your complaint was reopened. We will ask you again once it is settled."
		)
	return _("This survey has been answered already. Thank you!")


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def submit_survey(key: str, rating: int, satisfied: int | str, reason: str | None = None):
	if is_staff(frappe.session.user):
		# the answer is the customer's: staff record what a customer told them on the Follow-up
		frappe.throw(
			_("Staff cannot answer a customer's survey. Record what the customer said on the Follow-up."),
			frappe.PermissionError,
			title=_("Survey"),
		)
	survey = find_survey(key)
	if not survey:
		frappe.throw(_("This survey link is not valid."), title=_("Survey"))
	if survey.state != SURVEY_OPEN:
		frappe.throw(closed_message(survey.state), title=_("Survey"))
	rating = cint(rating)
	if not 1 <= rating <= 5:
		frappe.throw(_("Choose from one to five stars."), title=_("Survey"))
	is_satisfied = str(satisfied).lower() in ("1", "true", "yes")
	with as_system():
		follow_up = frappe.get_doc("Follow-up", survey.name, for_update=True)
		if follow_up.survey_answered_at:
			frappe.throw(closed_message(SURVEY_ANSWERED), title=_("Survey"))
		follow_up.flags.customer_answer = True
		follow_up.update(
			{
				"outcome": "Satisfied" if is_satisfied else "Not Satisfied",
				"satisfaction_rating": rating / 5,
				"satisfaction_reason": (reason or "").strip()[:MAX_REASON],
				"channel": "Survey Link",
				"survey_answered_at": now_datetime(),
				"status": "Done",
				"done_by": "Guest",
			}
		)
		follow_up.save(ignore_permissions=True)
	return {"answered": True}
