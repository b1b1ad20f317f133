"""Attacks on patient data, made as an outsider would make them: real requests through Frappe's
HTTP stack (frappe.app.application), as a guest, a website customer, staff of another branch
and the intake integration; and forged emails through Frappe's own mail intake.

Every test asserts the refusal and that nothing leaked or changed. The records the requests
act on are committed (a request is a transaction of its own) and deleted again at the end.
"""

from __future__ import annotations

import json
import uuid

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.utils import add_to_date, now_datetime  # noqa: E402

from kesu_app import bulk  # noqa: E402
from kesu_app.rules.privacy import survey_key_hash  # noqa: E402
from tests.integration.factories import complaint, make_customer, make_user  # noqa: E402
from tests.integration.http_client import Http, api_keys  # noqa: E402

AGENT_A = "kesu.sec.agent.a@example.com"
AGENT_B = "kesu.sec.agent.b@example.com"
SUPERVISOR_A = "kesu.sec.supervisor.a@example.com"
SUPERVISOR_B = "kesu.sec.supervisor.b@example.com"
INTEGRATION_1 = "kesu.sec.integration.1@example.com"
INTEGRATION_2 = "kesu.sec.integration.2@example.com"
CUSTOMER_USER = "kesu.sec.customer@example.com"
PATIENT = "_Kesu Sec Patient"
PATIENT_EMAIL = "kesu.sec.patient@example.com"
PATIENT_MOBILE = "+86 139 5555 0123"
CUSTOMER = "_Kesu Sec Customer"
STAFF = (AGENT_A, AGENT_B, SUPERVISOR_A, SUPERVISOR_B)
WEB_FORM = "file-a-complaint"
SECRET_FINDINGS = "SECRET-FINDINGS-7f3a"
SECRET_MEDICAL = "SECRET-MEDICAL-91c2: revision rhinoplasty"
XSS = '"<img src=x onerror=alert(document.cookie)>"'


def unique(prefix: str) -> str:
	return f"{prefix}-{uuid.uuid4().hex[:8]}"


def restrict(user: str, doctype: str, value: str):
	if not frappe.db.exists("User Permission", {"user": user, "allow": doctype, "for_value": value}):
		frappe.get_doc(
			{"doctype": "User Permission", "user": user, "allow": doctype, "for_value": value}
		).insert(ignore_permissions=True)


def set_enabled(users, enabled: int):
	user = frappe.qb.DocType("User")
	frappe.qb.update(user).set(user.enabled, enabled).where(user.name.isin(list(users))).run()


def website_user(email: str, customer: str):
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Sec Customer",
				"send_welcome_email": 0,
				"user_type": "Website User",
			}
		).insert(ignore_permissions=True)
	name = frappe.db.get_value("Contact", {"user": email})
	contact = (
		frappe.get_doc("Contact", name)
		if name
		else frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Sec Customer",
				"user": email,
				"email_ids": [{"email_id": email, "is_primary": 1}],
			}
		)
	)
	if not any(link.link_name == customer for link in contact.links):
		contact.append("links", {"link_doctype": "Customer", "link_name": customer})
	contact.flags.ignore_permissions = True
	contact.save()


def new_follow_up(complaint_name: str, follow_up_type: str):
	follow_up = frappe.get_doc(
		{
			"doctype": "Follow-up",
			"complaint": complaint_name,
			"follow_up_type": follow_up_type,
			"scheduled_date": "2026-12-01",
		}
	)
	follow_up.flags.ignore_permissions = True
	return follow_up.insert()


def file_complaint(masters, branch: str, **values) -> str:
	doc = frappe.get_doc(
		complaint(
			masters,
			branch=branch,
			received_at=add_to_date(now_datetime(), minutes=-30),
			sales_invoice=None,
			**values,
		)
	)
	doc.insert(ignore_permissions=True)
	return doc.name


@pytest.fixture(scope="module")
def world(site, masters):
	"""Two branches, their staff kept to their branch by User Permissions, two integrations, a
	website customer, a patient on file, and complaints with secrets in them; all committed."""
	frappe.set_user("Administrator")
	branch_a, branch_b = masters["branch_a"], masters["branch_b"]
	for user, role, branch in (
		(AGENT_A, "Complaint Agent", branch_a),
		(AGENT_B, "Complaint Agent", branch_b),
		(SUPERVISOR_A, "Complaint Supervisor", branch_a),
		(SUPERVISOR_B, "Complaint Supervisor", branch_b),
	):
		make_user(user, [role])
		restrict(user, "Branch", branch)
	for user in (INTEGRATION_1, INTEGRATION_2):
		make_user(user, ["Complaint Intake Integration"])
	# enabled for this module only: other modules count who holds a tier
	set_enabled(STAFF, 1)
	restrict(INTEGRATION_1, "Company", masters["company"])
	make_customer(PATIENT)
	frappe.db.set_value("Customer", PATIENT, {"mobile_no": PATIENT_MOBILE, "email_id": PATIENT_EMAIL})
	make_customer(CUSTOMER)
	website_user(CUSTOMER_USER, CUSTOMER)
	keys = {user: api_keys(user) for user in (*STAFF, INTEGRATION_1, INTEGRATION_2, CUSTOMER_USER)}

	made = []
	a = file_complaint(masters, branch_a, customer=CUSTOMER, subject="Branch A case")
	b = file_complaint(masters, branch_b, subject="Branch B case")
	closed_a = file_complaint(masters, branch_a, subject="Closed branch A case")
	made += [a, b, closed_a]
	frappe.db.set_value("Complaint", a, "findings", f"<p>{SECRET_FINDINGS}</p>")
	frappe.db.set_value(
		"Complaint", closed_a, {"workflow_state": "Closed", "status": "Closed", "closed_at": now_datetime()}
	)
	record = frappe.get_doc(
		{"doctype": "Complaint Medical Record", "complaint": a, "medical_details": SECRET_MEDICAL}
	)
	record.insert(ignore_permissions=True)
	follow_up_b = new_follow_up(b, "Progress Update")
	settings = frappe.get_single("Kesu Settings")
	limit = settings.web_intake_hourly_limit
	settings.web_intake_hourly_limit = 0  # the attacks below are many, from one address
	settings.save(ignore_permissions=True)
	frappe.db.commit()

	world = frappe._dict(
		auth=keys,
		a=a,
		b=b,
		closed_a=closed_a,
		follow_up_b=follow_up_b.name,
		made=made,
		http=Http(frappe.local.site),
	)
	yield world

	frappe.db.rollback()
	frappe.set_user("Administrator")
	settings = frappe.get_single("Kesu Settings")
	settings.web_intake_hourly_limit = limit
	settings.save(ignore_permissions=True)
	delete_complaints(world.made)
	set_enabled(STAFF, 0)
	frappe.db.commit()


def delete_complaints(names: list[str]):
	"""Exactly the complaints the attacks made, with what hangs off them."""
	if not names:
		return
	for doctype, field in (
		("Follow-up", "complaint"),
		("Complaint Medical Record", "complaint"),
		("Accountability Outcome", "complaint"),
	):
		frappe.db.delete(doctype, {field: ("in", names)})
	reports = frappe.get_all("Major Complaint Report", filters={"complaint": ("in", names)}, pluck="name")
	if reports:
		for table in ("Major Complaint Event", "Major Complaint Action"):
			frappe.db.delete(table, {"parent": ("in", reports)})
		frappe.db.delete("Major Complaint Report", {"name": ("in", reports)})
	communications = frappe.get_all(
		"Communication",
		filters={"reference_doctype": "Complaint", "reference_name": ("in", names)},
		pluck="name",
	)
	if communications:
		# an email's attachments: Frappe hands their file (by content) to a later upload
		frappe.db.delete(
			"File", {"attached_to_doctype": "Communication", "attached_to_name": ("in", communications)}
		)
		frappe.db.delete("Communication Link", {"parent": ("in", communications)})
		frappe.db.delete("Communication", {"name": ("in", communications)})
	bulk.delete_traces("Complaint", names)
	frappe.db.delete("File", {"attached_to_doctype": "Complaint", "attached_to_name": ("in", names)})
	for table in frappe.get_meta("Complaint").get_table_fields():
		frappe.db.delete(table.options, {"parenttype": "Complaint", "parent": ("in", names)})
	frappe.db.delete("Complaint", {"name": ("in", names)})


def web_form_data(**values) -> str:
	data = {
		"doctype": "Complaint",
		"web_form_name": WEB_FORM,
		"customer_name": "Wang",
		"contact_email": PATIENT_EMAIL,
		"subject": "Price was not what I was told",
		"description": "I was charged twice.",
	}
	data.update(values)
	return json.dumps(data)


def guest_files(world, **values):
	frappe.cache.delete_keys("rl:")  # Frappe's own limit: ten submissions a minute per form
	response = world.http.call(
		"frappe.website.doctype.web_form.web_form.accept", web_form=WEB_FORM, data=web_form_data(**values)
	)
	if response.status == 200:
		world.made.append(response.message["name"])
	return response


def api_get(world, user, doctype, name):
	return world.http.get(f"/api/resource/{doctype}/{name}", world.auth.get(user))


def desk_load(world, user, name):
	"""What the desk's form loads: the document and its history (versions, comments...)."""
	return world.http.get(
		"/api/method/frappe.desk.form.load.getdoc",
		world.auth[user],
		params={"doctype": "Complaint", "name": name},
	)


def stored(doctype, name, field):
	Http.fresh()
	return frappe.db.get_value(doctype, name, field)


# --- 1. the public form ------------------------------------------------------------------------


def test_guest_filing_with_a_patients_address_learns_nothing_of_the_patient(world):
	response = guest_files(world)
	assert response.status == 200, response
	assert set(response.message) == {"doctype", "name"}
	for secret in (PATIENT, PATIENT_MOBILE, "13955550123", "contact_phone", "customer"):
		assert secret not in response.text
	Http.fresh()
	filed = frappe.db.get_value(
		"Complaint", response.message["name"], ["customer", "contact_phone"], as_dict=True
	)
	assert filed.customer is None and not filed.contact_phone


def test_the_staff_hear_of_the_matching_customer_only_inside(world):
	name = guest_files(world).message["name"]
	Http.fresh()
	notes = frappe.get_all(
		"Comment", filters={"reference_name": name, "comment_type": "Info"}, pluck="content"
	)
	assert any(PATIENT in note for note in notes)


def test_guest_cannot_read_back_a_complaint_through_the_web_form(world):
	response = world.http.call(
		"frappe.website.doctype.web_form.web_form.get_form_data",
		doctype="Complaint",
		docname=world.a,
		web_form_name=WEB_FORM,
	)
	assert response.refused and SECRET_FINDINGS not in response.text


def test_guest_cannot_edit_a_complaint_through_the_web_form(world):
	response = world.http.call(
		"frappe.website.doctype.web_form.web_form.accept",
		web_form=WEB_FORM,
		data=web_form_data(name=world.a, subject="hijacked"),
	)
	assert response.refused
	assert stored("Complaint", world.a, "subject") == "Branch A case"


def test_guest_cannot_read_a_complaint_through_the_api(world):
	response = api_get(world, None, "Complaint", world.a)
	assert response.refused and SECRET_FINDINGS not in response.text


def test_guest_cannot_list_complaints(world):
	response = world.http.get("/api/resource/Complaint", params={"fields": '["name","subject"]'})
	assert response.refused and "Branch A case" not in response.text


# --- 2. the signed-in customer -----------------------------------------------------------------


def test_customer_cannot_read_their_complaint_through_the_web_form(world):
	response = world.http.call(
		"frappe.website.doctype.web_form.web_form.get_form_data",
		world.auth[CUSTOMER_USER],
		doctype="Complaint",
		docname=world.a,
		web_form_name=WEB_FORM,
	)
	assert response.refused
	assert SECRET_FINDINGS not in response.text and SECRET_MEDICAL not in response.text


def test_customer_cannot_read_their_complaint_through_the_api(world):
	response = api_get(world, CUSTOMER_USER, "Complaint", world.a)
	assert response.refused and SECRET_FINDINGS not in response.text


def test_customer_cannot_load_their_complaint_as_the_desk_does(world):
	response = desk_load(world, CUSTOMER_USER, world.a)
	assert response.refused and SECRET_FINDINGS not in response.text


def test_customer_cannot_read_the_escalation_history(world):
	response = world.http.get(
		"/api/resource/Complaint Escalation",
		world.auth[CUSTOMER_USER],
		params={"filters": json.dumps({"parent": world.a}), "fields": '["*"]'},
	)
	assert response.refused


def test_customer_sees_a_plain_status_on_their_page(world):
	response = world.http.get("/my-complaints", world.auth[CUSTOMER_USER])
	assert response.status == 200 and world.a in response.text
	assert SECRET_FINDINGS not in response.text and "Front Desk" not in response.text


# --- 3. no stored script -----------------------------------------------------------------------


def test_a_script_in_the_subject_is_not_stored(world):
	name = guest_files(world, subject=XSS, customer_name=XSS, customer_demand=XSS).message["name"]
	Http.fresh()
	filed = frappe.db.get_value(
		"Complaint", name, ["subject", "customer_name", "customer_demand"], as_dict=True
	)
	assert "<img" not in json.dumps(filed) and "onerror" not in json.dumps(filed)


def test_a_script_in_rich_text_is_sanitized(world):
	name = guest_files(world, description=XSS).message["name"]
	assert "onerror" not in stored("Complaint", name, "description")


def test_a_script_reaches_no_bell_notification(world):
	from kesu_app.outbox import alert_text, notify_users
	from kesu_app.rules.alerts import BREACH

	name = guest_files(world, subject="Billing").message["name"]
	raw = "<img src=x onerror=alert(1)>"  # a subject stored before intake cleaned it
	notify_users(
		[AGENT_A], "Complaint", name, alert_text(BREACH, name, raw, "acknowledgement", now_datetime())
	)
	subjects = frappe.get_all("Notification Log", filters={"document_name": name}, pluck="subject")
	assert subjects and not any("<img" in subject for subject in subjects)
	assert any("&lt;img" in subject for subject in subjects)


def test_old_unsafe_text_is_escaped_on_the_customers_page(world):
	name = guest_files(world, contact_email=CUSTOMER_USER).message["name"]
	frappe.db.set_value("Complaint", name, "subject", "<script>alert(1)</script>")  # stored before the fix
	frappe.db.commit()
	response = world.http.get("/my-complaints", world.auth[CUSTOMER_USER])
	assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;" in response.text


def test_old_unsafe_text_is_escaped_in_letters(world):
	from kesu_app.letters import render_letter

	name = guest_files(world).message["name"]
	frappe.db.set_value("Complaint", name, "customer_name", "<img src=x onerror=alert(1)>")
	letter = render_letter(frappe.get_doc("Complaint", name), "Acknowledgement Letter")
	assert "<img" not in letter["message"] and "&lt;img" in letter["message"]


def test_old_unsafe_text_is_escaped_in_the_settlement_print(world):
	frappe.db.set_value("Complaint", world.b, "subject", "<img src=x onerror=alert(1)>")
	html = frappe.get_print(
		"Compensation",
		None,
		"Compensation Settlement",
		doc=frappe.get_doc(
			{"doctype": "Compensation", "complaint": world.b, "customer_name": "<b>x</b>", "amount": 1}
		),
	)
	assert "<img src=x" not in html and "&lt;img" in html


def test_a_script_in_evidence_notes_from_the_api_is_not_stored(world):
	response = api_complaint(
		world,
		INTEGRATION_2,
		evidence=[
			{"file_name": "a.png", "content": "iVBORw0KGgo=", "description": XSS, "evidence_type": "Photo"}
		],
	)
	assert response.status == 200, response
	Http.fresh()
	notes = frappe.get_all(
		"Complaint Evidence", filters={"parent": response.message["complaint"]}, pluck="description"
	)
	assert notes and not any("<img" in (note or "") for note in notes)


# --- 4. medical and contact details at their level ---------------------------------------------


def test_agent_reads_no_medical_details_through_the_api(world):
	response = api_get(world, AGENT_A, "Complaint", world.a)
	assert response.status == 200 and SECRET_MEDICAL not in response.text


def test_agent_cannot_read_the_medical_record(world):
	response = api_get(world, AGENT_A, "Complaint Medical Record", world.a)
	assert response.refused and SECRET_MEDICAL not in response.text


def test_agent_cannot_list_or_report_medical_records(world):
	for path, params in (
		("/api/resource/Complaint Medical Record", {"fields": '["medical_details"]'}),
		(
			"/api/method/frappe.desk.reportview.get",
			{"doctype": "Complaint Medical Record", "fields": '["medical_details"]'},
		),
	):
		response = world.http.get(path, world.auth[AGENT_A], params=params)
		assert response.refused and SECRET_MEDICAL not in response.text, path


def test_agent_cannot_export_or_print_medical_records(world):
	export = world.http.call(
		"frappe.desk.reportview.export_query",
		world.auth[AGENT_A],
		doctype="Complaint Medical Record",
		file_format_type="CSV",
		fields='["medical_details"]',
	)
	printed = world.http.get(
		"/api/method/frappe.www.printview.get_html_and_style",
		world.auth[AGENT_A],
		params={"doc": "Complaint Medical Record", "name": world.a},
	)
	for response in (export, printed):
		assert response.refused and SECRET_MEDICAL not in response.text


def test_agent_reads_no_medical_details_in_the_form_or_its_history(world):
	response = desk_load(world, AGENT_A, world.a)
	assert response.status == 200 and SECRET_MEDICAL not in response.text


def test_agent_reads_no_medical_details_in_a_save_response(world):
	response = world.http.put(
		f"/api/resource/Complaint/{world.a}", world.auth[AGENT_A], {"customer_demand": "A refund"}
	)
	assert response.status == 200, response
	assert SECRET_MEDICAL not in response.text


def test_agent_reads_no_medical_details_from_the_clock_buttons(world):
	for method, args in (("pause_clock", {"reason": "Waiting for photos"}), ("resume_clock", {})):
		response = world.http.doc_method(world.auth[AGENT_A], "Complaint", world.a, method, **args)
		assert response.status == 200, response
		assert SECRET_MEDICAL not in response.text


def test_agent_finds_no_medical_details_in_global_search(world):
	response = world.http.call(
		"frappe.utils.global_search.search", world.auth[AGENT_A], text="SECRET-MEDICAL", limit=20
	)
	assert SECRET_MEDICAL not in response.text


@pytest.fixture
def viewer(world):
	"""A role an admin made: complaints at level 0 (read, write), not their contact details."""
	role, user = "_Kesu Sec Viewer", "kesu.sec.viewer@example.com"
	# Frappe copies a doctype's permissions into Custom DocPerm on the first custom one: put
	# back the doctype's own permissions afterwards if it had none
	had_custom = frappe.db.exists("Custom DocPerm", {"parent": "Complaint", "role": ("!=", role)})
	if not frappe.db.exists("Role", role):
		frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
			ignore_permissions=True
		)
	if not frappe.db.exists("Custom DocPerm", {"parent": "Complaint", "role": role}):
		frappe.permissions.add_permission("Complaint", role, 0, "read")
		frappe.permissions.update_permission_property("Complaint", role, 0, "write", 1)
	make_user(user, [role])
	set_enabled([user], 1)
	world.auth[user] = api_keys(user)
	frappe.db.commit()
	frappe.clear_cache(doctype="Complaint")
	yield user
	if had_custom:
		frappe.db.delete("Custom DocPerm", {"parent": "Complaint", "role": role})
	else:
		frappe.permissions.reset_perms("Complaint")
	set_enabled([user], 0)
	frappe.db.commit()
	frappe.clear_cache(doctype="Complaint")


def test_a_level_zero_role_reads_no_contact_details_in_the_history_or_a_button_response(world, viewer):
	# a change of phone, in the history
	changed = world.http.put(
		f"/api/resource/Complaint/{world.a}", world.auth[AGENT_A], {"contact_phone": "+86 139 7777 0001"}
	)
	assert changed.status == 200, changed
	loaded = desk_load(world, viewer, world.a)
	assert loaded.status == 200, loaded
	assert loaded.json["docinfo"]["versions"], "the change is in the history"
	assert "7777" not in loaded.text and "13977770001" not in loaded.text
	paused = world.http.doc_method(world.auth[viewer], "Complaint", world.a, "pause_clock", reason="Waiting")
	assert paused.status == 200, paused
	assert "7777" not in paused.text
	resumed = world.http.doc_method(world.auth[viewer], "Complaint", world.a, "resume_clock")
	assert resumed.status == 200 and "7777" not in resumed.text


def test_agent_cannot_write_medical_details(world):
	response = world.http.put(
		f"/api/resource/Complaint Medical Record/{world.a}",
		world.auth[AGENT_A],
		{"medical_details": "changed"},
	)
	assert response.refused
	assert stored("Complaint Medical Record", world.a, "medical_details") == SECRET_MEDICAL


def test_supervisor_of_another_branch_cannot_read_the_medical_record(world):
	response = api_get(world, SUPERVISOR_B, "Complaint Medical Record", world.a)
	assert response.refused and SECRET_MEDICAL not in response.text


def test_supervisor_of_another_branch_cannot_write_medical_details_to_a_case(world):
	response = world.http.post(
		"/api/resource/Complaint Medical Record",
		world.auth[SUPERVISOR_B],
		{"complaint": world.closed_a, "medical_details": "planted"},
	)
	assert response.refused
	assert not stored("Complaint Medical Record", world.closed_a, "name")


def test_supervisor_of_the_branch_reads_the_medical_record(world):
	response = api_get(world, SUPERVISOR_A, "Complaint Medical Record", world.a)
	assert response.status == 200 and SECRET_MEDICAL in response.text


def test_the_integration_reads_no_complaint_not_even_its_own(world):
	made = api_complaint(world, INTEGRATION_1, contact_phone="+86 139 0000 2222")
	assert made.status == 200, made
	name = made.message["complaint"]
	assert set(made.message) == {"complaint", "status", "created"}
	for response in (
		api_get(world, INTEGRATION_1, "Complaint", name),
		world.http.get(
			"/api/resource/Version",
			world.auth[INTEGRATION_1],
			params={"filters": json.dumps({"docname": name}), "fields": '["data"]'},
		),
	):
		assert response.refused and "+86 139 0000 2222" not in response.text


# --- 5. branches stay apart --------------------------------------------------------------------


def test_agent_cannot_read_another_branchs_complaint(world):
	response = api_get(world, AGENT_A, "Complaint", world.b)
	assert response.refused and "Branch B case" not in response.text


def test_agent_cannot_move_another_branchs_complaint_into_their_own(world):
	response = world.http.put(
		f"/api/resource/Complaint/{world.b}",
		world.auth[AGENT_A],
		{"branch": frappe.db.get_value("Complaint", world.a, "branch")},
	)
	assert response.refused
	assert stored("Complaint", world.b, "branch") == frappe.db.get_value("Complaint", world.b, "branch")
	assert frappe.db.get_value("Complaint", world.b, "subject") == "Branch B case"


def test_agent_cannot_read_another_branchs_follow_up(world):
	response = api_get(world, AGENT_A, "Follow-up", world.follow_up_b)
	assert response.refused


def test_agent_lists_only_their_branchs_follow_ups(world):
	response = world.http.get(
		"/api/resource/Follow-up",
		world.auth[AGENT_A],
		params={"fields": '["name","complaint"]', "limit": 500},
	)
	assert response.status == 200
	assert world.follow_up_b not in response.text and world.b not in response.text


def test_agent_cannot_reopen_another_branchs_complaint_with_a_follow_up(world):
	response = world.http.post(
		"/api/resource/Follow-up",
		world.auth[AGENT_A],
		{
			"complaint": world.b,
			"follow_up_type": "Result Feedback",
			"scheduled_date": "2026-12-01",
			"outcome": "Not Satisfied",
		},
	)
	assert response.refused
	assert stored("Complaint", world.b, "status") != "Reopened"


def test_agent_cannot_reopen_a_closed_complaint_with_a_follow_up(world):
	response = world.http.post(
		"/api/resource/Follow-up",
		world.auth[AGENT_A],
		{
			"complaint": world.closed_a,
			"follow_up_type": "Result Feedback",
			"scheduled_date": "2026-12-01",
			"outcome": "Not Satisfied",
			"notes": "unhappy",
		},
	)
	assert response.refused
	assert stored("Complaint", world.closed_a, "status") == "Closed"
	assert not frappe.db.exists("Follow-up", {"complaint": world.closed_a})


def test_escalation_goes_to_no_one_of_another_branch_and_shares_nothing(world):
	response = world.http.call(
		"kesu_app.escalation.escalate_complaint",
		world.auth[AGENT_B],
		name=world.b,
		reason="Customer is angry",
	)
	assert response.status == 200, response
	Http.fresh()
	todos = frappe.get_all(
		"ToDo", filters={"reference_type": "Complaint", "reference_name": world.b}, pluck="allocated_to"
	)
	assert todos and SUPERVISOR_A not in todos and SUPERVISOR_B in todos
	assert not frappe.db.exists("DocShare", {"share_doctype": "Complaint", "share_name": world.b})


def test_the_digest_lists_only_complaints_its_reader_may_read(world):
	from kesu_app.digests import open_complaints_of

	frappe.db.set_value("Complaint", world.b, "handler", SUPERVISOR_A)  # a handler who moved branch
	rows = open_complaints_of(SUPERVISOR_A, now_datetime())
	assert world.b not in {row.name for row in rows}


def test_the_quarterly_summary_counts_only_the_readers_branch(world):
	from kesu_app.analysis import quarter_figures
	from kesu_app.rules.quarters import quarter_bounds, quarter_of

	start, end = quarter_bounds(*quarter_of(now_datetime().date()))
	everything = quarter_figures(start, end)
	for_a = quarter_figures(start, end, user=SUPERVISOR_A)
	# branch A's complaints are in the supervisor's figures, branch B's are not
	assert 1 <= for_a["new"] < everything["new"]


# --- 6. forged email ---------------------------------------------------------------------------


def test_a_forged_email_naming_a_complaint_plants_no_evidence(world, masters):
	from tests.integration.test_channels import PNG, raw_email, receive

	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "_Kesu Sec Inbox",
			"email_id": "sec-inbox@kesu-clinic.example.com",
			"enable_incoming": 1,
			"use_imap": 0,
			"append_to": "Complaint",
			"email_server": "pop.example.com",
			"awaiting_password": 1,
		}
	).insert()
	frappe.db.set_value("Complaint", world.a, {"contact_email": PATIENT_EMAIL, "handler": AGENT_A})
	forged = receive(
		account.name,
		raw_email(
			"mallory@example.com",
			f"Re: your complaint (#{world.a})",
			"Here is the agreement you signed.",
			attachment=("agreement.png", PNG),
		),
	)
	assert forged.reference_name == world.a  # Frappe links it by the subject...
	doc = frappe.get_doc("Complaint", world.a)
	assert not doc.evidence  # ...but it is not evidence
	notes = frappe.get_all(
		"Comment", filters={"reference_name": world.a, "comment_type": "Info"}, pluck="content"
	)
	assert any("mallory@example.com" in note and forged.name in note for note in notes)
	told = frappe.get_all(
		"Notification Log", filters={"document_name": world.a, "for_user": AGENT_A}, pluck="subject"
	)
	assert not any("replied" in subject for subject in told)
	genuine = receive(
		account.name,
		raw_email(
			PATIENT_EMAIL, f"Re: your complaint (#{world.a})", "More photos", attachment=("more.png", PNG)
		),
	)
	assert genuine.reference_name == world.a
	assert len(frappe.get_doc("Complaint", world.a).evidence) == 1


# --- 7. the intake API -------------------------------------------------------------------------


def api_complaint(world, user, **values):
	payload = {
		"idempotency_key": unique("key"),
		"channel": "WeChat",
		"customer_name": "Sun",
		"contact_phone": "+86 139 0000 3333",
		"subject": "Pain",
		"description": "Pain after the injection",
		**values,
	}
	response = world.http.call("kesu_app.api.submit_complaint", world.auth[user], **payload)
	if response.status == 200:
		world.made.append(response.message["complaint"])
	return response


def test_one_integrations_key_never_finds_anothers_complaint(world):
	key = unique("shared-key")
	first = api_complaint(world, INTEGRATION_1, idempotency_key=key, subject="Integration one")
	second = api_complaint(world, INTEGRATION_2, idempotency_key=key, subject="Integration two")
	assert first.status == second.status == 200
	assert second.message["created"] and second.message["complaint"] != first.message["complaint"]
	again = api_complaint(world, INTEGRATION_1, idempotency_key=key)
	assert again.message == {**first.message, "created": False}


@pytest.mark.parametrize(
	"received_at", ["yesterday-ish", "2026-13-45 10:00:00", "2020-01-01 10:00:00", "2999-01-01 10:00:00"]
)
def test_a_bad_received_at_is_refused_plainly(world, received_at):
	before = frappe.db.count("Complaint")
	response = api_complaint(world, INTEGRATION_2, received_at=received_at)
	assert response.status == 417, response
	assert "received_at" in response.text
	Http.fresh()
	assert frappe.db.count("Complaint") == before


def test_the_integration_files_only_for_its_own_company(world, masters):
	response = api_complaint(world, INTEGRATION_1, company=masters["other_company"])
	assert response.status == 403, response
	assert not frappe.db.exists(
		"Complaint", {"company": masters["other_company"], "subject": "Pain", "owner": INTEGRATION_1}
	)


def test_an_unknown_branch_is_refused_without_quoting_it_as_html(world):
	response = api_complaint(world, INTEGRATION_2, branch="<img src=x onerror=alert(1)>")
	assert response.status == 417
	assert "<img src=x" not in response.text


def test_error_messages_quote_no_input_as_html(world):
	response = api_complaint(world, INTEGRATION_2, contact_email="<svg onload=alert(1)>@x")
	assert response.status == 417
	assert "<svg" not in response.text


# --- 8. survey links ---------------------------------------------------------------------------


def survey(world, complaint_name: str, sent_days_ago: int = 0) -> tuple[str, str]:
	from kesu_app.follow_up import issue_survey_key

	follow_up = new_follow_up(complaint_name, "Satisfaction Survey")
	key = issue_survey_key(follow_up)
	follow_up.db_set("survey_sent_at", add_to_date(now_datetime(), days=-sent_days_ago))
	frappe.db.commit()
	return follow_up.name, key


def answer(world, key: str, auth=None):
	frappe.cache.delete_keys("rl:")
	return world.http.call(
		"kesu_app.survey.submit_survey", auth, key=key, rating=5, satisfied=1, reason="fine"
	)


def test_an_expired_survey_link_is_refused(world):
	name, key = survey(world, world.b, sent_days_ago=31)
	response = answer(world, key)
	assert response.refused and "expired" in response.text
	assert stored("Follow-up", name, "status") == "Scheduled"


def test_a_survey_link_of_an_earlier_cycle_is_refused(world):
	name, key = survey(world, world.b)
	frappe.db.set_value("Complaint", world.b, "cycle", 2)  # reopened since
	frappe.db.commit()
	try:
		response = answer(world, key)
	finally:
		frappe.db.set_value("Complaint", world.b, "cycle", 1)
		frappe.db.commit()
	assert response.refused
	assert stored("Follow-up", name, "status") == "Scheduled"


def test_a_follow_up_reader_cannot_answer_with_what_the_api_shows(world):
	name, _key = survey(world, world.b)
	shown = api_get(world, AGENT_B, "Follow-up", name)
	assert shown.status == 200
	stored_key = shown.message["survey_key"]
	assert stored_key == survey_key_hash(_key)  # only the hash is readable
	response = answer(world, stored_key)
	assert response.refused
	assert stored("Follow-up", name, "status") == "Scheduled"


def test_staff_cannot_answer_a_survey_for_the_customer(world):
	name, key = survey(world, world.b)
	response = answer(world, key, world.auth[AGENT_B])
	assert response.status == 403
	assert stored("Follow-up", name, "status") == "Scheduled"


def test_staff_of_another_branch_cannot_issue_a_survey_link(world):
	name, _key = survey(world, world.b)
	response = world.http.call("kesu_app.follow_up.get_survey_link", world.auth[AGENT_A], follow_up=name)
	assert response.refused and "satisfaction?key=" not in response.text


def test_the_customer_answers_a_fresh_link(world):
	name, key = survey(world, world.b)
	response = answer(world, key)
	assert response.status == 200, response
	assert stored("Follow-up", name, "outcome") == "Satisfied"
	assert answer(world, key).refused  # once


def test_a_new_link_replaces_the_one_before(world):
	name, key = survey(world, world.b)
	response = world.http.call("kesu_app.follow_up.get_survey_link", world.auth[AGENT_B], follow_up=name)
	assert response.status == 200 and "satisfaction?key=" in response.message
	assert answer(world, key).refused
	new_key = response.message.rsplit("=", 1)[1]
	assert answer(world, new_key).status == 200
