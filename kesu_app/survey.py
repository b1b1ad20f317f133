"""The satisfaction survey a customer answers from a link, without logging in."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, now_datetime

from kesu_app.system import as_system

KEY_LENGTH = 32
MAX_REASON = 1000


def find_survey(key: str | None):
	"""The Follow-up a survey key belongs to; keys are long random strings, checked strictly."""
	if not key or len(key) != KEY_LENGTH or not key.isalnum():
		return None
	return frappe.db.get_value(
		"Follow-up",
		{"survey_key": key, "follow_up_type": "Satisfaction Survey"},
		["name", "complaint", "customer_name", "survey_answered_at"],
		as_dict=True,
	)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def submit_survey(key: str, rating: int, satisfied: int | str, reason: str | None = None):
	survey = find_survey(key)
	if not survey:
		frappe.throw(_("This survey link is not valid."), title=_("Survey"))
	if survey.survey_answered_at:
		frappe.throw(_("This survey has been answered already. Thank you!"), title=_("Survey"))
	rating = cint(rating)
	if not 1 <= rating <= 5:
		frappe.throw(_("Choose from one to five stars."), title=_("Survey"))
	is_satisfied = str(satisfied).lower() in ("1", "true", "yes")
	with as_system():
		follow_up = frappe.get_doc("Follow-up", survey.name, for_update=True)
		if follow_up.survey_answered_at:
			frappe.throw(_("This survey has been answered already. Thank you!"), title=_("Survey"))
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
