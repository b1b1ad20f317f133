import frappe
from frappe import _

from kesu_app.rules.privacy import SURVEY_OPEN
from kesu_app.survey import closed_message, find_survey

no_cache = 1


def get_context(context):
	key = frappe.form_dict.get("key")
	survey = find_survey(key)
	context.no_cache = 1
	context.title = _("How did we do?")
	context.key = key if survey and survey.state == SURVEY_OPEN else ""
	context.state = "invalid" if not survey else ("open" if survey.state == SURVEY_OPEN else "closed")
	context.closed_message = closed_message(survey.state) if survey and survey.state != SURVEY_OPEN else ""
	context.complaint = survey.complaint if survey else None
	return context
