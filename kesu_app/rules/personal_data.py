"""Personal data (个人信息, PIPL / GDPR): when a complaint's personal data may be removed, and what is.

Anonymising keeps a complaint's statistics (category, dates, severity, time-limit results,
amounts, the practitioner and service it concerns) and removes who the customer is and what
they wrote: name, phone, email, medical details, evidence files and free text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# what an anonymised text field holds (Frappe's Personal Data Deletion Request writes the same)
REDACTED = "[REDACTED]"
CLOSED_STATUSES = frozenset({"Closed", "Rejected"})

# why a complaint cannot be anonymised (None: it can)
OPEN, UNSETTLED, ALREADY = "open", "unsettled", "already"

# the complaint's fields emptied, and those overwritten with REDACTED (a title must show something)
COMPLAINT_CLEARED = (
	"contact_phone",
	"contact_phone_masked",
	"contact_phone_key",
	"contact_email",
	"external_user_id",
	"description",
	"customer_demand",
	"customer_feedback",
	"findings",
	"resolution_summary",
	"rejection_reason",
	"repeat_cases",
	"third_party_reference",
	"no_fault_reason",
)
COMPLAINT_REDACTED = ("customer_name", "subject")
# the fields of the records that belong to a complaint
FOLLOW_UP_CLEARED = ("notes", "satisfaction_reason", "contact_email", "survey_key")
FOLLOW_UP_REDACTED = ("customer_name",)
COMPENSATION_CLEARED = ("description", "contact_email", "signed_settlement")
COMPENSATION_REDACTED = ("customer_name",)
MEDICAL_CLEARED = ("medical_details",)
MEDICAL_REDACTED = ("subject",)
# a major complaint's special report: what was found and the harm done are the patient's story;
# the cause, the responsibility, the actions and the lessons are the clinic's, and stay
MAJOR_REPORT_CLEARED = ("facts", "harm", "impact_notes", "responsibility_notes")
MAJOR_REPORT_REDACTED = ("subject",)
EVIDENCE_CLEARED = ("attachment",)
EVIDENCE_REDACTED = ("description",)


def is_unsettled(docstatus: int, approval_status: str | None, settlement_signed: int | bool) -> bool:
	"""A compensation still owed or still being decided: proposed and awaiting approval, or approved
	and not yet signed for by the customer (nothing is paid before the settlement is signed)."""
	if docstatus == 0:
		return approval_status == "Pending"
	if docstatus == 1:
		return approval_status == "Approved" and not settlement_signed
	return False  # cancelled


def refusal(status: str | None, anonymised: bool, unsettled: int) -> str | None:
	"""Why a complaint may not be anonymised now, or None when it may."""
	if anonymised:
		return ALREADY
	if status not in CLOSED_STATUSES:
		return OPEN
	if unsettled:
		return UNSETTLED
	return None


def retention_cutoff(now: datetime, days: int | None) -> datetime | None:
	"""Complaints closed before this moment are past their retention; None: retention is off."""
	if not days or int(days) <= 0:
		return None
	return now - timedelta(days=int(days))
