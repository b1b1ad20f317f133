"""Escalation tiers (升级): front desk → supervisor → department manager → management."""

from __future__ import annotations

FRONT_DESK = "Front Desk"
SUPERVISOR = "Supervisor"
DEPARTMENT_MANAGER = "Department Manager"
MANAGEMENT = "Management"
TIERS = (FRONT_DESK, SUPERVISOR, DEPARTMENT_MANAGER, MANAGEMENT)

# the role that works each tier; Frappe role names, created at install
TIER_ROLES = {
	FRONT_DESK: "Complaint Agent",
	SUPERVISOR: "Complaint Supervisor",
	DEPARTMENT_MANAGER: "Complaint Department Manager",
	MANAGEMENT: "Complaint Management",
}

# Level 1 (general) is answered by the front desk, level 2 (important) by a supervisor, and a
# level 3 (urgent) case goes to management at once.
INITIAL_TIER = {"General": FRONT_DESK, "Important": SUPERVISOR, "Urgent": MANAGEMENT}


class TierError(ValueError):
	pass


def tier_rank(tier: str) -> int:
	try:
		return TIERS.index(tier)
	except ValueError:
		raise TierError(f"unknown tier {tier!r}") from None


def initial_tier(severity: str) -> str:
	try:
		return INITIAL_TIER[severity]
	except KeyError:
		raise TierError(f"unknown severity {severity!r}") from None


def next_tier(tier: str) -> str | None:
	"""The tier above, or None at the top."""
	rank = tier_rank(tier)
	return TIERS[rank + 1] if rank + 1 < len(TIERS) else None


def tier_for_severity_change(current: str, severity: str) -> str:
	"""Raising the severity lifts the case to at least that severity's tier; never lowers it."""
	wanted = initial_tier(severity)
	return wanted if tier_rank(wanted) > tier_rank(current) else current
