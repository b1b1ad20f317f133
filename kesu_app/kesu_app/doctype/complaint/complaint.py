# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.model.document import Document
from frappe.model.workflow import get_workflow, get_workflow_name
from frappe.utils import add_to_date, cint, get_datetime, now_datetime

from kesu_app import major
from kesu_app.categories import category_facts
from kesu_app.escalation import (
	assignment,
	can_escalate,
	escalate,
	find_assignees,
	history_row,
	pop_pending_escalation,
	state_named,
	state_of,
	system_may_reach,
	third_party_tier,
	todo_priority,
)
from kesu_app.handover import close_todos, hand_over, open_todos
from kesu_app.intake import (
	apply_web_form_values,
	attach_evidence_files,
	check_evidence_files,
	check_web_limits,
	customer_for_email,
	in_web_form,
)
from kesu_app.letters import send_letters_on_status
from kesu_app.permissions import check_stored_permission
from kesu_app.personal_data import protect_anonymised
from kesu_app.records import changed_fields, keep_server_fields
from kesu_app.repeats import apply_repeat_rules
from kesu_app.rules.alerts import StageClock, next_alert_at
from kesu_app.rules.defaults import NEW_COMPLAINT_NOTIFICATION
from kesu_app.rules.intake import is_phone
from kesu_app.rules.privacy import mask_phone
from kesu_app.rules.tiers import BY_SEVERITY, FRONT_DESK, THIRD_PARTY, filing_reason, is_escalation
from kesu_app.rules.time_limits import (
	ANSWERED_STAGES,
	CLOSED_STATUSES,
	STAGE_KEYS,
	Pause,
	at_least,
	compute_due_times,
	is_breached,
	stages_met_by_status,
	working_time_excluding_pauses,
)
from kesu_app.system import in_system_step
from kesu_app.time_limits import get_calendar, get_limits, warning_lead
from kesu_app.untrusted import clean_text_fields, escape

# clocks of staff PCs and phones drift: a received-at a little ahead of the server is not an error
FUTURE_TOLERANCE_MINUTES = 5
# a change to any of these moves the due times
TIME_LIMIT_INPUTS = (
	"received_at",
	"cycle_started_at",
	"severity",
	"company",
	"resolution_met_at",
	"channel",
	"third_party_deadline",
)
# what only the app writes: a user's write to one is put back (kesu_app.records.keep_server_fields)
SERVER_FIELDS = (
	"current_tier",
	"cycle",
	"cycle_started_at",
	"reopen_count",
	"is_demo",
	"intake_key",
	"closed_at",
	"resolution_working_hours",
	"next_alert_at",
	"clock_paused",
	"quality_action",
	"non_conformance",
	"is_major",
	"major_reason",
	"major_flagged_by",
	"major_flagged_at",
	"major_report",
	*(
		f"{stage}_{suffix}"
		for stage in STAGE_KEYS
		for suffix in ("due", "met_at", "breached", "breached_at", "alert_level")
	),
)
SERVER_TABLES = ("escalations", "pauses", "cycles")
# a closed case changes only by being reopened
REOPEN_CHANGES = {"status", "workflow_state"}
UNLOCK_MINUTES = 30
REOPENED, ESCALATED = "Reopened", "Escalated"
# what whoever filed a case may still complete once it has gone up a tier: how to reach the
# customer, what happened, and the evidence the customer sends after the call
FILER_FIELDS = (
	"customer_name",
	"contact_phone",
	"contact_email",
	"external_user_id",
	"subject",
	"description",
	"customer_demand",
	"demand_amount",
	"evidence",
)
# what the workflow's own steps write
WORKFLOW_FIELDS = {"workflow_state", "status", "current_tier"}
# how a result is usually given to a customer who came by each channel
RESULT_VIA = {
	"Phone": "Phone Call",
	"Walk-in": "In Person",
	"Email": "Email",
	"Website": "Email",
	"Online Chat": "WeChat / Chat",
	"WeChat": "WeChat / Chat",
	"Social Media": "WeChat / Chat",
	"Letter": "Letter",
	"Third Party": "Letter",
}


class Complaint(Document):
	def validate(self):
		check_stored_permission(self)
		protect_anonymised(self)
		self.protect_archive()
		self.check_state_editing()
		keep_server_fields(self, SERVER_FIELDS, SERVER_TABLES)
		self.validate_closing_by_workflow()
		self.follow_workflow_state()
		self.take_handler()
		self.set_intake_origin()
		clean_text_fields(self)
		check_evidence_files(self)
		self.set_missing_values()
		self.apply_category_defaults()
		self.validate_received_at()
		self.validate_contact()
		self.validate_third_party()
		self.validate_sales_invoice()
		self.validate_practitioner()
		self.validate_department()
		self.validate_outcome()
		self.validate_accountability()
		self.validate_major_closing()
		self.set_result_via()
		self.validate_web_intake()
		self.mask_contact()
		apply_repeat_rules(self)
		self.set_tier()
		major.update_flag(self)
		self.record_escalation()
		self.start_new_cycle()
		self.record_stage_times()
		self.update_time_limits()

	def onload(self):
		# the form of a closed case opens read-only, unless a System Manager unlocked it
		if self.status in CLOSED_STATUSES:
			self.set_onload("archive_unlocked", archive_unlocked(self.name))

	def after_insert(self):
		self.suggest_customer()
		self.escalate_at_filing()
		self.announce_customer_intake()

	def on_update(self):
		attach_evidence_files(self)
		self.move_records_with_branch()
		self.hand_over_next_step()
		self.note_result_given()
		self.schedule_follow_ups()
		self.escalate_on_third_party()
		self.escalate_on_severity_raise()
		self.close_assignments()
		self.assign_on_reopen()
		send_letters_on_status(self)

	def protect_archive(self):
		"""A closed or rejected case is the record a clinic shows a regulator: it changes only by
		being reopened (which keeps its history), or while a System Manager has unlocked it."""
		before = None if self.is_new() else self.get_doc_before_save()
		if not before or before.status not in CLOSED_STATUSES or archive_unlocked(self.name):
			return
		changed = changed_fields(before, self)
		if not changed or (self.status == REOPENED and changed <= REOPEN_CHANGES):
			return
		frappe.throw(
			_("Complaint {0} is {1}: it is kept as it was closed. Reopen it to change it.").format(
				frappe.bold(self.name), _(before.status, context=self.doctype)
			),
			title=_("Closed Complaint"),
		)

	def check_state_editing(self):
		"""Frappe's workflow lets only the state's editing role change a case, but only in the
		form: through the API anyone with write permission could. Here it holds for every path.
		Whoever filed the case may still complete its intake (FILER_FIELDS); an action waiting
		for fields (Reject needs its reason) fills in those fields."""
		if self.is_new() or self.flags.ignore_permissions or self.flags.server_write or in_system_step():
			return
		before = self.get_doc_before_save()
		if not before or self.user_may_edit_state(before):
			return
		changed = changed_fields(before, self) - WORKFLOW_FIELDS
		allowed = set(self.flags.awaited_fields or ())
		if self.is_filer():
			allowed |= set(FILER_FIELDS)
		refused = changed - allowed
		if refused:
			frappe.throw(
				_("In state {0} only {1} may change this complaint: {2} cannot be changed.").format(
					frappe.bold(_(before.workflow_state, context=self.doctype)),
					_(self.state_editor(before) or ""),
					", ".join(
						frappe.bold(_(self.meta.get_label(f), context=self.doctype)) for f in sorted(refused)
					),
				),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)

	def state_editor(self, doc=None) -> str | None:
		"""The role the workflow lets edit the case in its state (none without a workflow)."""
		if not get_workflow_name(self.doctype):
			return None
		state = state_of(doc or self, get_workflow(self.doctype))
		return state.allow_edit if state else None

	def user_may_edit_state(self, doc=None) -> bool:
		role = self.state_editor(doc)
		return not role or role in frappe.get_roles()

	def is_filer(self) -> bool:
		user = frappe.session.user
		return user not in ("Guest", "Administrator") and user in (self.owner, self.received_by)

	def may_finish_intake(self) -> bool:
		"""Whether the form must offer Finish Intake: the filer, locked out of the form by the
		workflow since the case went up a tier."""
		return bool(
			not self.is_new()
			and self.status not in CLOSED_STATUSES
			and self.is_filer()
			and not self.user_may_edit_state()
			and self.has_permission("write")
		)

	@frappe.whitelist()
	def finish_intake(self, values: str | dict):
		"""The filer completes the intake of a case escalated at filing (or since): contact
		details, what happened, evidence. Only those fields; the rest waits for the tier."""
		self.check_permission("write")
		if not self.may_finish_intake():
			frappe.throw(
				_("Only whoever filed this complaint may complete its intake here, while it is open."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
		values = frappe.parse_json(values) or {}
		unknown = set(values) - set(FILER_FIELDS)
		if unknown:
			frappe.throw(
				_("These fields are not part of the intake: {0}").format(", ".join(sorted(unknown))),
				title=_("Finish Intake"),
			)
		for field, value in values.items():
			if field == "evidence":
				for row in value or []:
					row = frappe._dict(row)
					self.append(
						"evidence",
						{
							"evidence_type": row.evidence_type or "Other",
							"attachment": row.attachment,
							"description": row.description,
							"added_by": frappe.session.user,
						},
					)
			else:
				self.set(field, value)
		self.save()
		self.answer_at_readers_levels()

	def follow_workflow_state(self):
		"""With the workflow on, Status (and the tier of an escalation state) follow the workflow
		state, whose transitions Frappe checks against the user's roles: on insert too. (The
		app's own steps and Administrator set both as the workflow would, or seed data.)"""
		if in_system_step() or not get_workflow_name(self.doctype):
			return
		state = state_of(self, get_workflow(self.doctype))
		if not state:
			return
		if state.update_field == "status" and state.update_value:
			self.status = state.update_value
		elif state.update_field == "current_tier" and state.update_value:
			self.current_tier = state.update_value
			self.status = ESCALATED

	def validate_workflow(self):
		"""Frappe checks a transition against the session user's roles; the app's own steps (an
		escalation for an overdue stage, a reopen the customer asked for) are checked against the
		workflow alone: a transition from the stored state to the new one must exist and hold."""
		if not (frappe.flags.kesu_system_step and get_workflow_name(self.doctype)):
			return super().validate_workflow()
		workflow = get_workflow(self.doctype)
		if not self.get(workflow.workflow_state_field):
			self.set(workflow.workflow_state_field, workflow.states[0].state)
		before = self.get_doc_before_save()
		current = before.get(workflow.workflow_state_field) if before else workflow.states[0].state
		target = self.get(workflow.workflow_state_field)
		if current == target:
			return
		if not before or not system_may_reach(before, workflow, current, target):
			frappe.throw(
				_("Workflow State transition not allowed from {0} to {1}").format(
					frappe.bold(current), frappe.bold(target)
				),
				title=_("Workflow"),
			)

	def answer_at_readers_levels(self):
		"""A button's response carries the saved document back to the form: only the fields the
		reader's levels allow (Frappe applies them to a form load, not to this)."""
		self.apply_fieldlevel_read_permissions()

	@frappe.whitelist()
	def record_first_response(self):
		"""The tier that holds a case (or the front desk on its behalf) records that it answered
		and acknowledged the customer, without leaving the escalation state: an escalated case
		can meet its first-response and acknowledgement limits too."""
		self.check_permission("write")
		if self.status in CLOSED_STATUSES:
			frappe.throw(_("A closed complaint has no running clock."), title=_("Closed"))
		pending = [stage for stage in ANSWERED_STAGES if not self.get(f"{stage}_met_at")]
		if not pending:
			frappe.throw(_("The first response is recorded already."), title=_("Already Recorded"))
		now = now_datetime()
		for stage in pending:
			self.set(f"{stage}_met_at", now)
		self.flags.server_write = True
		self.save()
		self.add_comment(
			"Info", _("First response and acknowledgement recorded by {0}.").format(frappe.session.user)
		)
		self.answer_at_readers_levels()

	def take_handler(self):
		"""Whoever moves an unowned case forward (acknowledges it, say) is its handler from then on."""
		if self.is_new() or self.handler or in_system_step() or frappe.session.user == "Guest":
			return
		if self.has_value_changed("workflow_state"):
			self.handler = frappe.session.user

	def set_intake_origin(self):
		"""Where a complaint that did not start in the desk came from: an Email Account sets its
		own name on the complaints it makes; the website form is flagged by Frappe."""
		if not self.is_new():
			return
		if self.email_account:
			self.channel = "Email"
			self.received_by = None
		elif in_web_form():
			apply_web_form_values(self)

	def announce_customer_intake(self):
		"""A complaint nobody at the clinic took (from the website, an email, the chat API) runs this
		method, which the front desk's Notification listens to (NEW_COMPLAINT_NOTIFICATION); one
		taken at the desk does not, so its insert does not load the Notification to learn so."""
		if not self.received_by or self.intake_key:
			self.run_method(NEW_COMPLAINT_NOTIFICATION["method"])

	def suggest_customer(self):
		"""An address typed by a guest or in an email's From proves nothing, so such a complaint is
		not linked to the Customer it names: staff are told of the match, and link it once they
		have confirmed who wrote."""
		if self.customer or not self.contact_email or not (self.email_account or in_web_form()):
			return
		customer = customer_for_email(self.contact_email)
		if customer:
			self.add_comment(
				"Info",
				_(
					"The address {0} is that of Customer {1}. Link the complaint to it once you have confirmed who wrote."
				).format(escape(self.contact_email), escape(customer)),
			)

	def move_records_with_branch(self):
		"""Follow-ups and the medical record are kept to a branch by their own company and branch:
		they move with the complaint."""
		if self.flags.in_insert or not (
			self.has_value_changed("company") or self.has_value_changed("branch")
		):
			return  # a new complaint has nothing of its own yet
		for doctype in ("Follow-up", "Complaint Medical Record"):
			table = frappe.qb.DocType(doctype)
			(
				frappe.qb.update(table)
				.set(table.company, self.company)
				.set(table.branch, self.branch)
				.where(table.complaint == self.name)
			).run()

	def validate_web_intake(self):
		if self.is_new() and in_web_form():
			check_web_limits(self)

	def start_new_cycle(self):
		"""A reopened complaint starts a new cycle of time limits; the results of the cycle
		before are kept as they were, in Earlier Cycles."""
		if self.is_new() or self.status != "Reopened" or not self.has_value_changed("status"):
			return
		now = now_datetime()
		results = {
			stage: {
				"due": str(self.get(f"{stage}_due") or ""),
				"met_at": str(self.get(f"{stage}_met_at") or ""),
				"breached": cint(self.get(f"{stage}_breached")),
			}
			for stage in STAGE_KEYS
		}
		self.append(
			"cycles",
			{
				"cycle": self.cycle or 1,
				"started_at": self.cycle_started_at or self.received_at,
				"reopened_at": now,
				"reason": self.flags.reopen_reason or _("Reopened", context=self.doctype),
				"stages_breached": sum(result["breached"] for result in results.values()),
				"stage_results": json.dumps(results),
			},
		)
		self.reopen_count = cint(self.reopen_count) + 1
		self.cycle = cint(self.cycle or 1) + 1
		self.cycle_started_at = now
		for stage in STAGE_KEYS:
			for suffix, empty in (
				("due", None),
				("met_at", None),
				("breached", 0),
				("breached_at", None),
				("alert_level", 0),
			):
				self.set(f"{stage}_{suffix}", empty)
		self.closed_at = None
		self.resolution_working_hours = None
		self.flags.recompute_time_limits = True

	def schedule_follow_ups(self):
		if self.status == "Resolved" and self.has_value_changed("status"):
			from kesu_app.follow_up import schedule_after_resolution

			schedule_after_resolution(self)

	def is_unverified_intake(self) -> bool:
		"""Filed from outside the desk (an email, the website, an integration): who wrote is what
		they typed, so nothing on file about any customer is looked up for it."""
		return bool(self.is_new() and (self.email_account or in_web_form() or self.intake_key))

	def set_missing_values(self):
		if not self.company:
			self.company = frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
				"Global Defaults", "default_company"
			)
		if self.sales_invoice and not self.customer:
			self.customer = frappe.db.get_value("Sales Invoice", self.sales_invoice, "customer")
		if self.customer and not self.is_unverified_intake():
			# Frappe's document cache: what intake reads of a Customer, an Employee or a Department
			# is read again on every complaint about them, and Frappe clears it when they change
			customer = frappe.get_cached_value(
				"Customer",
				self.customer,
				["customer_name", "mobile_no", "email_id", "language"],
				as_dict=True,
			)
			if customer:
				self.customer_name = self.customer_name or customer.customer_name
				self.contact_phone = self.contact_phone or customer.mobile_no
				self.contact_email = self.contact_email or customer.email_id
				self.preferred_language = self.preferred_language or customer.language
		# letters go in the customer's language: the Customer's, else the site's (not English)
		if not self.preferred_language:
			self.preferred_language = frappe.get_system_settings("language")
		for field in ("customer_name", "contact_phone", "contact_email", "subject"):
			if self.get(field):
				self.set(field, self.get(field).strip())
		# an email without a display name: the address is the best name there is
		if not self.customer_name and self.channel == "Email":
			self.customer_name = self.contact_email

	def validate_received_at(self):
		latest = add_to_date(now_datetime(), minutes=FUTURE_TOLERANCE_MINUTES)
		if get_datetime(self.received_at) > latest:
			frappe.throw(
				_("Received At ({0}) is in the future.").format(frappe.format(self.received_at, "Datetime")),
				title=_("Invalid Date"),
			)

	def validate_contact(self):
		if not self.customer and not self.customer_name:
			frappe.throw(
				_("Select a Customer, or enter the customer's name when they are not a customer yet."),
				title=_("Who Complained?"),
			)
		if not self.contact_phone and not self.contact_email:
			frappe.throw(
				_("Enter a phone number or an email address: the customer must be reachable for the reply."),
				title=_("No Way to Reach the Customer"),
			)
		if (
			self.contact_phone
			and self.has_value_changed("contact_phone")
			and not is_phone(self.contact_phone)
		):
			frappe.throw(
				_("{0} is not a valid phone number.").format(frappe.bold(self.contact_phone)),
				title=_("Phone"),
			)

	def validate_third_party(self):
		if not self.is_third_party():
			return
		if not self.third_party_body:
			frappe.throw(
				_(
					"Select the body (consumer association, regulator, platform...) that passed on this complaint."
				),
				title=_("Third Party"),
			)
		if not self.third_party_deadline:
			frappe.throw(
				_("Enter the reply deadline the body set: it is a time limit of this complaint."),
				title=_("Third Party"),
			)
		if not (self.is_new() or self.has_value_changed("third_party_deadline")):
			return
		# at intake the body's date lies ahead; a later correction (or the demo's past year) may
		# not put it before receipt
		earliest = (
			add_to_date(now_datetime(), minutes=-FUTURE_TOLERANCE_MINUTES)
			if self.is_new() and not self.is_demo
			else get_datetime(self.received_at)
		)
		if get_datetime(self.third_party_deadline) < earliest:
			frappe.throw(
				_("The third party's reply deadline ({0}) has passed already.").format(
					frappe.format(self.third_party_deadline, "Datetime")
				),
				title=_("Third Party"),
			)

	def is_third_party(self) -> bool:
		return self.channel == "Third Party"

	def third_party_deadline_of(self, cycle_start):
		"""The body's date, while it still lies ahead of the cycle: a case reopened after it runs on
		the clinic's own limits."""
		if not (self.is_third_party() and self.third_party_deadline):
			return None
		deadline = get_datetime(self.third_party_deadline)
		return deadline if deadline > cycle_start else None

	def third_party_label(self) -> str:
		return self.third_party_name or _(self.third_party_body or "Third Party", context=self.doctype)

	def apply_category_defaults(self):
		"""The category's default severity and handling department, on the server, whichever way
		the case came in (the desk, the website, an email, the API): a case filed without a
		severity takes its category's; a category given later raises the severity to at least its
		own, unless the same change set the severity. Website and email complaints take the
		category the settings name for them."""
		if self.is_new() and not self.category:
			self.category = self.channel_category()
		defaults = frappe._dict(category_facts(self.category) or {})
		if self.is_new():
			self.severity = self.severity or defaults.default_severity or "General"
		elif self.has_value_changed("category") and not self.has_value_changed("severity"):
			self.severity = at_least(self.severity, defaults.default_severity)
		if self.is_new() or self.has_value_changed("category"):
			self.handling_department = self.handling_department or defaults.handling_department

	def channel_category(self) -> str | None:
		settings = frappe.get_cached_doc("Kesu Settings")
		if self.email_account:
			return settings.email_category
		if in_web_form():
			return settings.website_category
		return None

	def validate_sales_invoice(self):
		if not self.sales_invoice:
			return
		invoice = frappe.db.get_value(
			"Sales Invoice", self.sales_invoice, ["customer", "company", "docstatus"], as_dict=True
		)
		if invoice.docstatus != 1:
			frappe.throw(
				_("Sales Invoice {0} is not submitted.").format(frappe.bold(self.sales_invoice)),
				title=_("Invalid Sales Invoice"),
			)
		if self.customer and invoice.customer != self.customer:
			frappe.throw(
				_("Sales Invoice {0} belongs to customer {1}, not to {2}.").format(
					frappe.bold(self.sales_invoice), frappe.bold(invoice.customer), frappe.bold(self.customer)
				),
				title=_("Invalid Sales Invoice"),
			)
		if invoice.company != self.company:
			frappe.throw(
				_("Sales Invoice {0} belongs to company {1}, not to {2}.").format(
					frappe.bold(self.sales_invoice), frappe.bold(invoice.company), frappe.bold(self.company)
				),
				title=_("Invalid Sales Invoice"),
			)

	def validate_practitioner(self):
		for field in ("practitioner", "responsible_employee"):
			self.validate_same_company(field, "Employee", _("{0} {1} works for company {2}, not for {3}."))

	def validate_department(self):
		for field in ("department", "handling_department"):
			# a department without a company is shared by all companies
			self.validate_same_company(
				field, "Department", _("{0} {1} belongs to company {2}, not to {3}."), shared_if_empty=True
			)

	def validate_same_company(self, field: str, doctype: str, message: str, shared_if_empty: bool = False):
		value = self.get(field)
		if not value:
			return
		company = frappe.get_cached_value(doctype, value, "company")
		if (company or not shared_if_empty) and company != self.company:
			frappe.throw(
				message.format(
					_(self.meta.get_label(field), context=self.doctype),
					frappe.bold(value),
					frappe.bold(company),
					frappe.bold(self.company),
				),
				title=_("Wrong Company"),
			)

	def validate_outcome(self):
		if self.status == "Rejected" and not (self.rejection_reason or "").strip():
			frappe.throw(
				_("Give the reason why the complaint is unfounded before rejecting it."),
				title=_("Reason for Rejection"),
			)
		if self.status == "Closed" and self.has_value_changed("status"):
			missing = [
				_(self.meta.get_label(field), context=self.doctype)
				for field in ("resolution_summary", "customer_feedback")
				if not (self.get(field) or "").strip()
			]
			if missing:
				frappe.throw(
					_("A complaint is closed only with these recorded: {0}").format(", ".join(missing)),
					title=_("Cannot Close"),
				)
			if (self.substantiated or "Undetermined") == "Undetermined":
				frappe.throw(
					_("Say whether the complaint was substantiated before closing it."),
					title=_("Cannot Close"),
				)

	def validate_accountability(self):
		"""A substantiated complaint is resolved (or closed) only with its root cause and who
		answers for it: an employee, a department, or no one at fault, with the reason."""
		if self.substantiated != "Substantiated" or self.status not in ("Resolved", "Closed"):
			return
		if not (self.has_value_changed("status") or self.has_value_changed("substantiated")):
			return
		missing = []
		if not self.root_cause:
			missing.append(_(self.meta.get_label("root_cause"), context=self.doctype))
		no_fault = self.responsibility == "No One at Fault"
		if no_fault and not (self.no_fault_reason or "").strip():
			missing.append(_(self.meta.get_label("no_fault_reason"), context=self.doctype))
		if not no_fault and not (self.responsible_employee or self.responsible_department):
			missing.append(_("the responsible employee or department (or: no one at fault, with the reason)"))
		if missing:
			frappe.throw(
				_("A substantiated complaint is resolved only with these recorded: {0}").format(
					", ".join(missing)
				),
				title=_("Root Cause and Responsibility"),
			)

	def validate_major_closing(self):
		"""A major complaint is closed (or rejected) only once management approved its special report."""
		if (
			not cint(self.is_major)
			or self.status not in CLOSED_STATUSES
			or not self.has_value_changed("status")
		):
			return
		if not major.approved_report(self.name):
			frappe.throw(
				_(
					"Complaint {0} is a major complaint: it is closed once management approved its special report."
				).format(frappe.bold(self.name)),
				title=_("Special Report Required"),
			)

	@frappe.whitelist()
	def flag_major(self, reason: str):
		"""Staff mark a complaint major by hand, with the reason, when no rule did."""
		self.check_permission("write")
		if cint(self.is_major):
			frappe.throw(_("This complaint is a major complaint already."), title=_("Already Major"))
		if self.status in CLOSED_STATUSES:
			frappe.throw(_("A closed complaint is kept as it was closed."), title=_("Closed"))
		if not (reason or "").strip():
			frappe.throw(_("Say why this complaint is major."), title=_("Reason Required"))
		major.mark_major(self, _("Flagged by hand: {0}").format(reason.strip()), frappe.session.user)
		self.flags.server_write = True
		self.save()
		self.answer_at_readers_levels()

	def suggested_result_via(self) -> str:
		return RESULT_VIA.get(self.channel) or "Phone Call"

	def set_result_via(self):
		"""A result sent to the customer says how it was given, so nobody wonders whether a
		phone complaint's answer went anywhere."""
		if self.status == "Awaiting Feedback" and self.has_value_changed("status"):
			self.result_given_via = self.result_given_via or self.suggested_result_via()
			self.flags.result_given = True

	def note_result_given(self):
		if self.flags.pop("result_given", None):
			self.add_comment(
				"Info",
				_("gave the customer the result by {0}; their answer is awaited.").format(
					_(self.result_given_via, context=self.doctype)
				),
			)

	def validate_closing_by_workflow(self):
		"""With the workflow on, only its Close and Reject actions, which check the role, end a case:
		a Status edited to Closed would leave the workflow state behind and the case out of
		every count made by state."""
		if self.is_new() or self.status not in CLOSED_STATUSES or not self.has_value_changed("status"):
			return
		if not get_workflow_name(self.doctype):
			return
		workflow = get_workflow(self.doctype)
		state = state_named(workflow, self.get(workflow.workflow_state_field))
		if state and state.update_field == "status" and state.update_value == self.status:
			return
		frappe.throw(
			_("Use the workflow's actions to set the status to {0}.").format(
				frappe.bold(_(self.status, context=self.doctype))
			),
			title=_("Not Allowed"),
		)

	def mask_contact(self):
		self.contact_phone_masked = mask_phone(self.contact_phone)

	def set_tier(self):
		# every case is received at the front desk; escalations raise it from there
		if not self.current_tier:
			self.current_tier = FRONT_DESK

	def record_escalation(self):
		"""Write the history row of a tier rise, whoever or whatever caused it."""
		before = self.get_doc_before_save()
		old_tier = before.current_tier if before else None
		if not is_escalation(old_tier, self.current_tier):
			return
		escalation = self.flags.escalation or pop_pending_escalation(self.name)
		if not escalation:
			frappe.throw(_("Give a reason to escalate: use the Escalate action."), title=_("Reason Required"))
		assignees = find_assignees(self, self.current_tier)
		self.status = "Escalated"
		self.append("escalations", history_row(self, before, escalation, assignees, now_datetime()))
		if assignees:
			self.handler = assignees[0]
		self.flags.assign_on_update = (assignees, escalation)
		self.flags.escalation = None

	def escalate_at_filing(self):
		"""A case passed on by a third party goes at once to the tier the settings name for them
		(leadership hears of it), unless its severity calls for a higher one; any other case to its
		severity's tier (rules.tiers.filing_reason)."""
		reason_type = filing_reason(
			self.current_tier, self.severity, self.is_third_party(), third_party_tier()
		)
		if reason_type and can_escalate(self, reason_type):
			self.escalate_within_save(self.filing_reason_text(reason_type), reason_type)

	def escalate_on_third_party(self):
		"""A case a regulator or an association takes up after it was filed goes up as one filed by
		them would."""
		if self.flags.in_insert or not self.has_value_changed("channel") or not self.is_third_party():
			return
		if self.status not in CLOSED_STATUSES and can_escalate(self, THIRD_PARTY):
			self.escalate_within_save(self.filing_reason_text(THIRD_PARTY), THIRD_PARTY)

	def filing_reason_text(self, reason_type: str) -> str:
		if reason_type == THIRD_PARTY:
			return _("Third party: {0}").format(self.third_party_label())
		return _("Severity: {0}").format(_(self.severity, context=self.doctype))

	def escalate_on_severity_raise(self):
		if self.flags.in_insert or not self.has_value_changed("severity"):
			return
		if can_escalate(self, BY_SEVERITY):
			self.escalate_within_save(
				_("Severity raised to {0}").format(_(self.severity, context=self.doctype))
			)

	def escalate_within_save(self, reason: str, reason_type: str = BY_SEVERITY):
		"""Escalate from this save's own hooks. The escalation saves the document again, and the
		rest of this save would then compare against the escalated document: its Version would
		lose what the user changed and repeat the escalation's diff. So this save records its
		Version now, before the escalation records its own, and keeps its starting point for the
		hooks still to run."""
		before = self.get_doc_before_save()
		self.save_version()
		try:
			escalate(self, reason_type, reason, system=True)
		finally:
			self.flags.ignore_version = True  # recorded above
			self._doc_before_save = before

	def close_assignments(self):
		"""A closed or rejected case leaves its handlers' to-do lists, as a completed Task does in
		ERPNext; a reopened one is handed over again."""
		if self.status not in CLOSED_STATUSES or not self.has_value_changed("status"):
			return
		close_todos(self, open_todos(self))

	def assign_on_reopen(self):
		"""Closing the case closed its ToDos: reopened (without a workflow, which hands it over
		itself), it is back on its handler's list."""
		if (
			self.status != "Reopened"
			or not self.has_value_changed("status")
			or get_workflow_name(self.doctype)
		):
			return
		handler = self.handler
		if not handler or not frappe.db.get_value("User", handler, "enabled"):
			return
		if frappe.db.exists(
			"ToDo",
			{
				"reference_type": self.doctype,
				"reference_name": self.name,
				"status": "Open",
				"allocated_to": handler,
			},
		):
			return  # Frappe would only say it is on the list already
		add_assignment(
			{
				"doctype": self.doctype,
				"name": self.name,
				"assign_to": [handler],
				"description": self.reopened_description(),
				"priority": todo_priority(self),
			},
			ignore_permissions=True,
		)

	def reopened_description(self) -> str:
		reason = self.flags.reopen_reason
		return _("Reopened: {0}").format(reason) if reason else _("Reopened", context=self.doctype)

	def hand_over_next_step(self):
		"""The people who must act next get the case on their list, and the others lose it: the
		new tier's after an escalation, else those of the workflow's next step."""
		pending = self.flags.pop("assign_on_update", None)
		if pending:
			assignees, escalation = pending
			hand_over(self, assignees, assignment(self, escalation)["description"])
			return
		if self.status in CLOSED_STATUSES:
			return  # close_assignments
		if self.flags.in_insert:
			# a case filed at the desk is on its filer's list; one nobody took (the website, an
			# email) is announced to the front desk by the New Complaint notification, and is
			# whoever's who acknowledges it. Escalated at filing: handed to the tier already.
			if not self.escalations:
				hand_over(self, on_the_case_only=True)
			return
		if self.has_value_changed("workflow_state"):
			reopened = self.status == "Reopened" and self.has_value_changed("status")
			hand_over(self, description=self.reopened_description() if reopened else None)

	def record_stage_times(self):
		"""Stamp the moment each stage was met, the first time a status shows it done."""
		if not self.is_new() and not self.has_value_changed("status"):
			return
		now = now_datetime()
		for stage in stages_met_by_status(self.status):
			if not self.get(f"{stage}_met_at"):
				self.set(f"{stage}_met_at", now)
		if self.status in CLOSED_STATUSES and not self.closed_at:
			self.closed_at = now

	def update_time_limits(self):
		"""Due times follow the limits in force when an input changes; a later edit of the
		settings does not move the deadlines of complaints already running."""
		if not self.is_new() and not any(self.has_value_changed(f) for f in TIME_LIMIT_INPUTS):
			if not self.flags.recompute_time_limits:
				self.update_breaches()
				return
		calendar = get_calendar(self.company)
		pauses = self.get_pauses()
		# a reopened complaint's clocks run from the start of its new cycle
		received_at = get_datetime(self.cycle_started_at or self.received_at)
		resolved_at = get_datetime(self.resolution_met_at) if self.resolution_met_at else None
		deadline = self.third_party_deadline_of(received_at)
		due = compute_due_times(
			received_at, get_limits(self.severity), calendar, pauses, resolved_at, deadline
		)
		for stage in STAGE_KEYS:
			self.set(f"{stage}_due", due[stage])
		if resolved_at:
			worked = working_time_excluding_pauses(calendar, received_at, resolved_at, pauses)
			self.resolution_working_hours = worked.total_seconds() / 3600
		self.update_breaches()

	def update_breaches(self):
		now = now_datetime()
		for stage in STAGE_KEYS:
			due, met = self.get(f"{stage}_due"), self.get(f"{stage}_met_at")
			if self.clock_paused and not met:
				# a stopped clock cannot run out; it is judged again when it resumes
				continue
			breached = is_breached(
				get_datetime(due) if due else None, get_datetime(met) if met else None, now
			)
			if breached and not self.get(f"{stage}_breached_at"):
				# the breach happened when the limit passed, whoever notices it
				self.set(f"{stage}_breached_at", due)
			# a breach is history: once recorded it stays, even if a later edit moves the limit
			self.set(f"{stage}_breached", int(breached or bool(self.get(f"{stage}_breached"))))
		self.next_alert_at = self.compute_next_alert_at()

	def stage_clocks(self) -> list[StageClock]:
		return [
			StageClock(
				stage,
				get_datetime(self.get(f"{stage}_due")) if self.get(f"{stage}_due") else None,
				get_datetime(self.get(f"{stage}_met_at")) if self.get(f"{stage}_met_at") else None,
				cint(self.get(f"{stage}_alert_level")),
			)
			for stage in STAGE_KEYS
		]

	def compute_next_alert_at(self):
		"""When the time-limit job must look at this complaint next; none while it is paused
		or closed, so the job's query never sees it."""
		if self.clock_paused or self.status in CLOSED_STATUSES:
			return None
		return next_alert_at(self.stage_clocks(), warning_lead(self.severity))

	def get_pauses(self) -> list[Pause]:
		return [
			Pause(get_datetime(row.paused_at), get_datetime(row.resumed_at) if row.resumed_at else None)
			for row in self.pauses
		]

	@frappe.whitelist()
	def make_quality_action(self):
		"""Raise an ERPNext Quality Action for the corrective action (整改措施), linked both ways."""
		return self._make_quality_record("Quality Action", "quality_action")

	@frappe.whitelist()
	def make_non_conformance(self):
		return self._make_quality_record("Non Conformance", "non_conformance")

	def _make_quality_record(self, doctype: str, field: str):
		self.check_permission("write")
		if self.get(field):
			frappe.throw(
				_("{0} {1} is already linked to this complaint.").format(
					_(doctype), frappe.bold(self.get(field))
				),
				title=_("Already Linked"),
			)
		if not frappe.has_permission(doctype, "create"):
			frappe.throw(_("You may not create a {0}.").format(_(doctype)), frappe.PermissionError)
		record = frappe.get_doc(self._quality_values(doctype))
		record.insert()
		if self.status in CLOSED_STATUSES and not archive_unlocked(self.name):
			# the closed case keeps its fields; the record links back to it (and shows in Connections)
			return record.name
		self.db_set(field, record.name)
		self.add_comment(
			"Info", _("{0} {1} raised for the corrective action.").format(_(doctype), record.name)
		)
		return record.name

	def _quality_values(self, doctype: str) -> dict:
		if doctype == "Quality Action":
			return quality_action_values(self.name, self.subject)
		problem = _("Complaint {0}: {1}").format(self.name, self.subject)
		return {
			"doctype": doctype,
			"subject": problem[:140],
			"procedure": complaint_quality_procedure(),
			"status": "Open",
			"kesu_complaint": self.name,
			"details": self.findings or self.description,
		}

	@frappe.whitelist()
	def pause_clock(self, reason: str):
		"""Stop the time-limit clocks while the complaint waits on the customer."""
		self.check_permission("write")
		if self.clock_paused:
			frappe.throw(_("The clock of this complaint is already paused."), title=_("Already Paused"))
		if self.status in CLOSED_STATUSES:
			frappe.throw(_("A closed complaint has no running clock to pause."), title=_("Closed"))
		if not (reason or "").strip():
			frappe.throw(_("Say why the clock is paused, for example what the customer is asked for."))
		self.append(
			"pauses",
			{"paused_at": now_datetime(), "reason": reason.strip(), "paused_by": frappe.session.user},
		)
		self.clock_paused = 1
		self.flags.server_write = True
		self.save()
		self.answer_at_readers_levels()

	@frappe.whitelist()
	def resume_clock(self):
		self.check_permission("write")
		open_pauses = [row for row in self.pauses if not row.resumed_at]
		if not self.clock_paused or not open_pauses:
			frappe.throw(_("The clock of this complaint is not paused."), title=_("Not Paused"))
		for row in open_pauses:
			row.resumed_at = now_datetime()
		self.clock_paused = 0
		self.flags.recompute_time_limits = True
		self.flags.server_write = True
		self.save()
		self.answer_at_readers_levels()


def archive_unlocked(name: str) -> bool:
	return bool(name) and bool(frappe.cache.get_value(_unlock_key(name)))


def _unlock_key(name: str) -> str:
	return f"kesu_app:unlocked:{name}"


@frappe.whitelist(methods=["POST"])
def unlock_archive(name: str, reason: str):
	"""A System Manager's explicit, logged unlock of a closed case, for a short while."""
	frappe.only_for("System Manager")
	doc = frappe.get_doc("Complaint", name)
	doc.check_permission("write")
	if doc.status not in CLOSED_STATUSES:
		frappe.throw(_("Only a closed or rejected complaint is locked."), title=_("Not Locked"))
	if not (reason or "").strip():
		frappe.throw(_("Say why the closed complaint must be changed."), title=_("Reason Required"))
	frappe.cache.set_value(_unlock_key(name), frappe.session.user, expires_in_sec=UNLOCK_MINUTES * 60)
	doc.add_comment(
		"Info",
		_("Unlocked for {0} minutes by {1}: {2}").format(UNLOCK_MINUTES, frappe.session.user, reason.strip()),
	)


DEFAULT_QUALITY_PROCEDURE = "Customer Complaint Handling"


def quality_action_values(complaint: str, subject: str | None, resolution: str | None = None) -> dict:
	"""An ERPNext Quality Action raised for a complaint's corrective action, linked back to it
	(``resolution``, when given, is rich text)."""
	row = {"problem": _("Complaint {0}: {1}").format(complaint, subject)}
	if resolution is not None:
		row["resolution"] = resolution
	return {
		"doctype": "Quality Action",
		"corrective_preventive": "Corrective",
		"date": frappe.utils.today(),
		"status": "Open",
		"kesu_complaint": complaint,
		"resolutions": [row],
	}


def complaint_quality_procedure() -> str:
	"""The Quality Procedure complaint Non Conformances belong to (ERPNext requires one)."""
	procedure = frappe.db.get_single_value("Kesu Settings", "quality_procedure")
	if procedure:
		return procedure
	if not frappe.db.exists("Quality Procedure", DEFAULT_QUALITY_PROCEDURE):
		frappe.get_doc(
			{"doctype": "Quality Procedure", "quality_procedure_name": DEFAULT_QUALITY_PROCEDURE}
		).insert(ignore_permissions=True)
	frappe.db.set_single_value("Kesu Settings", "quality_procedure", DEFAULT_QUALITY_PROCEDURE)
	return DEFAULT_QUALITY_PROCEDURE
