"""A clinic's working day (#17): who acts next, tiers nobody holds, the filer after an automatic
escalation, the guest's thank-you page, and the install's own checks."""

from __future__ import annotations

import re

import pytest

frappe = pytest.importorskip("frappe")

from frappe.model.workflow import apply_workflow  # noqa: E402

from kesu_app.escalation import escalate_complaint  # noqa: E402
from kesu_app.handover import next_step_summary  # noqa: E402
from kesu_app.intake import RECEIVED_COOKIE  # noqa: E402
from kesu_app.unheld import unheld_tiers, warn_unheld_tiers  # noqa: E402
from tests.integration.factories import (  # noqa: E402
	AGENT,
	DEPT_MANAGER,
	DIRECTOR,
	SUPERVISOR,
	complaint,
	make_user,
)
from tests.integration.http_client import Http, api_keys  # noqa: E402
from tests.integration.test_channels import uploaded_file  # noqa: E402
from tests.integration.test_security import delete_complaints  # noqa: E402

OTHER_AGENT = "kesu.agent.other@example.com"
ADMIN = "kesu.handover.admin@example.com"


def open_todos(name: str) -> list[str]:
	return sorted(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": "Complaint", "reference_name": name, "status": "Open"},
			pluck="allocated_to",
		)
	)


def without_holders(role: str):
	"""Nobody holds ``role`` for the rest of this test (rolled back after it)."""
	frappe.db.delete("Has Role", {"role": role, "parenttype": "User"})


# --- tiers nobody holds ------------------------------------------------------------------------


def test_an_escalation_passes_over_a_tier_nobody_holds(masters, calendar):
	name = frappe.get_doc(complaint(masters, severity="Important")).insert().name
	assert frappe.db.get_value("Complaint", name, "workflow_state") == "Escalated to Supervisor"
	without_holders("Complaint Department Manager")
	frappe.set_user(SUPERVISOR)
	escalate_complaint(name, "The customer went to the press", "Manual")
	frappe.set_user("Administrator")
	doc = frappe.get_doc("Complaint", name)
	# straight on to management, through the workflow's own transitions, and said so
	assert (doc.workflow_state, doc.current_tier) == ("Escalated to Management", "Management")
	row = doc.escalations[-1]
	assert (row.from_tier, row.to_tier, row.passed_tiers) == (
		"Supervisor",
		"Management",
		"Department Manager",
	)
	assert (row.escalated_by, row.automatic, row.assigned_to) == (SUPERVISOR, 0, DIRECTOR)
	# on the director's list now, off the supervisor's
	assert open_todos(name) == [DIRECTOR]
	todo = frappe.get_all("ToDo", filters={"reference_name": name, "status": "Open"}, pluck="description")
	assert "passed over Department Manager" in todo[0]


def test_a_held_tier_is_not_passed_over(masters, calendar):
	name = frappe.get_doc(complaint(masters, severity="Important")).insert().name
	frappe.set_user(SUPERVISOR)
	escalate_complaint(name, "Needs the department", "Manual")
	frappe.set_user("Administrator")
	doc = frappe.get_doc("Complaint", name)
	assert doc.current_tier == "Department Manager" and not doc.escalations[-1].passed_tiers
	assert open_todos(name) == [DEPT_MANAGER]


def test_a_tier_nobody_holds_is_reported_once_a_day(masters, calendar):
	frappe.get_doc(complaint(masters, branch=masters["branch_a"])).insert()
	make_user(ADMIN, ["System Manager"])
	without_holders("Complaint Department Manager")
	[row] = [r for r in unheld_tiers() if r.branch == masters["branch_a"]]
	assert row.tiers == ["Department Manager"] and row.complaints >= 1
	frappe.db.delete("Notification Log", {"for_user": ADMIN})
	warn_unheld_tiers()
	[subject] = frappe.get_all("Notification Log", filters={"for_user": ADMIN}, pluck="subject")
	assert "Department Manager" in subject and masters["branch_a"] in subject


def test_the_workspace_counts_branches_with_an_empty_tier(masters, calendar):
	from kesu_app.unheld import unheld_tier_count

	frappe.get_doc(complaint(masters, branch=masters["branch_b"])).insert()
	assert not [r for r in unheld_tiers() if r.branch == masters["branch_b"]]
	without_holders("Complaint Management")
	[row] = [r for r in unheld_tiers() if r.branch == masters["branch_b"]]
	assert row.tiers == ["Management"]
	assert unheld_tier_count()["value"] == len(unheld_tiers()) >= 1


# --- who acts next -----------------------------------------------------------------------------


def test_the_form_says_who_acts_next(masters, calendar):
	frappe.set_user(AGENT)
	name = frappe.get_doc(complaint(masters)).insert().name
	summary = next_step_summary(frappe.get_doc("Complaint", name))
	assert summary["actions"] == ["Acknowledge"] and summary["roles"] == ["Complaint Agent"]
	assert [p["user"] for p in summary["people"]] == [AGENT]
	apply_workflow(frappe.get_doc("Complaint", name).as_dict(), "Acknowledge")
	assert next_step_summary(frappe.get_doc("Complaint", name))["actions"] == ["Start Investigation"]
	frappe.set_user("Administrator")


def test_a_case_nobody_took_is_on_nobodys_list_until_someone_acknowledges_it(masters, calendar):
	# filed by the app's own account (an email, the website): no front-desk agent is on it
	doc = frappe.get_doc(complaint(masters)).insert()
	assert open_todos(doc.name) == []  # the New Complaint notification tells the front desk
	frappe.set_user(AGENT)
	apply_workflow(frappe.get_doc("Complaint", doc.name).as_dict(), "Acknowledge")
	frappe.set_user("Administrator")
	assert frappe.db.get_value("Complaint", doc.name, "handler") == AGENT
	assert open_todos(doc.name) == [AGENT]


# --- through HTTP: the filer after an automatic escalation, and everyone else ------------------


@pytest.fixture(scope="module")
def world(site, masters):
	frappe.set_user("Administrator")
	make_user(OTHER_AGENT, ["Complaint Agent"])
	auth = {user: api_keys(user) for user in (AGENT, OTHER_AGENT, SUPERVISOR)}
	frappe.db.commit()
	made, files = [], []
	yield frappe._dict(http=Http(frappe.local.site), auth=auth, made=made, files=files)
	Http.fresh()
	delete_complaints(made)
	# uploads a failed test left unattached (attached ones went with their complaint)
	for url in files:
		for name in frappe.get_all("File", filters={"file_url": url}, pluck="name"):
			frappe.delete_doc("File", name, force=True, ignore_permissions=True)
	frappe.db.commit()


def file_important(world, masters) -> str:
	payload = complaint(masters, severity="Important")
	payload.pop("doctype")
	response = world.http.post("/api/resource/Complaint", world.auth[AGENT], payload)
	assert response.status == 200, response
	name = response.message["name"]
	world.made.append(name)
	Http.fresh()
	return name


def test_the_filer_finishes_intake_after_an_automatic_escalation(world, masters):
	name = file_important(world, masters)
	doc = frappe.get_doc("Complaint", name)
	assert doc.workflow_state == "Escalated to Supervisor"
	[row] = doc.escalations
	# the app's rule, on the agent's save: not "Administrator escalated"
	assert (row.escalated_by, row.automatic, row.reason) == (AGENT, 1, "Severity: Important")
	url = f"/api/resource/Complaint/{name}"

	# the filer may complete the intake: contact details, what happened, evidence
	response = world.http.put(url, world.auth[AGENT], {"contact_email": "later@example.com"})
	assert response.status == 200, response
	frappe.set_user(AGENT)  # the filer's own upload
	photo = uploaded_file("redness.png")
	world.files.append(photo)
	frappe.set_user("Administrator")
	frappe.db.commit()  # for the request to see it; attached to the complaint, removed with it
	response = world.http.doc_method(
		world.auth[AGENT],
		"Complaint",
		name,
		"finish_intake",
		values={
			"description": "Photos sent on WeChat after the call.",
			"evidence": [{"evidence_type": "Photo", "attachment": photo, "description": "day 3"}],
		},
	)
	assert response.status == 200, response
	Http.fresh()
	doc = frappe.get_doc("Complaint", name)
	assert doc.contact_email == "later@example.com" and "WeChat" in doc.description
	assert [(r.evidence_type, r.added_by) for r in doc.evidence] == [("Photo", AGENT)]

	# but not what is now the supervisor's to decide
	for change in ({"severity": "General"}, {"handler": AGENT}, {"findings": "Nothing wrong."}):
		response = world.http.put(url, world.auth[AGENT], change)
		assert response.refused, (change, response)
	response = world.http.doc_method(
		world.auth[AGENT], "Complaint", name, "finish_intake", values={"severity": "General"}
	)
	assert response.refused, response
	# another agent did not file it: the form's lock holds on the server too
	response = world.http.put(url, world.auth[OTHER_AGENT], {"contact_email": "other@example.com"})
	assert response.refused, response
	response = world.http.doc_method(
		world.auth[OTHER_AGENT], "Complaint", name, "finish_intake", values={"description": "x"}
	)
	assert response.refused, response
	Http.fresh()
	doc = frappe.get_doc("Complaint", name)
	assert (doc.severity, doc.handler, doc.findings) == ("Important", SUPERVISOR, None)
	assert doc.contact_email == "later@example.com"
	# the supervisor, whose state it is, works it as before
	response = world.http.put(url, world.auth[SUPERVISOR], {"findings": "Known reaction."})
	assert response.status == 200, response


def test_the_filer_is_offered_finish_intake_and_others_are_not(world, masters):
	name = file_important(world, masters)
	for user, offered in ((AGENT, True), (OTHER_AGENT, False), (SUPERVISOR, False)):
		response = world.http.call("kesu_app.handover.get_form_guidance", world.auth[user], name=name)
		assert response.status == 200, response
		assert response.message["may_finish_intake"] is offered, user
		# the form's line: the supervisor proposes the resolution, and it is on their list
		assert response.message["next_step"]["actions"] == ["Propose Resolution"]
		assert [p["user"] for p in response.message["next_step"]["people"]] == [SUPERVISOR]
	# nobody reads a case's guidance without reading the case
	response = world.http.call("kesu_app.handover.get_form_guidance", None, name=name)
	assert response.refused, response


# --- the guest's thank-you page ----------------------------------------------------------------


def test_a_guest_sees_the_number_and_what_happens_next(world, masters, calendar):
	from kesu_app.rules.defaults import WEB_FORM

	web_form = frappe.db.get_value("Web Form", {"route": WEB_FORM["route"]})
	assert frappe.db.get_value("Web Form", web_form, "success_url") == "/complaint-received"
	data = {
		"customer_name": "Guest Patient",
		"contact_email": "guest.patient@example.com",
		"subject": "Waited an hour",
		"description": "Nobody told me why.",
		"doctype": "Complaint",
		"web_form_name": web_form,
	}
	http = Http(frappe.local.site)  # a browser of its own: the guest's cookies
	response = http.post(
		"/api/method/frappe.website.doctype.web_form.web_form.accept",
		data={"web_form": web_form, "data": frappe.as_json(data)},
	)
	assert response.status == 200, response
	number = response.message["name"]
	world.made.append(number)
	assert set(response.message) == {"doctype", "name"}
	cookie = re.search(rf"{RECEIVED_COOKIE}=([^;]+)", " ".join(response.headers.getlist("Set-Cookie")))
	assert cookie and cookie.group(1) == number

	page = http.get("/complaint-received", headers={"Cookie": f"{RECEIVED_COOKIE}={number}"})
	assert page.status == 200 and number in page.text and "What happens next" in page.text

	# a cookie is the browser's to change: nothing but a complaint number is shown back
	page = http.get("/complaint-received", headers={"Cookie": f"{RECEIVED_COOKIE}=<b>x</b>"})
	assert page.status == 200 and "<b>x</b>" not in page.text and "What happens next" in page.text

	# a signed-in customer goes on to their list
	page = http.get("/complaint-received", world.auth[AGENT])
	assert page.status in (301, 302, 303) and page.headers["Location"].endswith("/my-complaints")


# --- install -----------------------------------------------------------------------------------


def test_install_rebuilds_a_module_list_that_predates_the_app(site):
	from kesu_app.install import before_install, module_known

	frappe.setup_module_map()
	stale = {app: modules for app, modules in frappe.local.app_modules.items() if app != "kesu_app"}
	frappe.local.app_modules = stale
	assert not module_known()
	before_install()
	assert module_known()
	assert frappe.local.module_app["kesu_app"] == "kesu_app"


def test_install_refuses_to_pass_for_whole_without_its_doctypes(site):
	from unittest.mock import patch

	from kesu_app.install import check_doctypes

	check_doctypes()  # all there
	with patch("kesu_app.install.APP_DOCTYPES", ("Complaint", "_Kesu Missing Doctype")):
		with pytest.raises(frappe.ValidationError, match=re.escape("install-app kesu_app --force")):
			check_doctypes()


def test_complaint_staff_land_on_the_complaints_workspace(site):
	user = make_user("kesu.new.agent@example.com", [])
	frappe.db.set_value("User", user, "default_workspace", None)
	make_user(user, ["Complaint Agent"])
	assert frappe.db.get_value("User", user, "default_workspace") == "Complaints"
	# one the user or an admin chose stays
	[chosen] = frappe.get_all("Workspace", filters={"name": ("!=", "Complaints")}, pluck="name", limit=1)
	frappe.db.set_value("User", user, "default_workspace", chosen)
	frappe.get_doc("User", user).save(ignore_permissions=True)
	assert frappe.db.get_value("User", user, "default_workspace") == chosen


def test_evidence_cannot_name_a_private_file_the_user_may_not_read(world, masters):
	"""Attaching a file to a complaint makes it readable with the complaint: naming someone
	else's private file as evidence is refused, on every path (here the REST API)."""
	from tests.integration.test_channels import PNG

	secret = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "payroll-secret.png",
			"content": PNG + b"secret",
			"is_private": 1,
			"attached_to_doctype": "User",
			"attached_to_name": "Administrator",
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	try:
		payload = complaint(masters)
		payload.pop("doctype")
		response = world.http.post("/api/resource/Complaint", world.auth[AGENT], payload)
		assert response.status == 200, response
		name = response.message["name"]
		world.made.append(name)
		url = f"/api/resource/Complaint/{name}"
		row = {"evidence_type": "Photo", "attachment": secret.file_url}
		response = world.http.put(url, world.auth[AGENT], {"evidence": [row]})
		assert response.refused and "may not read" in response.text, response
		# nor on the way in
		response = world.http.post(
			"/api/resource/Complaint", world.auth[AGENT], {**payload, "evidence": [row]}
		)
		assert response.refused, response
		Http.fresh()
		assert not frappe.get_doc("Complaint", name).evidence
		assert not frappe.db.exists("File", {"file_url": secret.file_url, "attached_to_doctype": "Complaint"})
		assert world.http.get(secret.file_url, world.auth[AGENT]).refused

		# a file the agent uploaded, attached to nothing yet, is theirs to use
		frappe.set_user(AGENT)
		mine = uploaded_file("mine.png", PNG + b"mine")
		world.files.append(mine)
		frappe.set_user("Administrator")
		frappe.db.commit()
		response = world.http.put(url, world.auth[AGENT], {"evidence": [{**row, "attachment": mine}]})
		assert response.status == 200, response
		Http.fresh()
		assert [r.attachment for r in frappe.get_doc("Complaint", name).evidence] == [mine]
	finally:
		Http.fresh()
		frappe.delete_doc("File", secret.name, force=True, ignore_permissions=True)
		frappe.db.commit()
