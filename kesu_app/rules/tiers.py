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
# level 3 (urgent) case goes to management at once. Every case is received at the front desk
# and raised to its severity's tier by an escalation, so the history shows it.
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


# why a complaint went up a tier (Complaint Escalation.reason_type)
MANUAL = "Manual"
BY_SEVERITY = "Severity"
OVERDUE = "Overdue"
NOT_SATISFIED = "Customer Not Satisfied"
# passed on by a regulator or a consumer association: raised at once to the tier the settings name
THIRD_PARTY = "Third Party"
REASON_TYPES = (MANUAL, BY_SEVERITY, OVERDUE, NOT_SATISFIED, THIRD_PARTY)


def is_escalation(old_tier: str | None, new_tier: str | None) -> bool:
	"""A move to a higher tier is an escalation; staying or going down is not."""
	if not old_tier or not new_tier:
		return False
	return tier_rank(new_tier) > tier_rank(old_tier)


def target_tier(
	current: str, severity: str, reason_type: str, third_party_tier: str = MANAGEMENT
) -> str | None:
	"""The tier an escalation should reach, or None when there is nowhere higher to go.

	By severity, the case goes to its severity's tier (an urgent case straight to management);
	a third party's case to the tier the settings name for them (``third_party_tier``); any
	other reason lifts it one tier.
	"""
	if reason_type == BY_SEVERITY:
		wanted = initial_tier(severity)
	elif reason_type == THIRD_PARTY:
		wanted = third_party_tier or MANAGEMENT
	else:
		return next_tier(current)
	return wanted if tier_rank(wanted) > tier_rank(current) else None


def filing_reason(
	current: str, severity: str, third_party: bool, third_party_tier: str = MANAGEMENT
) -> str | None:
	"""Why a case goes up as it is filed, if it does: a third party's case to the tier the settings
	name for them, unless its severity calls for a higher one; any other to its severity's tier."""
	by_severity = target_tier(current, severity, BY_SEVERITY)
	if third_party:
		by_third_party = target_tier(current, severity, THIRD_PARTY, third_party_tier)
		if by_third_party and (not by_severity or tier_rank(by_third_party) >= tier_rank(by_severity)):
			return THIRD_PARTY
	return BY_SEVERITY if by_severity else None


def choose_assignees(
	reports_to: str | None, department_head: str | None, role_holders: list[str], has_role
) -> list[str]:
	"""Who gets the case at the next tier: the handler's manager (Employee.reports_to), else
	the department's complaint manager, else everyone holding the tier's role. A person is
	only chosen if ``has_role(user)`` says they work that tier."""
	for user in (reports_to, department_head):
		if user and has_role(user):
			return [user]
	return sorted(set(role_holders))


def first_held_tier(target: str, is_held) -> tuple[str, list[str]]:
	"""The tier an escalation towards ``target`` should reach when tiers may stand empty: the
	first from ``target`` upward that ``is_held(tier)`` says someone works, and the empty tiers
	passed over on the way. When none above is held, ``target`` itself (a case parked at an
	empty tier is reported to the admin, see unheld tiers), with nothing passed over."""
	passed = []
	tier = target
	while tier:
		if is_held(tier):
			return tier, passed
		passed.append(tier)
		tier = next_tier(tier)
	return target, []
