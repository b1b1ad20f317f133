"""Whether a workflow lets every time-limit stage be met, in its turn, by whoever holds the case.

A case filed as Important or Urgent is escalated at once. If the state it lands in offers no way
to answer the customer short of proposing a resolution, its first-response and acknowledgement
limits (hours) can only be met together with the investigation (days): the workflow has made
them impossible. This walks the workflow as data, for each severity.
"""

from __future__ import annotations

import re
from collections import deque

from kesu_app.rules.tiers import BY_SEVERITY, FRONT_DESK, TIER_ROLES, target_tier
from kesu_app.rules.time_limits import STAGE_KEYS, stages_met_by_status

# the order in which a case meets its stages: answered, then decided, then fed back
STAGE_GROUPS = (
	("first_response", "acknowledgement"),
	("investigation", "resolution"),
	("feedback", "third_party"),
)
TIER_FIELD, STATUS_FIELD = "current_tier", "status"
ESCALATED = "Escalated"
_SEVERITY_TEST = re.compile(r"""^\s*doc\.severity\s*==\s*["']([A-Za-z ]+)["']\s*$""")


def condition_allows(condition: str | None, severity: str) -> bool:
	"""A condition on the severity is judged; any other (fields to fill in) can be met."""
	match = _SEVERITY_TEST.match(condition or "")
	return match.group(1) == severity if match else True


def state_status(state: dict) -> str | None:
	if state.get("update_field") == STATUS_FIELD:
		return state.get("update_value")
	if state.get("update_field") == TIER_FIELD:
		return ESCALATED
	return None


def start_state(states: list[dict], severity: str) -> str:
	"""Where a new case of this severity stands once filed (escalated at once if its tier is higher)."""
	tier = target_tier(FRONT_DESK, severity, BY_SEVERITY)
	if tier:
		for state in states:
			if state.get("update_field") == TIER_FIELD and state.get("update_value") == tier:
				return state["state"]
	return states[0]["state"]


def _group_of(stage: str) -> int:
	return next(i for i, group in enumerate(STAGE_GROUPS) if stage in group)


def _in_turn(met: frozenset, newly: set) -> bool:
	"""A step may meet only stages of the earliest group not yet met in full."""
	if not newly:
		return True
	earliest = next(i for i, group in enumerate(STAGE_GROUPS) if not set(group) <= met)
	return all(_group_of(stage) == earliest for stage in newly)


def stages_in_turn(
	states: list[dict], transitions: list[dict], severity: str, answer_in_escalation: bool = True
) -> tuple[bool, list[str]]:
	"""Whether a path exists on which every stage is met in its turn, each step taken by the
	role that holds the case (the state's editing role) or by the front desk on its behalf;
	and the actions of one such path. ``answer_in_escalation``: an escalated case may record
	its first response without leaving its state (Record First Response)."""
	by_name = {state["state"]: state for state in states}
	front_desk = TIER_ROLES[FRONT_DESK]
	start = start_state(states, severity)
	begin = (start, frozenset())
	seen, queue = {begin}, deque([(begin, [])])
	while queue:
		(name, met), path = queue.popleft()
		if met >= set(STAGE_KEYS):
			return True, path
		state = by_name[name]
		moves = []
		if answer_in_escalation and state_status(state) == ESCALATED:
			moves.append(("Record First Response", name, set(STAGE_GROUPS[0])))
		holder = state.get("allow_edit")
		for transition in transitions:
			if transition["state"] != name or transition["allowed"] not in (holder, front_desk):
				continue
			if not condition_allows(transition.get("condition"), severity):
				continue
			target = by_name.get(transition["next_state"])
			if target:
				moves.append(
					(transition["action"], target["state"], set(stages_met_by_status(state_status(target))))
				)
		for action, target, stages in moves:
			newly = stages - met
			if not _in_turn(met, newly):
				continue
			key = (target, met | newly)
			if key not in seen:
				seen.add(key)
				queue.append((key, [*path, action]))
	return False, []


# where a case goes aside from its way forward: up a tier, refused, or back to the start
ASIDE = (ESCALATED, "Rejected", "Reopened")


def next_steps(states: list[dict], transitions: list[dict], state: str) -> list[tuple[str, str]]:
	"""The (action, role) pairs that move a case in ``state`` forward, in the workflow's order:
	who acts next. Escalating, rejecting and reopening are ways aside, open to whoever holds
	the case at any time; a transition's condition (fields to fill in first) does not make it
	less the next step."""
	status_of = {s["state"]: state_status(s) for s in states}
	steps = []
	for transition in transitions:
		if transition["state"] != state or status_of.get(transition["next_state"]) in ASIDE:
			continue
		step = (transition["action"], transition["allowed"])
		if step not in steps:
			steps.append(step)
	return steps
