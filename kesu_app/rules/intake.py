"""Checks on complaints that arrive from outside the desk (the chat / social media API and the
website form): what a caller must send, and how much evidence it may attach.

Problems are returned as codes with their arguments, not raised: the Frappe side turns each code
into a translated message, so this stays importable without Frappe.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# the API user of a chat / social media integration: files complaints, has no desk
INTEGRATION_ROLE = "Complaint Intake Integration"

# the channels an integration may file under; desk-only channels (walk-in, phone) are not theirs
API_CHANNELS = ("Online Chat", "WeChat", "Social Media", "Website")

# what a customer may attach from outside: pictures, documents, short recordings
EVIDENCE_EXTENSIONS = {
	"jpg": "Photo",
	"jpeg": "Photo",
	"png": "Photo",
	"gif": "Photo",
	"webp": "Photo",
	"heic": "Photo",
	"pdf": "Other",
	"doc": "Other",
	"docx": "Other",
	"txt": "Chat Record",
	"mp3": "Call Recording",
	"m4a": "Call Recording",
	"amr": "Call Recording",
}

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,120}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()\-]{5,30}$")
# the shortest whole number a customer gives: a local landline without its area code
MIN_PHONE_DIGITS = 7


def is_phone(value: str) -> bool:
	"""Digits, spaces, brackets and dashes, an optional leading +, and enough digits to dial."""
	value = (value or "").strip()
	return bool(PHONE.match(value)) and sum(c.isdigit() for c in value) >= MIN_PHONE_DIGITS


MAX_LENGTH = {
	"customer_name": 140,
	"subject": 140,
	"description": 20_000,
	"customer_demand": 2_000,
	"contact_email": 140,
	"contact_phone": 30,
	"external_user_id": 140,
}


@dataclass
class Evidence:
	file_name: str
	content: bytes
	evidence_type: str
	description: str = ""


@dataclass
class Checked:
	values: dict = field(default_factory=dict)
	evidence: list[Evidence] = field(default_factory=list)
	problems: list[tuple[str, tuple]] = field(default_factory=list)

	def problem(self, code: str, *args):
		self.problems.append((code, args))


def _text(payload: dict, key: str) -> str:
	value = payload.get(key)
	if value is None:
		return ""
	return str(value).strip()


# a chat message may reach the integration late, but not weeks late: the clocks start from it
MAX_RECEIVED_AGE = timedelta(days=7)
FUTURE_TOLERANCE = timedelta(minutes=5)


def parse_received_at(value, now: datetime) -> tuple[datetime | None, str | None]:
	"""An integration's ``received_at``: the time and no problem, or None and the problem's code."""
	if value in (None, ""):
		return None, None
	try:
		when = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
	except ValueError:
		return None, "received_at_format"
	if when.tzinfo is not None:
		# the site's clock is naive and local; an offset would need the site's zone to convert
		return None, "received_at_format"
	if when > now + FUTURE_TOLERANCE:
		return None, "received_at_future"
	if when < now - MAX_RECEIVED_AGE:
		return None, "received_at_past"
	return when, None


def check_api_payload(
	payload: dict, max_files: int, max_file_bytes: int, now: datetime | None = None
) -> Checked:
	"""Validate one complaint sent by an integration. ``problems`` is empty when it may be filed."""
	checked = Checked()
	key = _text(payload, "idempotency_key")
	if not IDEMPOTENCY_KEY.match(key):
		checked.problem("idempotency_key")
	channel = _text(payload, "channel")
	if channel not in API_CHANNELS:
		checked.problem("channel", channel, API_CHANNELS)
	for required in ("customer_name", "subject", "description"):
		if not _text(payload, required):
			checked.problem("required", required)
	for name, limit in MAX_LENGTH.items():
		value = _text(payload, name)
		if len(value) > limit:
			checked.problem("too_long", name, limit)
		if value:
			checked.values[name] = value
	email, phone = _text(payload, "contact_email"), _text(payload, "contact_phone")
	if not email and not phone:
		checked.problem("unreachable")
	if email and not EMAIL.match(email):
		checked.problem("email", email)
	if phone and not is_phone(phone):
		checked.problem("phone", phone)
	checked.values["channel"] = channel
	checked.values["intake_key"] = key
	received_at, problem = parse_received_at(payload.get("received_at"), now or datetime.now())
	if problem:
		checked.problem(problem)
	elif received_at:
		checked.values["received_at"] = received_at
	checked.evidence = _check_evidence(payload.get("evidence") or [], max_files, max_file_bytes, checked)
	return checked


def _check_evidence(items, max_files: int, max_file_bytes: int, checked: Checked) -> list[Evidence]:
	if not isinstance(items, list):
		checked.problem("evidence_list")
		return []
	if max_files and len(items) > max_files:
		checked.problem("too_many_files", len(items), max_files)
		return []
	evidence = []
	for item in items:
		if not isinstance(item, dict):
			checked.problem("evidence_list")
			continue
		name = str(item.get("file_name") or "").strip()
		extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
		if extension not in EVIDENCE_EXTENSIONS or "/" in name or "\\" in name:
			checked.problem("file_type", name)
			continue
		try:
			content = base64.b64decode(str(item.get("content") or ""), validate=True)
		except (binascii.Error, ValueError):
			checked.problem("file_content", name)
			continue
		if not content:
			checked.problem("file_content", name)
			continue
		if max_file_bytes and len(content) > max_file_bytes:
			checked.problem("file_size", name, max_file_bytes)
			continue
		evidence.append(
			Evidence(
				file_name=name,
				content=content,
				evidence_type=EVIDENCE_EXTENSIONS[extension],
				description=str(item.get("description") or "").strip()[:140],
			)
		)
	return evidence


def evidence_type_for(file_name: str) -> str:
	"""The evidence type a file most likely is, from its extension."""
	extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
	return EVIDENCE_EXTENSIONS.get(extension, "Other")


def pick_letter(rows: list[dict], letter: str, languages: list[str]) -> dict | None:
	"""The template row of ``letter`` for the first of ``languages`` that has one, trying a
	regional code's base language too (zh-TW falls back to zh); else the letter's first row."""
	candidates = [row for row in rows if row.get("letter") == letter]
	if not candidates:
		return None
	wanted = []
	for language in languages:
		if not language:
			continue
		wanted.append(language.lower())
		base = language.split("-", 1)[0].lower()
		if base not in wanted:
			wanted.append(base)
	for language in wanted:
		for row in candidates:
			if (row.get("language") or "").lower() == language:
				return row
	return candidates[0]


# what a customer reads on the portal: internal steps (escalated, investigating...) are one
PUBLIC_STATUS = {
	"Open": "Logged",
	"Acknowledged": "Being Handled",
	"Investigating": "Being Handled",
	"Escalated": "Being Handled",
	"Resolution Proposed": "Being Handled",
	"Reopened": "Being Handled",
	"Awaiting Feedback": "Waiting for Your Reply",
	"Resolved": "Resolved",
	"Closed": "Closed",
	"Rejected": "Closed",
}


def public_status(status: str | None) -> str:
	return PUBLIC_STATUS.get(status or "", "Being Handled")
