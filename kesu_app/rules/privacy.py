"""Patient privacy (保密): what a person who may not read contact details sees instead."""

from __future__ import annotations


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
