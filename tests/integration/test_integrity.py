"""Money, the workflow and the archive hold against a hostile browser: every attempt below is a
real request through Frappe's HTTP stack, as a staff member calling the document API from the
browser console would make it, and each asserts the refusal and that nothing changed."""

from __future__ import annotations

import base64
import json
import re
import uuid

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.utils import add_to_date, now_datetime  # noqa: E402
from frappe.utils.password import update_password  # noqa: E402

from tests.integration.factories import (  # noqa: E402
	AGENT,
	DIRECTOR,
	SUPERVISOR,
	complaint,
	make_user,
)
from tests.integration.http_client import Http, api_keys, as_json  # noqa: E402
from tests.integration.test_security import delete_complaints  # noqa: E402

SYSTEM_MANAGER = "kesu.sysmanager@example.com"
PASSWORD = "Kesu-Test-Pa55!"
PNG = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


def scan() -> bytes:
	"""A scan of its own: Frappe shares one file among uploads of the same content."""
	return PNG + uuid.uuid4().bytes


@pytest.fixture(scope="module")
def world(site, masters):
	frappe.set_user("Administrator")
	make_user(SYSTEM_MANAGER, ["System Manager", "Complaint Supervisor"])
	users = (AGENT, SUPERVISOR, DIRECTOR, SYSTEM_MANAGER)
	for user in users:
		frappe.db.set_value("User", user, "enabled", 1)  # the System Manager is disabled again at the end
		update_password(user, PASSWORD)
	keys = {user: api_keys(user) for user in users}
	settings = frappe.get_single("Kesu Settings")
	kept = {
		field: settings.get(field)
		for field in (
			"approval_limit_supervisor",
			"approval_limit_department_manager",
			"submit_erpnext_documents",
		)
	}
	settings.update(
		{
			"approval_limit_supervisor": 500,
			"approval_limit_department_manager": 5000,
			"submit_erpnext_documents": 0,
		}
	)
	settings.save(ignore_permissions=True)
	made = []
	doc = frappe.get_doc(
		complaint(masters, received_at=add_to_date(now_datetime(), hours=-1), sales_invoice=None)
	)
	doc.insert(ignore_permissions=True)
	made.append(doc.name)
	frappe.db.commit()
	world = frappe._dict(
		auth=keys, complaint=doc.name, made=made, compensations=[], http=Http(frappe.local.site)
	)
	yield world

	frappe.db.rollback()
	frappe.set_user("Administrator")
	settings = frappe.get_single("Kesu Settings")
	settings.update(kept)
	settings.save(ignore_permissions=True)
	frappe.db.set_value("User", SYSTEM_MANAGER, "enabled", 0)  # other modules count tier holders
	frappe.db.delete(
		"File", {"attached_to_doctype": "Compensation", "attached_to_name": ("in", world.compensations)}
	)
	for name in world.compensations:
		for doctype in ("Coupon Code", "Pricing Rule", "Journal Entry", "Sales Order"):
			frappe.db.delete(
				doctype,
				{"kesu_compensation": name}
				if doctype != "Pricing Rule"
				else {"title": ("like", f"%{name}%")},
			)
		frappe.db.delete("Compensation Approval", {"parent": name})
		frappe.db.delete("Compensation", {"name": name})
	delete_complaints(world.made)
	frappe.db.commit()


def file_complaint(world, masters, **values) -> str:
	"""A complaint filed an hour ago, committed for the requests to see, deleted at the end."""
	doc = frappe.get_doc(
		complaint(masters, received_at=add_to_date(now_datetime(), hours=-1), sales_invoice=None, **values)
	)
	doc.insert(ignore_permissions=True)
	world.made.append(doc.name)
	frappe.db.commit()
	return doc.name


def stored(doctype, name, field):
	Http.fresh()
	return frappe.db.get_value(doctype, name, field)


def propose(world, user=AGENT, **values):
	response = world.http.post(
		"/api/resource/Compensation",
		world.auth[user],
		{"complaint": world.complaint, "compensation_type": "Free Service", "amount": 100, **values},
	)
	if response.status == 200:
		world.compensations.append(response.message["name"])
	return response


def doc_method(world, user, doctype, name, method, **args):
	return world.http.doc_method(world.auth[user], doctype, name, method, **args)


# --- 1. approval by amount, on the server ------------------------------------------------------


def test_a_proposer_cannot_approve_by_writing_the_status(world):
	response = propose(world, SUPERVISOR, amount=100000, approval_status="Approved", approved_by=SUPERVISOR)
	assert response.status == 200, response
	name = response.message["name"]
	Http.fresh()
	row = frappe.db.get_value(
		"Compensation", name, ["approval_status", "approved_by", "required_tier", "proposed_by"], as_dict=True
	)
	assert (row.approval_status, row.approved_by) == ("Pending", None)
	assert row.required_tier == "Management" and row.proposed_by == SUPERVISOR


def test_a_compensation_is_not_submitted_through_the_document_api(world):
	name = propose(world, SUPERVISOR, amount=100000).message["name"]
	for response in (
		world.http.put(f"/api/resource/Compensation/{name}", world.auth[SUPERVISOR], {"docstatus": 1}),
		world.http.call(
			"frappe.client.submit",
			world.auth[SUPERVISOR],
			doc=json.dumps(
				{**frappe.get_doc("Compensation", name).as_dict(), "approval_status": "Approved"}, default=str
			),
		),
	):
		assert response.refused, response
	assert stored("Compensation", name, "docstatus") == 0
	assert not frappe.db.get_value("Compensation", name, "erpnext_document")


def test_approve_decides_on_the_stored_amount_not_the_one_sent(world):
	name = propose(world, AGENT, amount=100000).message["name"]
	sent = {**frappe.get_doc("Compensation", name).as_dict(), "amount": 100, "required_tier": "Supervisor"}
	response = world.http.call(
		"run_doc_method",
		world.auth[SUPERVISOR],
		docs=json.dumps(sent, default=str),
		method="approve",
		args=json.dumps({}),
	)
	assert response.refused and "Management" in response.text
	assert stored("Compensation", name, "docstatus") == 0
	assert frappe.db.get_value("Compensation", name, "amount") == 100000


def test_a_proposer_who_names_someone_else_still_cannot_approve(world):
	name = propose(world, SUPERVISOR, amount=100, proposed_by=DIRECTOR).message["name"]
	assert stored("Compensation", name, "proposed_by") == SUPERVISOR
	response = doc_method(world, SUPERVISOR, "Compensation", name, "approve")
	assert response.refused
	assert stored("Compensation", name, "approval_status") == "Pending"


def test_the_tier_the_amount_requires_approves(world):
	name = propose(world, AGENT, amount=3000).message["name"]
	assert doc_method(world, SUPERVISOR, "Compensation", name, "approve").refused
	assert stored("Compensation", name, "docstatus") == 0
	response = doc_method(world, DIRECTOR, "Compensation", name, "approve")
	assert response.status == 200, response
	Http.fresh()
	row = frappe.db.get_value("Compensation", name, ["docstatus", "approved_by"], as_dict=True)
	assert row.docstatus == 1 and row.approved_by == DIRECTOR


def test_marking_signed_needs_a_file_of_this_compensation(world):
	name = propose(world, AGENT, amount=100).message["name"]
	assert doc_method(world, SUPERVISOR, "Compensation", name, "approve").status == 200
	elsewhere = (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{uuid.uuid4().hex[:6]}.png",
				"content": scan(),
				"is_private": 1,
			}
		)
		.insert(ignore_permissions=True)
		.file_url
	)
	frappe.db.commit()
	for response in (
		doc_method(world, SUPERVISOR, "Compensation", name, "mark_signed", signed_settlement=elsewhere),
		world.http.put(
			f"/api/resource/Compensation/{name}",
			world.auth[SUPERVISOR],
			{"settlement_signed": 1, "signed_settlement": elsewhere},
		),
	):
		assert response.refused, response
	assert not stored("Compensation", name, "settlement_signed")
	frappe.db.delete("File", {"file_url": elsewhere})
	frappe.db.commit()


def test_two_vouchers_without_a_customer_get_random_distinct_codes(world, masters):
	walk_in = file_complaint(world, masters, customer=None, customer_name="Walk-in guest")
	codes = []
	for _ in range(2):
		response = world.http.post(
			"/api/resource/Compensation",
			world.auth[AGENT],
			{"complaint": walk_in, "compensation_type": "Gift or Voucher", "amount": 50},
		)
		assert response.status == 200, response
		name = response.message["name"]
		world.compensations.append(name)
		assert doc_method(world, SUPERVISOR, "Compensation", name, "approve").status == 200
		Http.fresh()
		coupon = frappe.db.get_value("Compensation", name, "erpnext_document")
		codes.append(frappe.db.get_value("Coupon Code", coupon, "coupon_code"))
	assert len(set(codes)) == 2
	assert all(len(code) >= 12 and code.isalnum() for code in codes)
	assert not any(code.startswith("COMP") for code in codes)


# --- 2. server-kept fields ---------------------------------------------------------------------


def forged_value(doctype: str, field: str):
	"""A value of the field's type that the server would never have written."""
	df = frappe.get_meta(doctype).get_field(field)
	if df.fieldtype == "Datetime":
		return "2031-01-01 10:00:00"
	if df.fieldtype == "Check":
		return 1
	if df.fieldtype in ("Int", "Float", "Currency"):
		return 7
	if df.fieldtype == "Select":
		return [option for option in (df.options or "").split("\n") if option][-1]
	if df.fieldtype == "Link" and df.options == "User":
		return DIRECTOR
	if df.fieldtype == "Link":
		return frappe.db.get_value(df.options, {}, "name") or "forged"
	return "forged-by-the-client"


def complaint_server_fields():
	from kesu_app.kesu_app.doctype.complaint.complaint import SERVER_FIELDS

	return sorted(SERVER_FIELDS)


def compensation_server_fields():
	from kesu_app.kesu_app.doctype.compensation.compensation import SERVER_FIELDS

	return sorted(SERVER_FIELDS)


@pytest.mark.parametrize("field", complaint_server_fields())
def test_a_server_kept_complaint_field_is_put_back(world, field):
	before = stored("Complaint", world.complaint, field)
	response = world.http.put(
		f"/api/resource/Complaint/{world.complaint}",
		world.auth[AGENT],
		{field: forged_value("Complaint", field)},
	)
	assert response.status in (200, 417), response
	after = stored("Complaint", world.complaint, field)
	assert str(after) == str(before), field


def test_history_rows_are_the_servers(world):
	response = world.http.put(
		f"/api/resource/Complaint/{world.complaint}",
		world.auth[AGENT],
		{
			"escalations": [
				{
					"from_tier": "Front Desk",
					"to_tier": "Management",
					"reason_type": "Manual",
					"reason": "forged",
				}
			]
		},
	)
	assert response.status == 200, response
	Http.fresh()
	assert not frappe.get_all("Complaint Escalation", filters={"parent": world.complaint, "reason": "forged"})


def test_status_follows_the_workflow_state(world):
	response = world.http.put(
		f"/api/resource/Complaint/{world.complaint}", world.auth[AGENT], {"status": "Resolved"}
	)
	assert stored("Complaint", world.complaint, "status") == "Open", response


@pytest.mark.parametrize("values", [{"status": "Closed"}, {"workflow_state": "Closed", "status": "Closed"}])
def test_no_complaint_is_filed_already_closed(world, masters, values):
	payload = complaint(
		masters, received_at=add_to_date(now_datetime(), hours=-1), sales_invoice=None, **values
	)
	payload.pop("doctype")
	response = world.http.post("/api/resource/Complaint", world.auth[AGENT], payload)
	if response.status == 200:
		world.made.append(response.message["name"])
		assert stored("Complaint", response.message["name"], "status") == "Open"
	else:
		assert response.refused


@pytest.mark.parametrize("field", compensation_server_fields())
def test_a_server_kept_compensation_field_is_put_back(world, field):
	name = propose(world, AGENT, amount=3000).message["name"]
	before = stored("Compensation", name, field)
	world.http.put(
		f"/api/resource/Compensation/{name}", world.auth[AGENT], {field: forged_value("Compensation", field)}
	)
	assert str(stored("Compensation", name, field)) == str(before), field


@pytest.mark.parametrize("field", compensation_server_fields())
def test_a_server_kept_compensation_field_is_not_taken_at_insert(world, field):
	forged = forged_value("Compensation", field)
	response = propose(world, AGENT, amount=3000, **{field: forged})
	assert response.status in (200, 417), response
	if response.status == 200:
		value = stored("Compensation", response.message["name"], field)
		# the tier an amount of 3,000 requires happens to be the last option; anything else is the server's
		assert str(value) != str(forged) or field == "required_tier", field


# --- 3. the closed case is an archive ----------------------------------------------------------


@pytest.fixture
def closed(world, masters):
	name = file_complaint(world, masters)
	frappe.db.set_value(
		"Complaint",
		name,
		{
			"workflow_state": "Closed",
			"status": "Closed",
			"closed_at": now_datetime(),
			"resolution_summary": "Refunded.",
			"customer_feedback": "Accepted.",
		},
	)
	frappe.db.commit()
	return name


@pytest.mark.parametrize("user", [AGENT, SUPERVISOR, DIRECTOR, SYSTEM_MANAGER])
def test_nobody_edits_a_closed_complaint(world, closed, user):
	response = world.http.put(
		f"/api/resource/Complaint/{closed}",
		world.auth[user],
		{"description": "rewritten", "findings": "none"},
	)
	assert response.refused, response
	assert "rewritten" not in (stored("Complaint", closed, "description") or "")


def test_a_closed_complaint_changes_only_by_reopening(world, closed):
	# a reopen that also rewrites the findings is refused...
	response = world.http.put(
		f"/api/resource/Complaint/{closed}",
		world.auth[SUPERVISOR],
		{"workflow_state": "Reopened", "status": "Reopened", "findings": "rewritten"},
	)
	assert response.refused
	assert stored("Complaint", closed, "status") == "Closed"
	# ...the workflow's Reopen is not, and keeps the history as an earlier cycle
	response = world.http.call(
		"frappe.model.workflow.apply_workflow",
		world.auth[SUPERVISOR],
		doc=json.dumps(frappe.get_doc("Complaint", closed).as_dict(), default=str),
		action="Reopen",
	)
	assert response.status == 200, response
	assert stored("Complaint", closed, "status") == "Reopened"
	assert frappe.db.count("Complaint Cycle", {"parent": closed}) == 1


def test_comments_and_attachments_still_join_a_closed_complaint(world, closed):
	comment = world.http.call(
		"frappe.desk.form.utils.add_comment",
		world.auth[AGENT],
		reference_doctype="Complaint",
		reference_name=closed,
		content="Customer called to say thanks",
		comment_email=AGENT,
		comment_by=AGENT,
	)
	assert comment.status == 200, comment


def test_a_system_manager_unlocks_only_by_the_logged_action(world, closed):
	refused = world.http.call(
		"kesu_app.kesu_app.doctype.complaint.complaint.unlock_archive",
		world.auth[SUPERVISOR],
		name=closed,
		reason="typo",
	)
	assert refused.refused
	unlocked = world.http.call(
		"kesu_app.kesu_app.doctype.complaint.complaint.unlock_archive",
		world.auth[SYSTEM_MANAGER],
		name=closed,
		reason="Correct the customer's name, misspelt",
	)
	assert unlocked.status == 200, unlocked
	Http.fresh()
	notes = frappe.get_all(
		"Comment", filters={"reference_name": closed, "comment_type": "Info"}, pluck="content"
	)
	assert any("misspelt" in note and SYSTEM_MANAGER in note for note in notes)
	response = world.http.put(
		f"/api/resource/Complaint/{closed}", world.auth[SYSTEM_MANAGER], {"customer_name": "Wang Fang"}
	)
	assert response.status == 200, response
	frappe.cache.delete_value(f"kesu_app:unlocked:{closed}")


# --- 4. every tier can answer in time ----------------------------------------------------------


@pytest.mark.parametrize(
	"severity, tier, holder", [("Important", "Supervisor", SUPERVISOR), ("Urgent", "Management", DIRECTOR)]
)
@pytest.mark.parametrize("by_front_desk", [False, True])
def test_a_case_escalated_at_filing_records_its_first_response(
	world, masters, severity, tier, holder, by_front_desk
):
	payload = complaint(
		masters, received_at=add_to_date(now_datetime(), minutes=-10), sales_invoice=None, severity=severity
	)
	payload.pop("doctype")
	filed = world.http.post("/api/resource/Complaint", world.auth[AGENT], payload)
	assert filed.status == 200, filed
	name = filed.message["name"]
	world.made.append(name)
	assert stored("Complaint", name, "current_tier") == tier
	response = doc_method(
		world, AGENT if by_front_desk else holder, "Complaint", name, "record_first_response"
	)
	assert response.status == 200, response
	Http.fresh()
	row = frappe.db.get_value(
		"Complaint",
		name,
		["first_response_met_at", "acknowledgement_met_at", "status", "current_tier"],
		as_dict=True,
	)
	assert row.first_response_met_at and row.acknowledgement_met_at
	assert (row.status, row.current_tier) == ("Escalated", tier)  # still with the tier that holds it


# --- 4. the workflow offers each role exactly its transitions --------------------------------


def workflow_grants():
	workflow = frappe.get_doc("Workflow", "Complaint Escalation")
	return workflow, {(t.state, t.action): t.allowed for t in workflow.transitions}


@pytest.mark.parametrize(
	"user, role",
	[(AGENT, "Complaint Agent"), (SUPERVISOR, "Complaint Supervisor"), (DIRECTOR, "Complaint Management")],
)
def test_each_role_is_offered_exactly_the_transitions_the_workflow_grants_it(world, masters, user, role):
	workflow, grants = workflow_grants()
	name = file_complaint(
		world,
		masters,
		findings="Found.",
		resolution_summary="Done.",
		customer_feedback="OK.",
		rejection_reason="Unfounded.",
	)
	for state in workflow.states:
		frappe.db.set_value("Complaint", name, "workflow_state", state.state)
		frappe.db.commit()
		response = world.http.call(
			"frappe.model.workflow.get_transitions",
			world.auth[user],
			doc=json.dumps({"doctype": "Complaint", "name": name}),
		)
		assert response.status == 200, (state.state, response)
		offered = {t["action"] for t in response.message}
		# a General case: the urgent-only escalation to management is not offered
		expected = {
			action
			for (from_state, action), allowed in grants.items()
			if from_state == state.state and allowed == role and action != "Escalate to Management"
		}
		assert offered == expected, (state.state, role)


@pytest.mark.parametrize("user", [AGENT, SUPERVISOR, DIRECTOR])
def test_each_role_may_read_what_the_form_asks_before_a_workflow_action(world, user):
	"""Frappe 16.10.7's form reads this with the user's rights before applying an action (a
	setting Frappe 15's Workflow does not have: there, any of its fields shows the same right)."""
	meta = frappe.get_meta("Workflow")
	response = world.http.call(
		"frappe.client.get_value",
		world.auth[user],
		doctype="Workflow",
		filters="Complaint Escalation",
		fieldname="enable_action_confirmation"
		if meta.has_field("enable_action_confirmation")
		else "is_active",
	)
	assert response.status == 200, response


def test_a_transition_of_another_role_is_refused(world, masters):
	name = file_complaint(world, masters, rejection_reason="x")
	# the supervisor's Reject, tried by the front desk: by the workflow's action, and by writing the state
	response = world.http.call(
		"frappe.model.workflow.apply_workflow",
		world.auth[AGENT],
		doc=json.dumps(frappe.get_doc("Complaint", name).as_dict(), default=str),
		action="Reject",
	)
	assert response.refused
	forged = world.http.put(
		f"/api/resource/Complaint/{name}",
		world.auth[AGENT],
		{"workflow_state": "Rejected", "status": "Rejected"},
	)
	assert forged.refused
	assert stored("Complaint", name, "workflow_state") == "New"


# --- 6. the user's session survives the app's own steps ----------------------------------------


class Browser:
	"""A signed-in browser: a session cookie and the CSRF token the desk page gives it."""

	def __init__(self, world, user):
		self.http = Http(frappe.local.site)  # a client of its own: its own cookies
		login = self.http.post("/api/method/login", None, {"usr": user, "pwd": PASSWORD})
		assert login.status == 200, login
		page = self.http.get("/app", follow=True)  # the desk: /app on v15, /desk (redirected to) on v16
		self.token = re.search(r"""csrf_token\s*[=:]\s*["']([0-9a-f]+)["']""", page.text).group(1)
		self.user = user

	def sid(self) -> str:
		jar = self.http.client._cookies if hasattr(self.http.client, "_cookies") else None
		if jar is not None:
			return next(cookie.value for key, cookie in jar.items() if key[2] == "sid")
		return next(cookie.value for cookie in self.http.client.cookie_jar if cookie.name == "sid")

	def age(self):
		"""As if the last request was ten minutes ago: Frappe writes the session back (with
		whatever the request left in it) on the next one."""
		frappe.cache.hdel("last_db_session_update", self.sid())

	def post(self, path, data, token=None):
		return self.http.request(
			"POST", path, headers={"X-Frappe-CSRF-Token": token or self.token}, **as_json(data)
		)

	def still_signed_in(self) -> bool:
		"""The same user, the CSRF token still accepted, and still required (a session whose data
		was dropped has no token to check, and takes any)."""
		me = self.http.get("/api/method/frappe.auth.get_logged_user")
		again = self.post("/api/method/frappe.auth.get_logged_user", {})
		forged = self.post("/api/method/frappe.auth.get_logged_user", {}, token="0" * 32)
		assert me.message == self.user, me
		assert again.status == 200, again
		assert forged.status in (400, 403, 417), forged
		return True


def test_the_session_survives_urgent_intake_approve_sign_and_reopen(world, masters):
	agent = Browser(world, AGENT)
	payload = complaint(
		masters, received_at=add_to_date(now_datetime(), minutes=-5), sales_invoice=None, severity="Urgent"
	)
	payload.pop("doctype")
	agent.age()
	filed = agent.post("/api/resource/Complaint", payload)
	assert filed.status == 200, filed
	world.made.append(filed.message["name"])
	assert stored("Complaint", filed.message["name"], "current_tier") == "Management"  # the app's own step
	assert agent.still_signed_in()

	proposed = agent.post(
		"/api/resource/Compensation",
		{"complaint": world.complaint, "compensation_type": "Free Service", "amount": 80},
	)
	name = proposed.message["name"]
	world.compensations.append(name)
	supervisor = Browser(world, SUPERVISOR)
	supervisor.age()
	approved = supervisor.post(
		"/api/method/run_doc_method", {"dt": "Compensation", "dn": name, "method": "approve", "args": "{}"}
	)
	assert approved.status == 200, approved
	assert supervisor.still_signed_in()

	signed_scan = (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "signed.png",
				"content": scan(),
				"is_private": 1,
				"attached_to_doctype": "Compensation",
				"attached_to_name": name,
			}
		)
		.insert(ignore_permissions=True)
		.file_url
	)
	frappe.db.commit()
	supervisor.age()
	signed = supervisor.post(
		"/api/method/run_doc_method",
		{
			"dt": "Compensation",
			"dn": name,
			"method": "mark_signed",
			"args": json.dumps({"signed_settlement": signed_scan}),
		},
	)
	assert signed.status == 200, signed
	assert supervisor.still_signed_in()

	frappe.db.set_value(
		"Complaint",
		world.complaint,
		{
			"workflow_state": "Resolved",
			"status": "Resolved",
			"resolution_summary": "Done",
			"customer_feedback": "OK",
		},
	)
	frappe.db.commit()
	agent.age()
	reopened = agent.post(
		"/api/resource/Follow-up",
		{
			"complaint": world.complaint,
			"follow_up_type": "Result Feedback",
			"scheduled_date": "2026-12-01",
			"outcome": "Not Satisfied",
			"notes": "still red",
		},
	)
	assert reopened.status == 200, reopened
	assert stored("Complaint", world.complaint, "status") in ("Reopened", "Escalated")
	assert agent.still_signed_in()
