"""The rule that tells which fields a workflow transition waits for."""

import pytest

from kesu_app.rules.conditions import fields_awaited


@pytest.mark.parametrize(
	("condition", "fields"),
	[
		("doc.findings", ["findings"]),
		("  doc.rejection_reason ", ["rejection_reason"]),
		("doc.resolution_summary and doc.customer_feedback", ["resolution_summary", "customer_feedback"]),
		("doc.findings and doc.findings", ["findings"]),
		('doc.severity == "Urgent"', None),
		("doc.findings or doc.notes", None),
		("not doc.findings", None),
		("doc.findings and frappe.session.user", None),
		("doc.get('findings')", None),
		("", None),
		(None, None),
	],
)
def test_only_plain_filled_in_conditions_name_their_fields(condition, fields):
	assert fields_awaited(condition) == fields
