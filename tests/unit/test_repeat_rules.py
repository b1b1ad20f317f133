"""Repeat complaints: the windows and thresholds of kesu_app/rules/repeats.py, at their boundaries."""

from __future__ import annotations

from datetime import datetime

from kesu_app.rules.repeats import (
	CUSTOMER,
	PRACTITIONER,
	SERVICE,
	RepeatSettings,
	phone_key,
	raised_severity,
	repeat_rules,
	window_start,
)

RECEIVED = datetime(2026, 6, 30, 9, 15)


def in_window(earlier: datetime, days: int) -> bool:
	return window_start(RECEIVED, days) <= earlier <= RECEIVED


def test_day_n_is_in_the_window_and_day_n_plus_one_is_not():
	assert in_window(datetime(2026, 4, 1, 0, 0), 90)  # 90 calendar days before, first minute
	assert in_window(datetime(2026, 4, 1, 23, 59), 90)
	assert not in_window(datetime(2026, 3, 31, 23, 59), 90)  # day 91
	assert window_start(RECEIVED, 0) == datetime(2026, 6, 30)


def test_customer_rule_needs_one_earlier_complaint():
	settings = RepeatSettings()
	assert repeat_rules({CUSTOMER: 0}, settings) == []
	assert repeat_rules({CUSTOMER: 1}, settings) == [CUSTOMER]


def test_practitioner_and_service_rules_fire_at_k_not_k_minus_one():
	settings = RepeatSettings(practitioner_count=3, item_count=4)
	# this complaint and K - 2 earlier ones make K - 1: no flag
	assert repeat_rules({PRACTITIONER: 1, SERVICE: 2}, settings) == []
	# this complaint and K - 1 earlier ones make K
	assert repeat_rules({PRACTITIONER: 2, SERVICE: 3}, settings) == [PRACTITIONER, SERVICE]


def test_a_threshold_of_one_or_less_still_needs_an_earlier_complaint():
	settings = RepeatSettings(practitioner_count=1)
	assert repeat_rules({PRACTITIONER: 0}, settings) == []
	assert repeat_rules({PRACTITIONER: 1}, settings) == [PRACTITIONER]


def test_switched_off_nothing_is_a_repeat():
	assert repeat_rules({CUSTOMER: 5, PRACTITIONER: 9}, RepeatSettings(enabled=False)) == []


def test_a_repeat_raises_severity_one_step_only_when_set():
	on = RepeatSettings(raise_severity=True)
	assert raised_severity("General", [CUSTOMER], RepeatSettings()) is None
	assert raised_severity("General", [CUSTOMER], on) == "Important"
	assert raised_severity("Important", [SERVICE], on) == "Urgent"
	assert raised_severity("Urgent", [SERVICE], on) is None
	assert raised_severity("General", [], on) is None


def test_phone_key_ignores_country_code_and_spacing():
	assert phone_key("+86 138 0013 8000") == phone_key("13800138000") == "13800138000"
	assert phone_key("138-0013-8000") == "13800138000"
	assert phone_key("") == phone_key(None) == phone_key("12") == ""
