"""Regulators' deadlines, major complaints and their timeline: the pure rules (#18)."""

from datetime import datetime, timedelta

from kesu_app.rules.major import (
	BY_CATEGORY,
	BY_COMPENSATION,
	BY_THIRD_PARTY,
	BY_URGENCY,
	MajorRules,
	major_reasons,
	timeline,
)
from kesu_app.rules.tiers import (
	BY_SEVERITY,
	DEPARTMENT_MANAGER,
	MANAGEMENT,
	SUPERVISOR,
	THIRD_PARTY,
	filing_reason,
	target_tier,
)
from kesu_app.rules.time_limits import (
	DEFAULT_LIMITS,
	STAGES_MET_BY_STATUS,
	at_least,
	compute_due_times,
	default_limit_rows,
	limits_from_rows,
)
from tests.unit.test_time_limits import clinic, dt

LIMITS = limits_from_rows(default_limit_rows())["General"]


def test_a_bodys_deadline_is_a_stage_and_tightens_the_stages_from_receipt():
	received = dt("2026-04-07 10:00")  # a Tuesday
	deadline = dt("2026-04-09 12:00")
	due = compute_due_times(received, LIMITS, clinic(), deadline=deadline)
	assert due["third_party"] == deadline
	assert due["acknowledgement"] == dt("2026-04-08 10:00")  # 24 h: earlier, kept
	assert due["investigation"] == deadline  # 3 working days: brought forward
	assert due["resolution"] == deadline
	assert due["feedback"] is None  # runs from resolution


def test_without_a_deadline_nothing_changes_and_feedback_is_left_alone():
	received = dt("2026-04-07 10:00")
	plain = compute_due_times(received, LIMITS, clinic())
	assert plain["third_party"] is None
	resolved = dt("2026-04-08 10:00")
	with_deadline = compute_due_times(received, LIMITS, clinic(), resolved_at=resolved, deadline=resolved)
	assert (
		with_deadline["feedback"]
		== compute_due_times(received, LIMITS, clinic(), resolved_at=resolved)["feedback"]
	)


def test_the_bodys_deadline_is_met_when_the_result_is_given():
	assert "third_party" in STAGES_MET_BY_STATUS["Awaiting Feedback"]
	assert "third_party" not in STAGES_MET_BY_STATUS["Resolution Proposed"]


def test_a_severity_is_at_least_the_categorys():
	assert at_least("General", "Important") == "Important"
	assert at_least("Urgent", "Important") == "Urgent"
	assert at_least(None, "Urgent") == "Urgent"
	assert at_least("General", None) == "General"
	assert set(DEFAULT_LIMITS) == {"General", "Important", "Urgent"}


def test_a_third_partys_case_goes_to_the_tier_the_settings_name():
	assert target_tier("Front Desk", "General", THIRD_PARTY) == MANAGEMENT
	assert target_tier("Front Desk", "General", THIRD_PARTY, SUPERVISOR) == SUPERVISOR
	assert target_tier(MANAGEMENT, "General", THIRD_PARTY) is None


def test_a_case_goes_up_at_filing_for_its_third_party_or_its_severity_whichever_is_higher():
	assert filing_reason("Front Desk", "General", False) is None
	assert filing_reason("Front Desk", "Important", False) == BY_SEVERITY
	assert filing_reason("Front Desk", "General", True) == THIRD_PARTY
	# the same tier either way: the third party is named
	assert filing_reason("Front Desk", "Urgent", True, MANAGEMENT) == THIRD_PARTY
	# an urgent case goes to management though third parties go to a department manager
	assert filing_reason("Front Desk", "Urgent", True, DEPARTMENT_MANAGER) == BY_SEVERITY
	assert filing_reason("Front Desk", "Important", True, DEPARTMENT_MANAGER) == THIRD_PARTY
	assert filing_reason("Front Desk", "Important", True, SUPERVISOR) == THIRD_PARTY
	assert filing_reason(MANAGEMENT, "Urgent", True) is None


def test_what_makes_a_case_major():
	rules = MajorRules(if_urgent=True, if_third_party=True, compensation_above=1000)
	assert major_reasons(rules, "General", False, 0, False) == []
	assert major_reasons(rules, "Urgent", False, 0, False) == [(BY_URGENCY, ())]
	assert major_reasons(rules, "General", True, 0, False) == [(BY_CATEGORY, ())]
	assert major_reasons(rules, "General", False, 1000, False) == []  # above, not at
	assert major_reasons(rules, "General", False, 1000.01, False) == [(BY_COMPENSATION, (1000,))]
	assert major_reasons(rules, "General", False, 0, True) == [(BY_THIRD_PARTY, ())]
	off = MajorRules(if_urgent=False, if_third_party=False, compensation_above=0)
	assert major_reasons(off, "Urgent", False, 10**9, True) == []


def test_the_timeline_tells_the_history_in_order():
	received = datetime(2026, 4, 7, 10, 0)
	events = timeline(
		received,
		"Phone",
		[{"escalated_at": received, "from_tier": "Front Desk", "to_tier": "Management", "reason": "Urgent"}],
		[
			{
				"label": "Acknowledgement",
				"due": "d1",
				"met_at": received + timedelta(hours=2),
				"breached_at": None,
			},
			{
				"label": "Resolution",
				"due": "d2",
				"met_at": received + timedelta(days=9),
				"breached_at": received + timedelta(days=7),
			},
		],
		[{"at": received + timedelta(days=8), "type": "Refund", "amount": "¥500", "status": "Approved"}],
		[
			{
				"at": received + timedelta(days=10),
				"type": "Result Feedback",
				"status": "Satisfied",
				"rating": None,
			}
		],
		received + timedelta(days=11),
	)
	assert [e.kind for e in events] == [
		"Received",
		"Escalated",
		"Stage Met",
		"Stage Breached",
		"Compensation",
		"Stage Met",
		"Follow-up",
		"Closed",
	]
	assert events[1].detail == "Front Desk → Management · Urgent"
	assert events[4].detail == "Refund · ¥500 · Approved"
