"""Personal data: when a complaint may be anonymised, and the retention window."""

from __future__ import annotations

from datetime import datetime

from kesu_app.rules.personal_data import (
	ALREADY,
	OPEN,
	UNSETTLED,
	is_unsettled,
	refusal,
	retention_cutoff,
)


def test_open_cases_and_unsettled_compensation_are_refused():
	assert refusal("Investigating", False, 0) == OPEN
	assert refusal("Resolved", False, 0) == OPEN
	assert refusal("Closed", False, 1) == UNSETTLED
	assert refusal("Closed", True, 0) == ALREADY
	assert refusal("Closed", False, 0) is None
	assert refusal("Rejected", False, 0) is None


def test_unsettled_compensation():
	assert is_unsettled(0, "Pending", 0)
	assert not is_unsettled(0, "Rejected", 0)
	assert is_unsettled(1, "Approved", 0)
	assert not is_unsettled(1, "Approved", 1)
	assert not is_unsettled(2, "Approved", 0)


def test_retention_is_off_by_default_and_counts_days_back():
	now = datetime(2026, 11, 30, 3, 0)
	assert retention_cutoff(now, 0) is None
	assert retention_cutoff(now, None) is None
	assert retention_cutoff(now, 365) == datetime(2025, 11, 30, 3, 0)
