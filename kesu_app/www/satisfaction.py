import frappe
from frappe import _

from kesu_app.survey import find_survey

no_cache = 1


def get_context(context):
	key = frappe.form_dict.get("key")
	survey = find_survey(key)
	context.no_cache = 1
	context.title = _("How did we do?")
	context.key = key if survey else ""
	context.state = "invalid" if not survey else ("answered" if survey.survey_answered_at else "open")
	context.complaint = survey.complaint if survey else None
	return context
