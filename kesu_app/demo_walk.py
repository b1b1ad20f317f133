"""The demo's walked cases: complaints taken through the app's own paths by demo staff.

Each case is a story of steps (filed, acknowledged, escalated, compensation proposed and
decided, resolution proposed and sent, accepted, followed up, surveyed, closed, rejected or
reopened), each made as the desk makes it, by the user whose role the step needs, at its
moment in the past year. Between them the cases hold every compensation type at every approval
tier, follow-ups with ratings, rejected and reopened complaints and escalations for every
reason, so every report has something to show.
"""

from __future__ import annotations

import random
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_to_date, cint, flt, get_datetime, getdate

from kesu_app.escalation import escalate, escalate_complaint
from kesu_app.rules.compensation import REFUND, TYPES
from kesu_app.rules.defaults import DEFAULT_ROOT_CAUSES
from kesu_app.rules.tiers import DEPARTMENT_MANAGER, MANAGEMENT, OVERDUE, SUPERVISOR, TIER_ROLES
from kesu_app.workflow_actions import apply_waiting_action, waiting_actions

# one person per tier, who works the walked cases (and is removed with the demo)
STAFF = {
	"Complaint Agent": ("kesu.demo.frontdesk@example.com", "Xiaomei", "Lin"),
	"Complaint Supervisor": ("kesu.demo.supervisor@example.com", "Min", "Zhou"),
	"Complaint Department Manager": ("kesu.demo.manager@example.com", "Hao", "Sun"),
	"Complaint Management": ("kesu.demo.director@example.com", "Lan", "Qian"),
}
AGENT = STAFF["Complaint Agent"][0]
SUPERVISOR_USER = STAFF["Complaint Supervisor"][0]
# what the demo's invoices say, so removing the demo finds the ones it sold
INVOICE_REMARK = "kesu-demo: the treatment a demo complaint is about"
PRICES = {
	"KESU-DEMO-EYELID": 12800,
	"KESU-DEMO-RHINO": 28000,
	"KESU-DEMO-BOTOX": 3200,
	"KESU-DEMO-FILLER": 6800,
	"KESU-DEMO-LASER": 2600,
	"KESU-DEMO-PEEL": 880,
	"KESU-DEMO-IMPLANT": 15000,
	"KESU-DEMO-WHITEN": 1980,
	"KESU-DEMO-ALIGNER": 26000,
}
# a 1x1 PNG: the photo of a signed settlement agreement
SIGNED_SCAN = bytes.fromhex(
	"89504e470d0a1a0a0000000d4948445200000001000000010806000000"
	"1f15c4890000000d49444154789c63f8ff9f1e00078202fe3dc848ef0000000049454e44ae426082"
)
REJECTED, REOPENED_AFTER_CLOSE, OPEN = "rejected", "reopened after close", "open"


class StopStory(Exception):
	"""The story has reached today: the case stays where it is."""


class StoryClock:
	"""The app's paths stamp the moment they run, through Frappe's now_datetime (which now(),
	today() and add_to_date(None) are built on). The demo runs each step at its moment in the
	story: the function is swapped, for the walk only, in every module that holds it."""

	def __init__(self, until: datetime):
		self.until = until
		self.offset = timedelta(0)
		self.real = frappe.utils.data.now_datetime
		self.holders = []

	def __enter__(self):
		real, clock = self.real, self

		def story_now():
			return real() + clock.offset

		for module in list(sys.modules.values()):
			if getattr(module, "__dict__", {}).get("now_datetime") is real:
				module.now_datetime = story_now
				self.holders.append(module)
		return self

	def __exit__(self, *exc):
		for module in self.holders:
			module.now_datetime = self.real
		self.holders = []

	def set(self, moment: datetime):
		if moment >= self.until:
			raise StopStory
		self.offset = moment - self.real()


@contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


def make_staff() -> dict[str, str]:
	users = {}
	for role, (email, first, last) in STAFF.items():
		if not frappe.db.exists("User", email):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": first,
					"last_name": last,
					"send_welcome_email": 0,
					"user_type": "System User",
					"roles": [{"role": role}],
				}
			).insert(ignore_permissions=True)
		users[role] = email
	return users


def make_fiscal_years(company: str, since):
	"""ERPNext dates its documents by fiscal year: the walked cases' go back a year."""
	since = getdate(since)
	while not frappe.db.exists(
		"Fiscal Year", {"year_start_date": ("<=", since), "year_end_date": (">=", since)}
	):
		first = frappe.get_all("Fiscal Year", fields=["year_start_date"], order_by="year_start_date", limit=1)
		start = add_to_date(first[0].year_start_date, years=-1) if first else getdate(f"{since.year}-01-01")
		end = add_days(add_to_date(start, years=1), -1)
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(start.year) if start.year == end.year else f"{start.year}-{end.year}",
				"year_start_date": start,
				"year_end_date": end,
				"companies": [{"company": company}],
			}
		).insert(ignore_permissions=True)


def set_expense_account(company: str):
	"""Reimbursements are booked from Kesu Settings' compensation expense account."""
	if frappe.db.get_single_value("Kesu Settings", "compensation_expense_account"):
		return
	account = frappe.db.get_value(
		"Account",
		{"company": company, "root_type": "Expense", "is_group": 0, "account_type": ("in", ("", None))},
		"name",
		order_by="lft",
	) or frappe.db.get_value("Account", {"company": company, "root_type": "Expense", "is_group": 0})
	frappe.db.set_single_value("Kesu Settings", "compensation_expense_account", account)
	frappe.clear_document_cache("Kesu Settings", "Kesu Settings")


def plan(rng: random.Random) -> list[dict]:
	"""What happens in each walked case: every compensation type at every approval tier, a few
	of them after a first proposal was rejected, some cases reopened by an unhappy customer,
	others rejected as unfounded, reopened after closing, or still open."""
	tiers = (SUPERVISOR, DEPARTMENT_MANAGER, MANAGEMENT)
	cases = [
		{"compensation": (kind, tier), "reopened": i % 5 == 2, "rejected_first": i % 6 == 4}
		for i, (kind, tier) in enumerate((kind, tier) for kind in TYPES for tier in tiers)
	]
	cases += [{"ending": REJECTED}, {"ending": REJECTED, "severity": "Important"}, {"ending": REJECTED}]
	cases += [{"ending": REOPENED_AFTER_CLOSE}, {"ending": REOPENED_AFTER_CLOSE, "severity": "Important"}]
	rng.shuffle(cases)
	# the newest few are still being worked: one with a compensation awaiting its decision
	cases += [
		{"ending": OPEN, "days_ago": 9, "overdue": True},
		{"ending": OPEN, "days_ago": 3, "compensation": ("Gift or Voucher", SUPERVISOR), "pending": True},
		{"ending": OPEN, "days_ago": 1, "severity": "Urgent"},
	]
	return cases


class Walk:
	"""Walks the planned cases through the app, as its users would have, in the past year."""

	def __init__(self, rng: random.Random, company: str, masters: dict, now: datetime, build):
		self.rng, self.company, self.masters, self.now = rng, company, masters, now
		self.build = build  # makes a complaint's values, as the bulk demo does
		self.staff = make_staff()
		self.settings = frappe.get_cached_doc("Kesu Settings")
		make_fiscal_years(company, add_days(now, -400))
		set_expense_account(company)

	def run(self) -> list[str]:
		cases = plan(self.rng)
		# over the past year, a case every fortnight or so; the open ones are dated by the plan
		dated = len([case for case in cases if not case.get("days_ago")])
		names = []
		with StoryClock(self.now - timedelta(minutes=5)) as clock:
			self.clock = clock
			for i, case in enumerate(cases):
				days_ago = case.get("days_ago") or int(355 - i * 330 / dated)
				names.append(self.walk(case, days_ago))
		return names

	def user(self, tier: str) -> str:
		return self.staff[TIER_ROLES[tier]]

	def at(self, hours: float):
		self.clock.set(add_to_date(self.received_at, hours=hours))

	def walk(self, case: dict, days_ago: int) -> str:
		rng = self.rng
		self.received_at = add_to_date(self.now, days=-days_ago).replace(
			hour=rng.choice((9, 10, 11, 14, 15, 16)), minute=rng.randint(0, 59), second=0, microsecond=0
		)
		self.clock.set(self.received_at)
		doc, _target = self.build(rng, self.company, self.masters, self.received_at)
		doc.received_at = self.received_at
		doc.service_date = getdate(add_days(self.received_at, -rng.randint(1, 40)))
		doc.severity = case.get("severity") or ("Important" if rng.random() < 0.35 else "General")
		if doc.channel == "Third Party":
			# a body's deadline lies ahead at intake, and the story files its cases in the past: the
			# bulk year has the third parties' cases
			doc.channel, doc.third_party_body, doc.third_party_name, doc.third_party_deadline = (
				"Phone",
				None,
				None,
				None,
			)
		compensation = case.get("compensation")
		if compensation and compensation[0] == REFUND:
			doc.sales_invoice = self.invoice(doc, self.amount(compensation[1]))
		with as_user(AGENT):
			doc.insert()
		# the demo marks its own: a user's write of this flag is put back
		frappe.db.set_value("Complaint", doc.name, "is_demo", 1, update_modified=False)
		self.name = doc.name
		try:
			self.story(case)
		except StopStory:
			pass
		return doc.name

	def say(self, english: str, chinese: str) -> str:
		"""Staff write in the customer's language, as the bulk demo's subjects are."""
		return chinese if self.chinese else english

	def story(self, case: dict):
		chinese = self.chinese = not self.doc().subject.isascii()
		self.compensation = None
		self.at(0.3)
		self.comment(
			AGENT, "已致电客户，请其提供照片。" if chinese else "Called the customer back; asked for photos."
		)
		self.take_up(hours=0.6)
		if case.get("ending") == REJECTED:
			self.at(20)
			tier = self.doc().current_tier
			self.act(
				self.user(tier if tier != "Front Desk" else SUPERVISOR),
				"Reject",
				rejection_reason="病历显示效果符合术前约定。"
				if chinese
				else "The treatment record shows the agreed result; explained to the customer.",
			)
			return
		if case.get("overdue"):
			self.at(24 * 5)
			escalate(self.doc(), OVERDUE, self.say("Investigation overdue", "调查超时"), system=True)
		elif self.doc().current_tier == "Front Desk" and self.rng.random() < 0.4:
			self.at(8)
			with as_user(AGENT):
				escalate_complaint(
					self.name, self.say("The customer asks for a manager.", "客户要求主管处理。")
				)
		if case.get("compensation"):
			self.compensate(
				*case["compensation"], rejected_first=case.get("rejected_first"), pending=case.get("pending")
			)
		if case.get("ending") == OPEN:
			return
		self.resolve(start=30, chinese=chinese)
		if case.get("reopened"):
			# the result call finds the customer unhappy: recording it reopens the case, a tier up
			self.call_back(satisfied=False, chinese=chinese)
			self.take_up(hours=self.last + 4)
			self.resolve(start=self.last + 30, chinese=chinese)
		self.call_back(satisfied=True, chinese=chinese)
		self.survey(hours=self.last + 10)
		self.at(self.last + 20)
		self.account_for(chinese)
		self.report_if_major(chinese)
		self.act(SUPERVISOR_USER, "Close")
		self.last += 20
		if self.compensation and self.rng.random() < 0.6:
			self.sign(hours=self.last + 30)
		if case.get("ending") == REOPENED_AFTER_CLOSE:
			self.at(self.last + 24 * 9)
			self.act(SUPERVISOR_USER, "Reopen")
			self.last += 24 * 9
		self.revisit(chinese)

	def doc(self):
		return frappe.get_doc("Complaint", self.name)

	def account_for(self, chinese: bool):
		"""Management decides, for some substantiated cases, what the practitioner's part costs them."""
		doc = self.doc()
		if doc.substantiated != "Substantiated" or not doc.responsible_employee or self.rng.random() < 0.5:
			return
		outcome = self.rng.choice(("Verbal Warning", "Retraining", "Performance Points Deducted"))
		with as_user(self.user(MANAGEMENT)):
			frappe.get_doc(
				{
					"doctype": "Accountability Outcome",
					"complaint": doc.name,
					"employee": doc.responsible_employee,
					"outcome": outcome,
					"points": 2 if outcome == "Performance Points Deducted" else None,
					"details": self.say("Discussed with the practitioner.", "已与责任医生面谈。"),
					"decided_on": getdate(add_to_date(self.received_at, hours=self.last)),
				}
			).insert()

	def report_if_major(self, chinese: bool):
		"""A major case is closed once management approved its special report for head office."""
		doc = self.doc()
		if not doc.is_major:
			return
		from kesu_app.kesu_app.doctype.major_complaint_report.major_complaint_report import make_report

		with as_user(self.user(MANAGEMENT)):
			report = frappe.get_doc("Major Complaint Report", make_report(doc.name))
			report.facts = self.say(
				"<p>Confirmed against the treatment record, the photos and the practitioner's account.</p>",
				"<p>经核对治疗记录、照片及医生陈述后确认。</p>",
			)
			report.harm = self.say("Temporary redness, no lasting harm.", "暂时性红肿，无长期损害。")
			report.lessons_learned = self.say(
				"<p>Explain aftercare in writing before every laser treatment.</p>",
				"<p>每次激光治疗前书面说明术后护理。</p>",
			)
			report.append(
				"corrective_actions",
				{"action": self.say("Written aftercare guide for laser treatments", "激光治疗书面护理指引")},
			)
			report.save()
			report.submit()

	def act(self, user: str, action: str, **fields):
		"""A workflow action as the desk takes it: one waiting for fields asks for them first."""
		with as_user(user):
			doc = self.doc()
			if any(waiting["action"] == action for waiting in waiting_actions(doc)):
				apply_waiting_action(self.name, action, fields)
			else:
				apply_workflow({"doctype": "Complaint", "name": self.name}, action)

	def comment(self, user: str, text: str):
		with as_user(user):
			self.doc().add_comment("Comment", text)

	def take_up(self, hours: float):
		"""Whoever holds the case answers the customer: the front desk acknowledges a new one;
		an escalated tier records its first response."""
		self.at(hours)
		doc = self.doc()
		if doc.workflow_state in ("New", "Reopened"):
			self.act(AGENT, "Acknowledge")
			self.at(hours + 1.5)
			self.act(AGENT, "Start Investigation")
		elif doc.status == "Escalated" and not doc.first_response_met_at:
			with as_user(self.user(doc.current_tier)):
				doc.record_first_response()

	def resolve(self, start: float, chinese: bool):
		"""Findings and a remedy proposed by the tier that holds the case, sent to the customer,
		who accepts them: the case is resolved and its follow-ups are scheduled."""
		doc = self.doc()
		tier = doc.current_tier if doc.status == "Escalated" else "Front Desk"
		proposer = self.user(tier)
		self.at(start)
		with as_user(proposer):
			doc = self.doc()
			doc.substantiated = "Substantiated" if self.rng.random() < 0.65 else "Not Substantiated"
			doc.responsibility = self.rng.choice(("Clinic", "Practitioner", "Shared"))
			# what the investigation found, and who answers for it
			doc.root_cause = self.rng.choice(DEFAULT_ROOT_CAUSES)
			doc.responsible_employee = doc.practitioner
			doc.save()
		self.act(
			proposer,
			"Propose Resolution",
			findings="核对治疗记录与照片后确认。"
			if chinese
			else "Confirmed against the treatment record and photos.",
		)
		self.at(start + 2)
		self.act(
			AGENT,
			"Send to Customer",
			resolution_summary="已向客户说明调查结果并提出处理方案。"
			if chinese
			else "Explained the findings and offered a remedy.",
		)
		self.at(start + 20)
		self.act(
			AGENT,
			"Customer Accepts",
			customer_feedback="客户接受方案。" if chinese else "Accepts the remedy.",
		)
		self.last = start + 20

	def scheduled(self, follow_up_type: str) -> str | None:
		return frappe.db.get_value(
			"Follow-up",
			{
				"complaint": self.name,
				"cycle": frappe.db.get_value("Complaint", self.name, "cycle"),
				"follow_up_type": follow_up_type,
				"status": "Scheduled",
			},
		)

	def call_back(self, satisfied: bool, chinese: bool):
		"""The front desk calls with the result, and records what the customer said. A customer
		who answered at acceptance gets no such call (kesu_app.follow_up): an unhappy one says so
		in the satisfaction survey instead."""
		follow_up = self.scheduled("Result Feedback")
		if not follow_up:
			if not satisfied:
				self.survey(self.last + 4, satisfied=False)
				self.cancel_scheduled()
			return
		self.at(self.last + 4)
		self.last += 4
		if satisfied:
			rating, notes = (
				self.rng.choice((3, 4, 4, 5, 5)),
				"电话回访，客户认可。" if chinese else "Called: happy with it.",
			)
		else:
			rating, notes = (
				self.rng.choice((1, 2)),
				"客户仍不满意，要求重新处理。" if chinese else "Still unhappy; asks to look again.",
			)
		cycle = frappe.db.get_value("Complaint", self.name, "cycle")
		self.record(follow_up, "Satisfied" if satisfied else "Not Satisfied", rating, notes)
		if not satisfied:
			self.cancel_scheduled(cycle)

	def cancel_scheduled(self, cycle: int | None = None):
		"""The reopened case starts a new cycle with follow-ups of its own: those of the cycle
		before that were still to come are cancelled."""
		cycle = cycle or cint(frappe.db.get_value("Complaint", self.name, "cycle")) - 1
		for name in frappe.get_all(
			"Follow-up",
			filters={"complaint": self.name, "cycle": cycle, "status": "Scheduled"},
			pluck="name",
		):
			with as_user(AGENT):
				doc = frappe.get_doc("Follow-up", name)
				doc.status = "Cancelled"
				doc.save()

	def revisit(self, chinese: bool):
		follow_up = self.scheduled("Post-Treatment Revisit")
		if not follow_up:
			return
		self.clock.set(
			max(
				get_datetime(frappe.db.get_value("Follow-up", follow_up, "scheduled_date")),
				add_to_date(self.received_at, hours=self.last + 1),
			).replace(hour=15)
		)
		self.record(
			follow_up,
			"Satisfied",
			self.rng.choice((4, 5)),
			"复诊恢复良好。" if chinese else "Healing well at the revisit.",
		)

	def record(self, follow_up: str, outcome: str, rating: int, notes: str):
		with as_user(AGENT):
			doc = frappe.get_doc("Follow-up", follow_up)
			doc.update(
				{"outcome": outcome, "satisfaction_rating": rating / 5, "channel": "Phone", "notes": notes}
			)
			doc.save()

	def survey(self, hours: float, satisfied: bool = True):
		"""Staff send the survey link by WeChat; the customer answers it, signed out."""
		from kesu_app.follow_up import get_survey_link
		from kesu_app.survey import submit_survey

		survey = self.scheduled("Satisfaction Survey")
		if not survey:
			return
		self.at(hours)
		with as_user(AGENT):
			url = get_survey_link(survey)
		self.at(hours + 3)
		key = parse_qs(urlparse(url).query)["key"][0]
		with as_user("Guest"):
			if satisfied:
				submit_survey(key, self.rng.choice((3, 4, 5, 5)), 1, "")
			else:
				submit_survey(key, self.rng.choice((1, 2)), 0, "效果不理想，要求重新处理。")
		self.last = hours + 3

	def amount(self, tier: str) -> float:
		"""An amount only ``tier`` (or above) may approve, under the site's limits."""
		low = flt(self.settings.approval_limit_supervisor) or 500
		high = flt(self.settings.approval_limit_department_manager) or 5000
		return {
			SUPERVISOR: round(low * self.rng.uniform(0.3, 0.9)),
			DEPARTMENT_MANAGER: round(low + (high - low) * self.rng.uniform(0.2, 0.8)),
			MANAGEMENT: round(high * self.rng.uniform(1.2, 2)),
		}[tier]

	def invoice(self, doc, amount: float) -> str:
		"""The invoice the treatment was sold on, so a refund has something to credit."""
		rate = max(PRICES.get(doc.item, 5000), amount * 2)
		posting = getdate(doc.service_date)
		invoice = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"customer": doc.customer,
				"company": self.company,
				"set_posting_time": 1,
				"posting_date": posting,
				"due_date": posting,
				"remarks": INVOICE_REMARK,
				"items": [{"item_code": doc.item, "qty": 1, "rate": rate}],
			}
		)
		invoice.insert(ignore_permissions=True)
		invoice.submit()
		return invoice.name

	def compensate(self, kind: str, tier: str, rejected_first=False, pending=False):
		"""The front desk proposes; the tier the amount needs decides."""
		approver = self.user(tier)
		self.at(26)
		if rejected_first:
			# more than the record supports: the tier its amount needs turns it down
			first = self.propose(kind, self.amount(tier) * 1.5)
			self.at(27)
			with as_user(self.user(frappe.db.get_value("Compensation", first, "required_tier"))):
				frappe.get_doc("Compensation", first).reject(
					self.say("More than the treatment record supports.", "金额超出治疗记录所能支持的范围。")
				)
			self.at(28)
		name = self.propose(kind, self.amount(tier))
		if pending:
			return
		self.at(29)
		with as_user(approver):
			frappe.get_doc("Compensation", name).approve(
				self.say("Agreed with the customer.", "已与客户协商一致。")
			)
		self.compensation = name

	def propose(self, kind: str, amount: float) -> str:
		doc = self.doc()
		with as_user(AGENT):
			return (
				frappe.get_doc(
					{
						"doctype": "Compensation",
						"complaint": self.name,
						"compensation_type": kind,
						"amount": amount,
						"sales_invoice": doc.sales_invoice if kind == REFUND else None,
						"description": doc.subject,
					}
				)
				.insert()
				.name
			)

	def sign(self, hours: float):
		"""The customer signs the settlement agreement; its scan is attached and marked signed."""
		name = getattr(self, "compensation", None)
		if not name or frappe.db.get_value("Compensation", name, "docstatus") != 1:
			return
		self.at(hours)
		with as_user(SUPERVISOR_USER):
			scan = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"{name}-signed.png",
					"content": SIGNED_SCAN,
					"is_private": 1,
					"attached_to_doctype": "Compensation",
					"attached_to_name": name,
				}
			).insert()
			frappe.get_doc("Compensation", name).mark_signed(scan.file_url)
