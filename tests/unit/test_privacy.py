from datetime import datetime, timedelta

import pytest

from kesu_app.rules.privacy import (
	SURVEY_ANSWERED,
	SURVEY_EXPIRED,
	SURVEY_OPEN,
	SURVEY_SUPERSEDED,
	email_address,
	intake_key,
	is_same_address,
	mask_phone,
	survey_key_hash,
	survey_state,
)


def test_mainland_mobile_keeps_head_and_tail():
	assert mask_phone("13800138000") == "138****8000"


def test_country_code_is_kept():
	assert mask_phone("+86 138 0013 8000") == "+86138****8000"


def test_short_and_empty_numbers():
	assert mask_phone("12345") == "***45"
	assert mask_phone("") == ""
	assert mask_phone(None) == ""
	assert mask_phone("ext") == ""


def test_mask_hides_the_middle_digits():
	masked = mask_phone("020-8888-1234")
	assert "8888" not in masked and masked.endswith("1234")


@pytest.mark.parametrize(
	"sender, contact, same",
	[
		("Li Na <LI.NA@Example.com>", "li.na@example.com", True),
		("li.na@example.com", " Li.Na@example.com ", True),
		('"Mallory" <mallory@example.com>', "li.na@example.com", False),
		("li.na@example.com", None, False),
		("", "", False),
	],
)
def test_an_email_is_the_customers_only_from_their_address(sender, contact, same):
	assert is_same_address(sender, contact) is same


def test_email_address_is_bare_and_lower_case():
	assert email_address("Wang <Wang@Clinic.CN>") == "wang@clinic.cn"


def test_idempotency_keys_are_per_caller():
	assert intake_key("a@x", "msg-1") == intake_key("a@x", "msg-1")
	assert intake_key("a@x", "msg-1") != intake_key("b@x", "msg-1")
	assert len(intake_key("a@x", "msg-1")) == 64


def test_survey_key_hash_is_not_the_key():
	key = "k" * 32
	assert survey_key_hash(key) != key and len(survey_key_hash(key)) == 64


NOW = datetime(2026, 11, 29, 12, 0)


@pytest.mark.parametrize(
	"issued_days_ago, valid_days, answered, survey_cycle, complaint_cycle, state",
	[
		(0, 30, False, 1, 1, SURVEY_OPEN),
		(30, 30, False, 1, 1, SURVEY_OPEN),  # the last day still counts
		(31, 30, False, 1, 1, SURVEY_EXPIRED),
		(400, 0, False, 1, 1, SURVEY_OPEN),  # 0: never lapses
		(0, 30, True, 1, 1, SURVEY_ANSWERED),
		(0, 30, False, 1, 2, SURVEY_SUPERSEDED),
		(0, 30, False, 0, 1, SURVEY_OPEN),  # an unset cycle is the first
	],
)
def test_survey_state(issued_days_ago, valid_days, answered, survey_cycle, complaint_cycle, state):
	issued = NOW - timedelta(days=issued_days_ago)
	assert survey_state(issued, NOW, valid_days, answered, survey_cycle, complaint_cycle) == state


def test_a_survey_never_issued_lapses_when_links_lapse():
	assert survey_state(None, NOW, 30, False, 1, 1) == SURVEY_EXPIRED
