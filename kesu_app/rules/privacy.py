"""Patient privacy (保密): what a person who may not read contact details sees instead."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta


def mask_phone(phone: str | None) -> str:
	"""Keep the first three and last four digits: "+86 138 0013 8000" -> "+86138****8000".

	Short numbers keep only their last two digits; no digits gives an empty string.
	"""
	if not phone:
		return ""
	digits = [c for c in phone if c.isdigit()]
	prefix = "+" if phone.strip().startswith("+") else ""
	if len(digits) >= 8:
		keep_head = 3 + (2 if prefix and len(digits) > 11 else 0)
		return (
			prefix + "".join(digits[:keep_head]) + "*" * (len(digits) - keep_head - 4) + "".join(digits[-4:])
		)
	if len(digits) >= 3:
		return prefix + "*" * (len(digits) - 2) + "".join(digits[-2:])
	return "*" * len(digits)


def email_address(sender: str | None) -> str:
	"""The bare, lower-case address of a sender: "Li Na <LI@x.cn>" -> "li@x.cn"."""
	if not sender:
		return ""
	match = re.search(r"<([^<>\s]+@[^<>\s]+)>", sender)
	address = match.group(1) if match else sender
	return address.strip().strip('"').lower()


def is_same_address(sender: str | None, contact: str | None) -> bool:
	"""Whether an email came from the complaint's own contact address."""
	return bool(contact) and email_address(sender) == email_address(contact)


def intake_key(user: str, key: str) -> str:
	"""The stored idempotency key: one caller's key never finds another caller's complaint."""
	return hashlib.sha256(f"{user}\n{key}".encode()).hexdigest()


def survey_key_hash(key: str) -> str:
	"""Only a hash of a survey key is stored: whoever reads the Follow-up cannot answer for the customer."""
	return hashlib.sha256(key.encode()).hexdigest()


SURVEY_OPEN, SURVEY_EXPIRED, SURVEY_ANSWERED, SURVEY_SUPERSEDED = "open", "expired", "answered", "superseded"


def survey_state(
	issued_at: datetime | None,
	now: datetime,
	valid_days: int,
	answered: bool,
	survey_cycle: int,
	complaint_cycle: int,
) -> str:
	"""What a survey link can still do: be answered, or say why not. A link belongs to the cycle it
	was sent in (a reopened complaint is asked again), and lapses ``valid_days`` after it was
	issued (0: never)."""
	if answered:
		return SURVEY_ANSWERED
	if (survey_cycle or 1) != (complaint_cycle or 1):
		return SURVEY_SUPERSEDED
	if valid_days and (issued_at is None or now > issued_at + timedelta(days=valid_days)):
		return SURVEY_EXPIRED
	return SURVEY_OPEN
