"""The 15-minute time-limit job at a frozen moment: exactly the expected warnings, breaches,
escalations and history rows; a second run does nothing; one broken complaint does not stop
the others."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from kesu_app import bulk  # noqa: E402
from kesu_app.alerts import due_complaints, process_time_limit_alerts  # noqa: E402
from kesu_app.compat import set_in_test  # noqa: E402
from kesu_app.escalation_batch import EscalationBatch, document_path_reason  # noqa: E402
from tests.integration.factories import DEPT_MANAGER, SUPERVISOR, complaint, make_user  # noqa: E402

# Wednesday 8 April 2026, 10:00; Monday the 6th is the calendar fixture's public holiday
NOW = datetime(2026, 4, 8, 10, 0)


def file(masters, **values) -> str:
	doc = frappe.get_doc(complaint(masters, **values))
	doc.insert()
	return doc.name


@pytest.fixture
def seeded(masters, calendar):
	# only the complaints of this test are due for alerts
	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	quiet = make_user("kesu.quiet@example.com", ["Complaint Agent"])
	frappe.db.set_value("Notification Settings", quiet, "enabled", 0) if frappe.db.exists(
		"Notification Settings", quiet
	) else None
	names = {
		# acknowledgement due Wed 11:00: inside the 4-hour lead of a general case
		"warn": file(masters, received_at="2026-04-07 11:00:00"),
		# acknowledgement was due Tue 09:00: overdue
		"overdue": file(masters, received_at="2026-04-06 09:00:00", handler=quiet),
		"overdue_no_handler": file(masters, received_at="2026-04-06 09:30:00"),
		"acknowledged": file(masters, received_at="2026-04-07 11:00:00", status="Acknowledged"),
		"paused": file(masters, received_at="2026-04-06 09:00:00"),
		"broken": file(masters, received_at="2026-04-06 10:00:00"),
	}
	frappe.get_doc("Complaint", names["paused"]).pause_clock("Waiting for the customer's photos")
	# a complaint that cannot be saved any more: its escalation will fail
	frappe.db.set_value(
		"Complaint",
		names["broken"],
		{"channel": "Third Party", "third_party_body": None},
		update_modified=False,
	)
	return names


def alerts_for(names) -> list[tuple[str, str]]:
	logs = frappe.get_all(
		"Notification Log",
		filters={"document_type": "Complaint", "document_name": ("in", list(names)), "type": "Alert"},
		fields=["document_name", "for_user"],
	)
	return sorted((log.document_name, log.for_user) for log in logs)


@contextmanager
def taking(path: str, broken: str):
	"""Run the job by ``path``: the batch (set-based, the default), or the document path (one
	save per complaint, as on a site with a Notification on saving a complaint). In the batch
	one complaint raises while it is decided; on the document path its save fails validation."""
	real_decide = EscalationBatch.decide

	def decide(self, doc, *args):
		if doc.name == broken:
			raise ValueError("a complaint that cannot be decided")
		return real_decide(self, doc, *args)

	with (
		patch("kesu_app.alerts.document_path_reason", return_value="test" if path == "document" else None),
		patch.object(EscalationBatch, "decide", decide),
		# the test site has no outgoing email account; the mails are caught by a mocked sendmail
		patch("kesu_app.outbox.can_send_email", return_value=True),
	):
		yield


@pytest.mark.parametrize("path", ["batch", "document"])
def test_job_warns_alerts_escalates_once(seeded, path):
	names = seeded
	assert set(due_complaints(NOW)) == {
		names["warn"],
		names["overdue"],
		names["overdue_no_handler"],
		names["broken"],
	}

	with taking(path, names["broken"]), patch("kesu_app.outbox.frappe.sendmail") as sendmail:
		done = process_time_limit_alerts(NOW)
	assert done == {"warnings": 1, "breaches": 2, "escalations": 2, "errors": 1}

	warn = frappe.get_doc("Complaint", names["warn"])
	assert warn.acknowledgement_alert_level == 1 and warn.current_tier == "Front Desk"

	for key in ("overdue", "overdue_no_handler"):
		doc = frappe.get_doc("Complaint", names[key])
		assert doc.acknowledgement_alert_level == 2 and doc.acknowledgement_breached
		assert str(doc.acknowledgement_breached_at) == str(doc.acknowledgement_due)
		assert doc.current_tier == "Supervisor" and doc.workflow_state == "Escalated to Supervisor"
		assert doc.status == "Escalated" and doc.handler == SUPERVISOR
		[row] = doc.escalations
		assert row.reason_type == "Overdue" and "Acknowledgement" in row.reason
		assert (row.from_tier, row.to_tier, row.assigned_to) == ("Front Desk", "Supervisor", SUPERVISOR)
		assert SUPERVISOR in frappe.get_all(
			"ToDo", filters={"reference_name": doc.name}, pluck="allocated_to"
		)
		assert SUPERVISOR in json.loads(doc._assign)

	# the handler without email notifications still got the system alert, and the case moved
	assert (names["overdue"], "kesu.quiet@example.com") in alerts_for([names["overdue"]])
	# the tier above was alerted too
	assert (names["overdue"], SUPERVISOR) in alerts_for([names["overdue"]])
	# one email per person for the whole run, none to the one who switched notifications off
	recipients = [call.kwargs["recipients"] for call in sendmail.call_args_list]
	assert ["kesu.quiet@example.com"] not in recipients
	assert recipients.count([SUPERVISOR]) == 1

	broken = frappe.get_doc("Complaint", names["broken"])
	assert broken.current_tier == "Front Desk" and not broken.escalations
	assert not broken.acknowledgement_alert_level
	assert frappe.db.exists("Error Log", {"reference_name": names["broken"]})
	# it is tried again in an hour, not in every run
	assert str(broken.next_alert_at) == "2026-04-08 11:00:00"

	for key in ("acknowledged", "paused"):
		doc = frappe.get_doc("Complaint", names[key])
		assert not doc.escalations and not any(
			doc.get(f"{s}_alert_level") for s in ("acknowledgement", "investigation", "resolution")
		)

	# a run repeated at once sends nothing and escalates nothing
	sent = alerts_for(names.values())
	history = frappe.db.count("Complaint Escalation", {"parent": ("in", list(names.values()))})
	with taking(path, names["broken"]), patch("kesu_app.outbox.frappe.sendmail") as sendmail:
		again = process_time_limit_alerts(NOW)
	assert again["warnings"] == again["breaches"] == again["escalations"] == 0
	assert alerts_for(names.values()) == sent
	assert frappe.db.count("Complaint Escalation", {"parent": ("in", list(names.values()))}) == history
	sendmail.assert_not_called()


def test_a_batch_that_fails_to_write_is_done_one_complaint_at_a_time(seeded):
	"""Nothing of the failed batch is kept; the complaints are then saved one by one, so only
	the one that cannot be saved is left for later."""
	names = seeded
	real_insert = bulk.insert

	def insert(doctype, rows):
		if doctype == "Complaint Escalation":
			raise frappe.db.DataError("the history table refused the batch")
		return real_insert(doctype, rows)

	with patch("kesu_app.escalation_batch.bulk.insert", insert):
		done = process_time_limit_alerts(NOW)
	assert done == {"warnings": 1, "breaches": 2, "escalations": 2, "errors": 1}
	for key in ("overdue", "overdue_no_handler"):
		doc = frappe.get_doc("Complaint", names[key])
		assert doc.current_tier == "Supervisor" and len(doc.escalations) == 1
	assert frappe.get_doc("Complaint", names["broken"]).current_tier == "Front Desk"
	# each alert once: none was kept from the failed batch
	warned = alerts_for([names["warn"]])
	assert warned and len(warned) == len(set(warned))


def records_of(name: str) -> dict:
	"""What an escalation leaves on and around a complaint, without names and timestamps."""
	doc = frappe.get_doc("Complaint", name)
	fields = (
		"status", "current_tier", "workflow_state", "handler", "next_alert_at",
		"acknowledgement_alert_level", "acknowledgement_breached", "investigation_alert_level",
	)  # fmt: skip
	skip = {"name", "parent", "creation", "modified", "escalated_at", "owner", "modified_by"}
	return {
		"complaint": {field: doc.get(field) for field in fields},
		"assign": json.loads(doc._assign or "[]"),
		"history": [{k: v for k, v in row.as_dict().items() if k not in skip} for row in doc.escalations],
		"todos": frappe.get_all(
			"ToDo",
			filters={"reference_type": "Complaint", "reference_name": name},
			fields=["allocated_to", "description", "priority", "status", "assigned_by", "date"],
		),
		"comments": sorted(
			(c.comment_type, c.content)
			for c in frappe.get_all(
				"Comment",
				filters={"reference_doctype": "Complaint", "reference_name": name},
				fields=["comment_type", "content"],
			)
		),
		"notifications": sorted(
			(n.type, n.for_user, n.subject.replace(name, "NAME"))
			for n in frappe.get_all(
				"Notification Log",
				filters={"document_type": "Complaint", "document_name": name},
				fields=["type", "for_user", "subject"],
			)
		),
		"workflow_actions": sorted(
			(a.workflow_state, a.status, a.role)
			for a in frappe.db.sql(
				"""select a.workflow_state, a.status, r.role from `tabWorkflow Action` a
				join `tabWorkflow Action Permitted Role` r on r.parent = a.name
				where a.reference_doctype = 'Complaint' and a.reference_name = %s""",
				name,
				as_dict=True,
			)
		),
	}


def test_the_batch_writes_what_saving_each_complaint_writes(masters, calendar):
	"""Twin complaints, one escalated by the batch and one by the document path: the same
	state, history, assignment, comments, notifications and Workflow Actions."""
	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	twins = {path: file(masters, received_at="2026-04-06 09:00:00") for path in ("batch", "document")}
	records = {}
	for path, name in twins.items():
		frappe.db.sql("update `tabComplaint` set next_alert_at = null")  # the other twin sits out
		frappe.db.set_value("Complaint", name, "next_alert_at", "2026-04-07 09:00:00", update_modified=False)
		with taking(path, broken=""), patch("kesu_app.outbox.frappe.sendmail"):
			assert process_time_limit_alerts(NOW)["escalations"] == 1
		records[path] = records_of(name)
	batch, document = records["batch"], records["document"]
	assert batch["complaint"]["current_tier"] == "Supervisor" and batch["todos"]
	assert ("Workflow", "Escalated to Supervisor") in batch["comments"]
	assert batch["workflow_actions"]
	for key in batch:
		assert batch[key] == document[key], key


def test_the_batch_writes_a_version_of_each_escalation(masters, calendar):
	"""Outside tests, a save writes a Version; so does the batch."""
	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	name = file(masters, received_at="2026-04-06 09:00:00")
	set_in_test(False)
	try:
		with patch("kesu_app.outbox.frappe.sendmail"):
			process_time_limit_alerts(NOW)
	finally:
		set_in_test(True)
	[data] = frappe.get_all("Version", filters={"ref_doctype": "Complaint", "docname": name}, pluck="data")
	diff = json.loads(data)
	assert ["current_tier", "Front Desk", "Supervisor"] in diff["changed"]
	[(table, row)] = diff["added"]
	assert table == "escalations" and row["reason_type"] == "Overdue"
	# the row as stored, as a save's Version shows it
	assert row["creation"] and "__islocal" not in row


def test_nothing_due_means_nothing_selected(masters, calendar):
	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	name = file(masters, received_at="2026-04-07 11:00:00")
	assert due_complaints(datetime(2026, 4, 8, 6, 59)) == []
	assert due_complaints(datetime(2026, 4, 8, 7, 0)) == [name]


def test_scheduler_entry_hands_work_to_one_deduplicated_worker_job(masters, calendar):
	from unittest.mock import patch

	from kesu_app.alerts import JOB_ID, run_time_limit_alerts

	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	with patch("kesu_app.alerts.frappe.enqueue") as enqueue:
		run_time_limit_alerts()
	enqueue.assert_not_called()  # nothing due: the cheap query alone

	file(masters, received_at="2026-04-06 09:00:00")
	with patch("kesu_app.alerts.frappe.enqueue") as enqueue:
		run_time_limit_alerts()
	kwargs = enqueue.call_args.kwargs
	assert enqueue.call_args.args[0] == "kesu_app.alerts.process_time_limit_alerts"
	assert kwargs["job_id"] == JOB_ID and kwargs["deduplicate"] is True and kwargs["commit"] is True

	calendar.enable_time_limit_alerts = 0
	calendar.save()
	with patch("kesu_app.alerts.frappe.enqueue") as enqueue:
		run_time_limit_alerts()
	enqueue.assert_not_called()


def test_stage_names_read_as_a_complaints_in_chinese():
	"""ERPNext's Chinese says 决议 (a resolution voted on) and 反馈 for the bare words; alerts,
	the escalation reason and the reports name the complaint's stages 处理 and 结果反馈."""
	from kesu_app.kesu_app.report.complaint_category_analysis.complaint_category_analysis import columns
	from kesu_app.outbox import alert_text
	from kesu_app.time_limits import stage_label

	frappe.local.lang = "zh"
	try:
		texts = [
			alert_text("breach", "CMP-2026-00001", "Redness", "resolution", NOW),
			alert_text("warn", "CMP-2026-00001", "Redness", "feedback", NOW),
		]
		labels = [stage_label(stage) for stage in ("resolution", "feedback")]
		headings = " ".join(column["label"] for column in columns())
	finally:
		frappe.local.lang = "en"
	assert labels == ["处理", "结果反馈"]
	assert "处理" in texts[0] and "结果反馈" in texts[1]
	assert "决议" not in " ".join(texts) + headings and "处理" in headings


def test_a_site_that_acts_on_saving_complaints_gets_the_document_path(masters):
	"""The batch writes what a save writes, but not what someone else hooked onto a save: a
	Notification on saving a complaint, or another app's hook, sends the job the slow way."""
	assert document_path_reason() is None
	notification = frappe.get_doc(
		{
			"doctype": "Notification",
			"name": "Kesu test: complaint saved",
			"subject": "Saved",
			"document_type": "Complaint",
			"event": "Value Change",
			"value_changed": "current_tier",
			"channel": "System Notification",
			"send_to_all_assignees": 1,
			"message": "Tier changed",
			"enabled": 1,
		}
	).insert(ignore_permissions=True)
	assert document_path_reason() == "Notification"
	# on a method: one a save runs counts; one no save runs (as the new-complaint alert's) does not
	notification.db_set({"event": "Method", "method": "on_update"})
	assert document_path_reason() == "Notification"
	notification.db_set("method", "after_customer_intake")
	assert document_path_reason() is None
	notification.db_set({"method": "on_update", "enabled": 0})
	assert document_path_reason() is None

	# a workflow condition on a child table (the batch loads none)
	workflow = frappe.get_doc("Workflow", {"document_type": "Complaint"})
	transition = workflow.transitions[0]
	transition.condition = "len(doc.evidence) > 0"
	workflow.save()
	try:
		assert document_path_reason() == "Workflow Transition"
	finally:
		transition.condition = None
		workflow.save()
	assert document_path_reason() is None

	real_get_hooks = frappe.get_hooks

	def get_hooks(hook=None, *args, **kwargs):
		hooks = real_get_hooks(hook, *args, **kwargs)
		if hook == "doc_events":
			hooks = {**hooks, "Complaint": {"on_update": ["other_app.complaints.push_to_crm"]}}
		return hooks

	with patch("frappe.get_hooks", get_hooks):
		assert document_path_reason() == "other_app.complaints.push_to_crm"


def test_the_alert_email_reads_in_its_readers_language(masters):
	from kesu_app.outbox import Outbox

	reader = make_user("kesu.zh.reader@example.com", ["Complaint Supervisor"])
	frappe.db.set_value("User", reader, "language", "zh")

	def send(site_sends_email: bool):
		outbox = Outbox()
		outbox.extend([([reader], "CMP-2026-00009", "Redness", "breach", "acknowledgement", NOW)])
		with (
			patch("kesu_app.outbox.frappe.sendmail") as sendmail,
			patch("kesu_app.outbox.can_send_email", return_value=site_sends_email),
		):
			outbox.send()
		return sendmail

	# a site without an outgoing email account: the bell only, and no error every 15 minutes
	send(site_sends_email=False).assert_not_called()
	assert frappe.db.count("Notification Log", {"for_user": reader, "document_name": "CMP-2026-00009"}) == 1

	mail = send(site_sends_email=True).call_args.kwargs
	assert mail["recipients"] == [reader]
	assert mail["subject"] == "投诉时限：1 件已超时，0 件即将到期"
	frappe.local.lang = "zh"
	try:
		html = frappe.get_template(f"templates/emails/{mail['template']}.html").render(
			{**mail["args"], "_": frappe._, "frappe": frappe}
		)
	finally:
		frappe.local.lang = "en"
	# the desk's own link (under /app on Frappe 15, /desk on 16)
	assert frappe.utils.get_url_to_form("Complaint", "CMP-2026-00009") in html
	assert "以下投诉需要您处理" in html and "已超时" in html


@pytest.mark.parametrize("path", ["batch", "document"])
def test_an_overdue_case_passes_over_a_tier_nobody_holds(masters, calendar, path):
	"""The job's escalation skips an empty tier as a user's does, on both of its paths, and the
	front desk's ToDo closes: the case is the department manager's now."""
	frappe.db.sql("update `tabComplaint` set next_alert_at = null")
	name = file(masters, received_at="2026-04-06 09:00:00", handler=masters["agent"])
	from kesu_app.handover import hand_over

	hand_over(frappe.get_doc("Complaint", name), [masters["agent"]], "Acknowledge")
	frappe.db.delete("Has Role", {"role": "Complaint Supervisor", "parenttype": "User"})
	with (
		patch("kesu_app.alerts.document_path_reason", return_value="test" if path == "document" else None),
		patch("kesu_app.outbox.frappe.sendmail"),
	):
		process_time_limit_alerts(NOW)
	doc = frappe.get_doc("Complaint", name)
	assert (doc.current_tier, doc.workflow_state) == ("Department Manager", "Escalated to Department Manager")
	row = doc.escalations[-1]
	assert (row.from_tier, row.passed_tiers, row.automatic) == ("Front Desk", "Supervisor", 1)
	assert frappe.get_all(
		"ToDo", filters={"reference_name": name, "status": "Open"}, pluck="allocated_to"
	) == [DEPT_MANAGER]
	assert DEPT_MANAGER in frappe.parse_json(doc._assign) and masters["agent"] not in frappe.parse_json(
		doc._assign
	)
