"""The shipped escalation Workflow against the Complaint doctype and the tier rules."""

from __future__ import annotations

import json

from kesu_app.rules.tiers import TIER_ROLES, TIERS, tier_rank
from kesu_app.rules.time_limits import STAGES_MET_BY_STATUS
from tests.app_files import MODULE, doctype_fields, schema

DEFINITION = json.loads((MODULE / "workflow" / "complaint_escalation.json").read_text())
WORKFLOW = DEFINITION["workflow"]
STATES = {s["state"]: s for s in WORKFLOW["states"]}


def test_workflow_fields_exist_in_both_majors():
	for key in WORKFLOW:
		if key != "doctype":
			assert key in schema()["doctypes"]["Workflow"]["fields"], key
	for state in WORKFLOW["states"]:
		assert set(state) <= set(schema()["doctypes"]["Workflow Document State"]["fields"])
	for transition in WORKFLOW["transitions"]:
		assert set(transition) <= set(schema()["doctypes"]["Workflow Transition"]["fields"])


def test_states_actions_and_roles_referenced_exist():
	declared_states = {s["workflow_state_name"] for s in DEFINITION["workflow_states"]}
	assert set(STATES) == declared_states
	for transition in WORKFLOW["transitions"]:
		assert transition["state"] in STATES, transition
		assert transition["next_state"] in STATES, transition
		assert transition["action"] in DEFINITION["workflow_actions"], transition
		assert transition["allowed"] in TIER_ROLES.values(), transition
	for state in WORKFLOW["states"]:
		assert state["allow_edit"] in TIER_ROLES.values()
		assert state["doc_status"] == "0"  # Complaint is not submittable


def test_state_fields_and_values_are_valid_on_complaint():
	complaint = doctype_fields("Complaint")
	assert complaint[WORKFLOW["workflow_state_field"]]["options"] == "Workflow State"
	for state in WORKFLOW["states"]:
		field = complaint[state["update_field"]]
		assert state["update_value"] in field["options"].split("\n"), state


def test_every_state_is_reachable_and_closed_is_reached():
	reached, frontier = {WORKFLOW["states"][0]["state"]}, [WORKFLOW["states"][0]["state"]]
	while frontier:
		current = frontier.pop()
		for transition in WORKFLOW["transitions"]:
			if transition["state"] == current and transition["next_state"] not in reached:
				reached.add(transition["next_state"])
				frontier.append(transition["next_state"])
	assert reached == set(STATES)


def test_escalation_states_climb_one_tier_at_a_time_except_urgent():
	tier_of = {
		s["state"]: s["update_value"] for s in WORKFLOW["states"] if s["update_field"] == "current_tier"
	}
	assert set(tier_of.values()) == set(TIERS[1:])
	for transition in WORKFLOW["transitions"]:
		target = tier_of.get(transition["next_state"])
		source = tier_of.get(transition["state"], TIERS[0])
		if target and tier_rank(target) - tier_rank(source) > 1:
			# only an urgent case may skip tiers, straight to management
			assert transition.get("condition") == 'doc.severity == "Urgent"', transition


def test_closing_needs_a_summary_and_feedback_and_rejecting_a_reason():
	for transition in WORKFLOW["transitions"]:
		status = STATES[transition["next_state"]]["update_value"]
		if status == "Closed":
			assert (
				"resolution_summary" in transition["condition"]
				and "customer_feedback" in transition["condition"]
			)
		if status == "Rejected":
			assert "rejection_reason" in transition["condition"]


def test_front_desk_cannot_close_or_reject():
	agent = TIER_ROLES["Front Desk"]
	for transition in WORKFLOW["transitions"]:
		if STATES[transition["next_state"]]["update_value"] in ("Closed", "Rejected"):
			assert transition["allowed"] != agent, transition


def test_statuses_the_workflow_sets_are_known_to_the_time_limit_rules():
	statuses = {s["update_value"] for s in WORKFLOW["states"] if s["update_field"] == "status"}
	complaint_statuses = set(doctype_fields("Complaint")["status"]["options"].split("\n"))
	assert statuses <= complaint_statuses
	assert set(STAGES_MET_BY_STATUS) <= complaint_statuses
