import pytest

from kesu_app.rules.compensation import (
	SETTLED_WITH,
	TYPES,
	CompensationError,
	can_approve,
	proportional_rates,
	refundable,
	required_tier,
)


def test_tier_by_amount_with_inclusive_limits():
	assert required_tier(1, 500, 5000) == "Supervisor"
	assert required_tier(500, 500, 5000) == "Supervisor"
	assert required_tier(500.01, 500, 5000) == "Department Manager"
	assert required_tier(5000, 500, 5000) == "Department Manager"
	assert required_tier(5000.01, 500, 5000) == "Management"


def test_bad_amounts_and_limits():
	for amount in (0, -1):
		with pytest.raises(CompensationError):
			required_tier(amount, 500, 5000)
	with pytest.raises(CompensationError):
		required_tier(100, 6000, 5000)


def test_higher_tiers_may_approve_lower_amounts():
	assert can_approve(["Management"], "Supervisor")
	assert can_approve(["Supervisor", "Department Manager"], "Department Manager")
	assert not can_approve(["Supervisor"], "Department Manager")
	assert not can_approve(["Front Desk"], "Supervisor")
	assert not can_approve([], "Supervisor")


def test_refund_cap_counts_earlier_and_pending_refunds():
	assert refundable(1000, 0) == 1000
	assert refundable(1000, -300) == 700
	assert refundable(1000, 300, 200) == 500
	assert refundable(1000, 900, 200) == 0


def test_proportional_rates():
	assert proportional_rates([600, 400], 1000, 250) == [150, 100]
	with pytest.raises(CompensationError):
		proportional_rates([0], 0, 10)


def test_every_type_has_its_erpnext_document():
	assert set(SETTLED_WITH) == set(TYPES)
