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
