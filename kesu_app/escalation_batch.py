"""Escalations of many complaints at once, for the time-limit job.

Each one is decided as kesu_app.escalation.escalate decides one: the target tier from the
tier rules, a transition of the active Workflow that the app (as Administrator) may apply,
with its condition, the next tier's people from the same assignee rule, the same history row.
What a save of each complaint would then write is written for the whole batch with a
statement or two per table: the complaint's new state, tier, status, handler and assignment
list; its history row; a Version of the change; the Workflow comment; a ToDo and an
"assigned" comment per person, Frappe's assignment notification (no share: only people who
may read the complaint are chosen); the Workflow Actions completed and opened.

document_path_reason() tells when this is not enough: something on the site (a Notification
on saving, a Server Script, a Webhook, another app's hook...) must see every save of a
complaint, or a Workflow condition reads a child table, which the batch does not load; the
job then saves each complaint as a document instead.
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.core.doctype.version.version import get_diff
from frappe.desk.form.assign_to import notify_assignment
from frappe.desk.form.document_follow import follow_document
from frappe.desk.notifications import clear_doctype_notifications
from frappe.model.workflow import get_workflow, get_workflow_name, is_transition_condition_satisfied
from frappe.query_builder import Criterion, DocType
from frappe.query_builder.functions import Max
from frappe.utils import get_fullname, now_datetime, nowdate

from kesu_app import bulk
from kesu_app.compat import in_test
from kesu_app.escalation import assignment, escalation_state, history_row, set_state, target_for
from kesu_app.rules.tiers import first_held_tier
from kesu_app.system import as_system

# hooks on every document (or on Complaint) whose effect on an escalated complaint the batch
# writes itself, or which do nothing to a complaint unless a record checked below exists
KNOWN_HOOKS = {
	"frappe.desk.notifications.clear_doctype_notifications",
	"frappe.workflow.doctype.workflow_action.workflow_action.process_workflow_actions",
	"frappe.core.doctype.file.utils.attach_files_to_document",
	"frappe.automation.doctype.assignment_rule.assignment_rule.apply",
	"frappe.automation.doctype.assignment_rule.assignment_rule.update_due_date",
	"frappe.core.doctype.user_type.user_type.apply_permissions_for_non_standard_user_type",
	"frappe.search.sqlite_search.update_doc_index",
	"frappe.search.sqlite_search.delete_doc_index",
	"frappe.social.doctype.energy_point_rule.energy_point_rule.process_energy_points",
	"frappe.automation.doctype.milestone_tracker.milestone_tracker.evaluate_milestone",
	"erpnext.support.doctype.service_level_agreement.service_level_agreement.apply",
	"erpnext.setup.doctype.transaction_deletion_record.transaction_deletion_record.check_for_running_deletion_job",
	# Frappe 16, on every document: logs permission changes of documents that define
	# get_permission_log_options (DocPerm, User Permission...); a complaint defines none
	"frappe.core.doctype.permission_log.permission_log.make_perm_log",
}
SAVE_EVENTS = ("validate", "before_save", "on_update", "on_change", "before_validate")
# (doctype, its field naming the doctype, filters that make one active) of records that act
# on a save of a complaint
ACTING_RECORDS = (
	("Notification", "document_type", {"enabled": 1, "event": ("in", ["Save", "Value Change"])}),
	# on a method: only a method a save runs (the new-complaint alert's runs at intake only)
	("Notification", "document_type", {"enabled": 1, "event": "Method", "method": ("in", SAVE_EVENTS)}),
	("Server Script", "reference_doctype", {"disabled": 0, "script_type": "DocType Event"}),
	("Webhook", "webhook_doctype", {"enabled": 1}),
	("Assignment Rule", "document_type", {"disabled": 0}),
	("Energy Point Rule", "reference_doctype", {"enabled": 1}),
	("Milestone Tracker", "document_type", {"disabled": 0}),
	("Service Level Agreement", "document_type", {"enabled": 1}),
)


def document_path_reason() -> str | None:
	"""Why complaints must be escalated by saving them one by one, or None."""
	for doctype, field, filters in ACTING_RECORDS:
		if frappe.db.table_exists(doctype) and frappe.get_all(
			doctype, filters={field: "Complaint", **filters}, limit=1
		):
			return doctype
	if get_workflow_name("Complaint"):
		# the batch reads no child tables: a transition condition on one needs the document
		tables = [df.fieldname for df in frappe.get_meta("Complaint").get_table_fields()]
		for transition in get_workflow("Complaint").transitions:
			if any(table in (transition.condition or "") for table in tables):
				return "Workflow Transition"
	events = frappe.get_hooks("doc_events")
	for key, handlers in events.items():
		if key not in ("*", "Complaint") and not (isinstance(key, tuple) and "Complaint" in key):
			continue
		for event, methods in handlers.items():
			if event not in SAVE_EVENTS:
				continue
			for method in [methods] if isinstance(methods, str) else methods:
				if method not in KNOWN_HOOKS and not method.startswith("kesu_app."):
					return method
	return None


class EscalationBatch:
	def __init__(self, docs: list):
		self.user = frappe.session.user
		self.workflow = get_workflow("Complaint") if get_workflow_name("Complaint") else None
		names = [doc.name for doc in docs]
		self.open_todos = self._open_todos(names) if names else {}
		self.last_idx = self._last_history_idx(names) if names else {}
		self.items: list[frappe._dict] = []

	@staticmethod
	def _open_todos(names: list[str]) -> dict[str, list[str]]:
		todo = DocType("ToDo")
		rows = (
			frappe.qb.from_(todo)
			.select(todo.reference_name, todo.allocated_to)
			.where(
				(todo.reference_type == "Complaint")
				& todo.reference_name.isin(names)
				& (todo.status == "Open")
				& todo.allocated_to.isnotnull()
				& (todo.allocated_to != "")
			)
			.orderby(todo.creation)
			.run()
		)
		found: dict[str, list[str]] = {}
		for name, user in rows:
			found.setdefault(name, []).append(user)
		return found

	@staticmethod
	def _last_history_idx(names: list[str]) -> dict[str, int]:
		row = DocType("Complaint Escalation")
		return dict(
			frappe.qb.from_(row)
			.select(row.parent, Max(row.idx))
			.where(row.parent.isin(names) & (row.parenttype == "Complaint"))
			.groupby(row.parent)
			.run()
		)

	def decide(self, doc, reason_type: str, reason: str, assignees):
		"""Escalate ``doc`` in memory as escalate() and the Complaint controller would; returns
		the escalation to write, or None when there is no higher tier or no transition to it."""
		target = target_for(doc, reason_type)
		if not target:
			return None
		before = frappe.get_doc({**doc.flags.row, "doctype": "Complaint"})
		stamp = now_datetime()
		with as_system():
			if self.workflow:
				state, passed = escalation_state(doc, self.workflow, target, assignees)
				if not state:
					return None
				set_state(doc, self.workflow, state)
			else:
				state = None
				doc.current_tier, passed = first_held_tier(target, assignees.holds(doc))
			people = assignees.find(doc, doc.current_tier)
			# Complaint.record_escalation, then the rest of validate that a tier rise touches
			doc.status = "Escalated"
			escalation = frappe._dict(reason_type=reason_type, reason=reason, automatic=True, passed=passed)
			row = doc.append("escalations", history_row(doc, before, escalation, people, stamp))
			# as the row will be written (and a save's Version shows it): named, stamped, stored
			row.update(
				{
					"name": frappe.generate_hash(length=10),
					"idx": self.last_idx.get(doc.name, 0) + 1,
					"owner": self.user,
					"modified_by": self.user,
					"creation": stamp,
					"modified": stamp,
				}
			)
			row.__dict__.pop("__islocal", None)
			if people:
				doc.handler = people[0]
			doc._doc_before_save = before
			doc.record_stage_times()
			doc.update_breaches()
			new_people = [user for user in people if user not in self.open_todos.get(doc.name, [])]
			if people:
				doc._assign = json.dumps(people)
				doc.flags.handed_over_from = [
					user for user in self.open_todos.get(doc.name, []) if user not in people
				]
			doc.modified, doc.modified_by = stamp, self.user
		return (doc, before, state, row, new_people, escalation)

	def add(self, doc, before, state, row, new_people, escalation):
		self.items.append(
			frappe._dict(
				doc=doc, before=before, state=state, row=row, people=new_people, escalation=escalation
			)
		)

	def write(self, changes: dict[str, dict]):
		bulk.update("Complaint", changes)
		if not self.items:
			return
		self.write_history()
		self.write_versions()
		self.write_assignments()
		if self.workflow:
			self.write_workflow()
		for item in self.items:
			frappe.clear_document_cache("Complaint", item.doc.name)
			item.doc.notify_update()
		clear_doctype_notifications("Complaint")

	def write_history(self):
		rows = []
		for item in self.items:
			values = {
				k: v for k, v in item.row.get_valid_dict(convert_dates_to_str=True).items() if v is not None
			}
			rows.append(
				{**values, "parent": item.doc.name, "parenttype": "Complaint", "parentfield": "escalations"}
			)
		bulk.insert("Complaint Escalation", rows)

	def write_versions(self):
		"""Versions, as the save would write them (the tests' saves write none either)."""
		if not frappe.get_meta("Complaint").track_changes or in_test():
			return
		rows = []
		for item in self.items:
			diff = get_diff(item.before, item.doc)
			if diff:
				rows.append(
					{
						"ref_doctype": "Complaint",
						"docname": item.doc.name,
						"data": frappe.as_json(diff, indent=None, separators=(",", ":")),
					}
				)
		bulk.insert("Version", rows)
		if frappe.get_cached_value("User", self.user, "follow_created_documents"):
			for item in self.items:
				follow_document("Complaint", item.doc.name, self.user)

	def write_assignments(self):
		"""What assign_to.add writes for each new person of the tier, and set_status for each one
		whose ToDo closes because the case went past them (see kesu_app.handover)."""
		comments, todos = [], []
		for item in self.items:
			if self.workflow and item.state:
				comments.append(self.comment(item.doc, "Workflow", _(item.state.state)))
			item.details = details = assignment(item.doc, item.escalation)
			for user in item.people:
				todos.append(
					{
						"allocated_to": user,
						"reference_type": "Complaint",
						"reference_name": item.doc.name,
						"status": "Open",
						"date": nowdate(),
						"assigned_by": self.user,
						"assigned_by_full_name": get_fullname(self.user),
						**details,
					}
				)
				text = _("{0} assigned {1}: {2}").format(
					get_fullname(self.user), get_fullname(user), details["description"]
				)
				comments.append(self.comment(item.doc, "Assigned", text))
		bulk.insert("Comment", comments)
		bulk.insert("ToDo", todos)
		self.close_passed_todos()
		for item in self.items:
			for user in item.people:
				self.follow_assigned(item.doc, user)
				notify_assignment(
					self.user,
					user,
					"Complaint",
					item.doc.name,
					action="ASSIGN",
					description=item.details["description"],
				)

	def close_passed_todos(self):
		"""The ToDos of the people the case went past, closed in one statement, with the comment
		Frappe's set_status writes for each."""
		pairs = [
			(item.doc.name, user) for item in self.items for user in item.doc.flags.handed_over_from or []
		]
		if not pairs:
			return
		todo = DocType("ToDo")
		match = Criterion.any(
			[(todo.reference_name == name) & (todo.allocated_to == user) for name, user in pairs]
		)
		(
			frappe.qb.update(todo)
			.set(todo.status, "Closed")
			.set(todo.modified, now_datetime())
			.where((todo.reference_type == "Complaint") & (todo.status == "Open") & match)
		).run()
		bulk.insert(
			"Comment",
			[
				self.comment(
					frappe._dict(name=name),
					"Assignment Completed",
					_("Assignment of {0} removed by {1}").format(get_fullname(user), get_fullname(self.user)),
				)
				for name, user in pairs
			],
		)

	def comment(self, doc, comment_type: str, text: str) -> dict:
		return {
			"comment_type": comment_type,
			"comment_email": self.user,
			"reference_doctype": "Complaint",
			"reference_name": doc.name,
			"content": frappe.utils.sanitize_html(text, always_sanitize=True),
		}

	@staticmethod
	def follow_assigned(doc, user: str):
		# people are chosen among those who may read the complaint (Assignees): none is shared
		if frappe.get_cached_value("User", user, "follow_assigned_documents"):
			follow_document("Complaint", doc.name, user)

	def write_workflow(self):
		"""Workflow Actions as Frappe's process_workflow_actions leaves them after a save: the
		open action the transition answered completed, one opened for the roles that may act
		on the new state."""
		workflow = self.workflow
		items = [item for item in self.items if item.state]
		action = DocType("Workflow Action")
		names = [item.doc.name for item in items]
		existing = set(
			frappe.qb.from_(action)
			.select(action.reference_name, action.workflow_state)
			.where((action.reference_doctype == "Complaint") & action.reference_name.isin(names))
			.run()
		)
		items = [item for item in items if (item.doc.name, item.state.state) not in existing]
		if not items:
			return
		self.complete_workflow_actions(items)
		clear_doctype_notifications("Workflow Action")
		optional = {s.state for s in workflow.states if s.is_optional_state}
		actions, roles = [], []
		for item in items:
			allowed = sorted(
				{
					t.allowed
					for t in workflow.transitions
					if t.state == item.state.state
					and t.next_state not in optional
					and is_transition_condition_satisfied(t, item.doc)
				}
			)
			if not allowed:
				continue
			name = frappe.generate_hash(length=10)
			actions.append(
				{
					"name": name,
					"reference_doctype": "Complaint",
					"reference_name": item.doc.name,
					"workflow_state": item.state.state,
					"status": "Open",
				}
			)
			roles += [
				{
					"parent": name,
					"parenttype": "Workflow Action",
					"parentfield": "permitted_roles",
					"role": r,
					"idx": i,
				}
				for i, r in enumerate(allowed, 1)
			]
		bulk.insert("Workflow Action", actions)
		bulk.insert("Workflow Action Permitted Role", roles)
		if workflow.send_email_alert:
			from frappe.workflow.doctype.workflow_action.workflow_action import (
				get_next_possible_transitions,
				send_workflow_action_email,
			)

			for item in items:
				if any(s.state == item.state.state and s.send_email for s in workflow.states):
					frappe.enqueue(
						send_workflow_action_email,
						queue="short",
						doc=item.doc,
						transitions=get_next_possible_transitions(workflow.name, item.state.state, item.doc),
						enqueue_after_commit=True,
						now=in_test(),
					)

	def complete_workflow_actions(self, items):
		"""The open action of each complaint that a role entering its new state held, marked
		completed by the app, as update_completed_workflow_actions does."""
		user_roles = set(frappe.get_roles(self.user))
		entering = {}
		for t in self.workflow.transitions:
			if t.allowed in user_roles:
				entering.setdefault(t.next_state, set()).add(t.allowed)
		action, role = DocType("Workflow Action"), DocType("Workflow Action Permitted Role")
		rows = (
			frappe.qb.from_(action)
			.join(role)
			.on(action.name == role.parent)
			.select(action.reference_name, action.name, role.role)
			.where(
				(action.reference_doctype == "Complaint")
				& action.reference_name.isin([item.doc.name for item in items])
				& (action.status == "Open")
			)
			.orderby(role.role)
			.run()
		)
		state_of = {item.doc.name: item.state.state for item in items}
		completed = {}
		for reference, name, permitted in rows:
			if reference not in completed and permitted in entering.get(state_of[reference], ()):
				completed[reference] = (name, permitted)
		by_role: dict[str, list[str]] = {}
		for name, permitted in completed.values():
			by_role.setdefault(permitted, []).append(name)
		for permitted, names in by_role.items():
			(
				frappe.qb.update(action)
				.set(action.status, "Completed")
				.set(action.completed_by, self.user)
				.set(action.completed_by_role, permitted)
				.where(action.name.isin(names))
				.run()
			)
