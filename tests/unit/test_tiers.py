import pytest

from kesu_app.rules.tiers import (
	DEPARTMENT_MANAGER,
	FRONT_DESK,
	MANAGEMENT,
	SUPERVISOR,
	TierError,
	initial_tier,
	next_tier,
	tier_for_severity_change,
)


def test_initial_tier_by_severity():
	assert initial_tier("General") == FRONT_DESK
	assert initial_tier("Important") == SUPERVISOR
	assert initial_tier("Urgent") == MANAGEMENT
	with pytest.raises(TierError):
		initial_tier("Mild")


def test_next_tier_climbs_and_stops_at_the_top():
	assert next_tier(FRONT_DESK) == SUPERVISOR
	assert next_tier(SUPERVISOR) == DEPARTMENT_MANAGER
	assert next_tier(DEPARTMENT_MANAGER) == MANAGEMENT
	assert next_tier(MANAGEMENT) is None


def test_severity_change_never_lowers_the_tier():
	assert tier_for_severity_change(FRONT_DESK, "Urgent") == MANAGEMENT
	assert tier_for_severity_change(DEPARTMENT_MANAGER, "General") == DEPARTMENT_MANAGER


def test_escalation_is_a_rise_only():
	from kesu_app.rules.tiers import is_escalation

	assert is_escalation(FRONT_DESK, SUPERVISOR)
	assert is_escalation(FRONT_DESK, MANAGEMENT)
	assert not is_escalation(SUPERVISOR, SUPERVISOR)
	assert not is_escalation(MANAGEMENT, SUPERVISOR)
	assert not is_escalation(None, SUPERVISOR)


def test_target_tier_by_reason():
	from kesu_app.rules.tiers import BY_SEVERITY, MANUAL, NOT_SATISFIED, OVERDUE, target_tier

	# by severity: straight to the severity's tier, or nowhere if already there or above
	assert target_tier(FRONT_DESK, "Urgent", BY_SEVERITY) == MANAGEMENT
	assert target_tier(FRONT_DESK, "Important", BY_SEVERITY) == SUPERVISOR
	assert target_tier(FRONT_DESK, "General", BY_SEVERITY) is None
	assert target_tier(DEPARTMENT_MANAGER, "Important", BY_SEVERITY) is None
	# any other reason: one tier up
	for reason in (MANUAL, OVERDUE, NOT_SATISFIED):
		assert target_tier(FRONT_DESK, "Urgent", reason) == SUPERVISOR
		assert target_tier(MANAGEMENT, "General", reason) is None


def test_assignee_order_manager_then_department_then_role():
	from kesu_app.rules.tiers import choose_assignees

	supervisors = {"boss@x", "sup2@x"}
	has = supervisors.__contains__
	assert choose_assignees("boss@x", "head@x", ["sup2@x", "boss@x"], has) == ["boss@x"]
	# the handler's manager does not work this tier: the department's manager next
	assert choose_assignees("ceo@x", "sup2@x", ["sup2@x", "boss@x"], has) == ["sup2@x"]
	# nobody named: everyone with the role
	assert choose_assignees(None, None, ["sup2@x", "boss@x", "boss@x"], has) == ["boss@x", "sup2@x"]
	assert choose_assignees(None, None, [], has) == []


def test_first_held_tier_passes_over_empty_tiers():
	from kesu_app.rules.tiers import first_held_tier

	held = {SUPERVISOR, MANAGEMENT}.__contains__
	assert first_held_tier(SUPERVISOR, held) == (SUPERVISOR, [])
	assert first_held_tier(DEPARTMENT_MANAGER, held) == (MANAGEMENT, [DEPARTMENT_MANAGER])
	assert first_held_tier(SUPERVISOR, {MANAGEMENT}.__contains__) == (
		MANAGEMENT,
		[SUPERVISOR, DEPARTMENT_MANAGER],
	)
	# nobody above: the case stays at the tier asked for, and nothing is said to be passed over
	assert first_held_tier(DEPARTMENT_MANAGER, {SUPERVISOR}.__contains__) == (DEPARTMENT_MANAGER, [])
	assert first_held_tier(MANAGEMENT, lambda tier: False) == (MANAGEMENT, [])
