"""Every time-limit stage can be met, in its turn, by whoever holds the case: checked on the
workflow the app ships, for each severity."""

from __future__ import annotations

import json

import pytest

from kesu_app.rules.time_limits import SEVERITIES
from kesu_app.rules.workflow_paths import condition_allows, stages_in_turn, start_state
from tests.app_files import MODULE


def shipped():
	workflow = json.loads((MODULE / "workflow" / "complaint_escalation.json").read_text())["workflow"]
	return workflow["states"], workflow["transitions"]


@pytest.mark.parametrize("severity", SEVERITIES)
def test_every_stage_can_be_met_in_its_turn(severity):
	states, transitions = shipped()
	possible, path = stages_in_turn(states, transitions, severity)
	assert possible, severity
	# answered first: by acknowledging at the front desk, or from the tier the case went to
	assert path[0] == ("Acknowledge" if severity == "General" else "Record First Response")
	assert "Propose Resolution" in path and "Send to Customer" in path


def test_cases_escalated_at_filing_start_at_their_tier():
	states, _ = shipped()
	assert start_state(states, "General") == "New"
	assert start_state(states, "Important") == "Escalated to Supervisor"
	assert start_state(states, "Urgent") == "Escalated to Management"


@pytest.mark.parametrize("severity", ["Important", "Urgent"])
def test_without_answering_in_escalation_the_first_limits_are_out_of_reach(severity):
	"""What the checker is for: the shipped workflow alone lets an escalated case answer only by
	proposing a resolution, which meets the first stages together with the investigation."""
	states, transitions = shipped()
	assert stages_in_turn(states, transitions, severity, answer_in_escalation=False) == (False, [])


def test_a_workflow_whose_holder_has_no_action_fails():
	states, transitions = shipped()
	# the supervisor's state can no longer propose a resolution (only Management could)
	crippled = [
		t for t in transitions if not (t["state"] == "Escalated to Supervisor" and t["action"] != "Escalate")
	]
	crippled = [t for t in crippled if not (t["state"] == "Escalated to Department Manager")]
	assert stages_in_turn(states, crippled, "Important")[0] is False


@pytest.mark.parametrize(
	"condition, severity, allowed",
	[
		('doc.severity == "Urgent"', "Urgent", True),
		('doc.severity == "Urgent"', "General", False),
		("doc.findings", "General", True),
		(None, "Important", True),
	],
)
def test_conditions(condition, severity, allowed):
	assert condition_allows(condition, severity) is allowed


@pytest.mark.parametrize(
	"state, steps",
	[
		("New", [("Acknowledge", "Complaint Agent")]),
		("Investigating", [("Propose Resolution", "Complaint Agent")]),
		("Escalated to Supervisor", [("Propose Resolution", "Complaint Supervisor")]),
		("Resolution Proposed", [("Send to Customer", "Complaint Agent")]),
		("Awaiting Customer Feedback", [("Customer Accepts", "Complaint Agent")]),
		("Resolved", [("Close", "Complaint Supervisor")]),
		("Reopened", [("Acknowledge", "Complaint Agent"), ("Start Investigation", "Complaint Agent")]),
		("Closed", []),
		("Rejected", []),
	],
)
def test_next_steps_are_the_way_forward(state, steps):
	from kesu_app.rules.workflow_paths import next_steps

	assert next_steps(*shipped(), state) == steps
