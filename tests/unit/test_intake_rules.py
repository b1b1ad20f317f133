"""The checks on complaints from outside the desk, and the choice of a letter's language."""

from __future__ import annotations

import base64
from datetime import datetime

import pytest

from kesu_app.rules.intake import (
	API_CHANNELS,
	PUBLIC_STATUS,
	check_api_payload,
	evidence_type_for,
	is_phone,
	parse_received_at,
	pick_letter,
	public_status,
)

PHOTO = base64.b64encode(b"\x89PNG fake image bytes").decode()


def payload(**values) -> dict:
	return {
		"idempotency_key": "wechat-msg-0001",
		"channel": "WeChat",
		"customer_name": " Sun Li ",
		"contact_phone": "+86 139 0000 1111",
		"subject": "Swelling after filler",
		"description": "Swelling has not gone down.",
		**values,
	}


def codes(checked) -> list[str]:
	return [code for code, _ in checked.problems]


def test_a_good_payload_passes_with_trimmed_values():
	checked = check_api_payload(
		payload(evidence=[{"file_name": "a.JPG", "content": PHOTO}]), max_files=5, max_file_bytes=1024
	)
	assert checked.problems == []
	assert checked.values["customer_name"] == "Sun Li" and checked.values["intake_key"] == "wechat-msg-0001"
	[evidence] = checked.evidence
	assert evidence.evidence_type == "Photo" and evidence.content.startswith(b"\x89PNG")


@pytest.mark.parametrize(
	"change, code",
	[
		({"idempotency_key": "short"}, "idempotency_key"),
		({"idempotency_key": "has spaces in it"}, "idempotency_key"),
		({"idempotency_key": None}, "idempotency_key"),
		({"channel": "Walk-in"}, "channel"),
		({"channel": ""}, "channel"),
		({"subject": "   "}, "required"),
		({"description": None}, "required"),
		({"subject": "x" * 141}, "too_long"),
		({"contact_phone": ""}, "unreachable"),
		({"contact_email": "nobody"}, "email"),
		({"contact_phone": "call me"}, "phone"),
		({"contact_phone": "12345"}, "phone"),
		({"contact_phone": "+86 (10) --"}, "phone"),
		({"evidence": "not a list"}, "evidence_list"),
		({"evidence": ["not an object"]}, "evidence_list"),
		({"evidence": [{"file_name": "virus.exe", "content": PHOTO}]}, "file_type"),
		({"evidence": [{"file_name": "../etc/passwd.txt", "content": PHOTO}]}, "file_type"),
		({"evidence": [{"file_name": "a.png", "content": "***"}]}, "file_content"),
		({"evidence": [{"file_name": "a.png", "content": ""}]}, "file_content"),
		(
			{"evidence": [{"file_name": "a.png", "content": base64.b64encode(b"x" * 2048).decode()}]},
			"file_size",
		),
		({"evidence": [{"file_name": f"{i}.png", "content": PHOTO} for i in range(6)]}, "too_many_files"),
	],
)
def test_bad_payloads_are_refused_with_a_reason(change, code):
	checked = check_api_payload(payload(**change), max_files=5, max_file_bytes=1024)
	assert code in codes(checked)


def test_every_problem_is_reported_at_once():
	checked = check_api_payload({"channel": "Phone"}, max_files=5, max_file_bytes=1024)
	assert {"idempotency_key", "channel", "required", "unreachable"} <= set(codes(checked))
	assert len([c for c in codes(checked) if c == "required"]) == 3


def test_zero_limits_mean_no_limit():
	big = base64.b64encode(b"x" * 10_000).decode()
	items = [{"file_name": f"{i}.pdf", "content": big} for i in range(8)]
	assert check_api_payload(payload(evidence=items), max_files=0, max_file_bytes=0).problems == []


def test_integrations_cannot_file_as_desk_channels():
	assert "Walk-in" not in API_CHANNELS and "Phone" not in API_CHANNELS and "WeChat" in API_CHANNELS


def test_evidence_type_follows_the_extension():
	assert evidence_type_for("scan.PDF") == "Other"
	assert evidence_type_for("IMG_001.heic") == "Photo"
	assert evidence_type_for("voice.amr") == "Call Recording"
	assert evidence_type_for("no-extension") == "Other"


ROWS = [
	{"letter": "Acknowledgement Letter", "language": "zh", "email_template": "ack zh"},
	{"letter": "Acknowledgement Letter", "language": "en", "email_template": "ack en"},
	{"letter": "Resolution Letter", "language": "en", "email_template": "res en"},
]


@pytest.mark.parametrize(
	"letter, languages, expected",
	[
		("Acknowledgement Letter", ["zh", "en"], "ack zh"),
		("Acknowledgement Letter", ["en", "zh"], "ack en"),
		("Acknowledgement Letter", ["zh-TW", "en"], "ack zh"),  # a regional code falls back to its language
		("Acknowledgement Letter", ["fr", "en"], "ack en"),  # else the system language
		("Acknowledgement Letter", [None, "de"], "ack zh"),  # else the letter's first row
		("Resolution Letter", ["zh", "zh"], "res en"),
	],
)
def test_the_letter_follows_the_customers_language(letter, languages, expected):
	assert pick_letter(ROWS, letter, languages)["email_template"] == expected


def test_no_row_no_letter():
	assert pick_letter(ROWS[:2], "Resolution Letter", ["en"]) is None


def test_customers_read_a_plain_status():
	assert public_status("Escalated") == public_status("Investigating") == "Being Handled"
	assert public_status("Open") == "Logged" and public_status("Rejected") == "Closed"
	assert public_status(None) == "Being Handled"
	statuses = "Open Acknowledged Investigating Escalated Resolved Closed Rejected Reopened".split()
	assert set(statuses) <= set(PUBLIC_STATUS)


@pytest.mark.parametrize(
	("value", "ok"),
	[
		("+86 138 0013 8000", True),
		("13800138000", True),
		("(010) 6552-8888", True),
		("6552888", True),
		("655288", False),
		("12345", False),
		("call me", False),
		("+86 138 0013 8000 ext", False),
		("", False),
		(None, False),
	],
)
def test_a_phone_number_has_enough_digits_to_dial(value, ok):
	assert is_phone(value) is ok


NOW = datetime(2026, 11, 29, 12, 0)


@pytest.mark.parametrize(
	"value, problem",
	[
		("2026-11-29 10:00:00", None),
		("2026-11-29T10:00", None),
		("2026-11-22 12:00:00", None),  # seven days is the limit
		("2026-11-22 11:59:00", "received_at_past"),
		("2020-01-01 10:00:00", "received_at_past"),
		("2026-11-29 12:04:00", None),  # a clock a little ahead
		("2026-11-29 12:06:00", "received_at_future"),
		("2026-13-45 10:00:00", "received_at_format"),
		("yesterday", "received_at_format"),
		("2026-11-29T10:00:00+08:00", "received_at_format"),
		(12345, "received_at_format"),
	],
)
def test_received_at_is_checked(value, problem):
	when, found = parse_received_at(value, NOW)
	assert found == problem
	assert (when is None) == (problem is not None)


def test_no_received_at_is_now():
	assert parse_received_at(None, NOW) == (None, None)
	assert parse_received_at("", NOW) == (None, None)


def test_a_bad_received_at_is_a_problem_of_the_payload():
	checked = check_api_payload(
		{
			"idempotency_key": "wechat-msg-1234",
			"channel": "WeChat",
			"customer_name": "Sun",
			"subject": "Pain",
			"description": "Pain",
			"contact_phone": "13900001111",
			"received_at": "2020-01-01 10:00:00",
		},
		max_files=5,
		max_file_bytes=1024,
		now=NOW,
	)
	assert ("received_at_past", ()) in checked.problems
