"""Demo data: a year of complaints at a group of medical-aesthetics clinics.

Most complaints are seeded in bulk, at the state their story ends in. A few dozen more are
walked through the app's own paths by demo staff, one per tier (filed, escalated, proposed,
compensated, followed up, rejected, reopened, closed), each step at its moment in the past
year, so their timelines, compensations and follow-ups are what the desk would have written.

Masters the demo needs (branches, service items, practitioners, customers, fiscal years back to
a year ago, the compensation expense account when none is set) are created once and left in
place. The complaints are marked `is_demo`; `kesu-demo --remove` deletes them and everything
made for them: their compensations and follow-ups, the ERPNext documents those made, the
invoices the demo sold the treatments on, the demo staff, and what was written about all of
these.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import frappe
from frappe.utils import add_to_date, getdate, now_datetime

from kesu_app import bulk
from kesu_app.demo_walk import INVOICE_REMARK, STAFF, Walk
from kesu_app.kesu_app.doctype.compensation.compensation import SETTLEMENT_DOCTYPES
from kesu_app.rules.defaults import DEFAULT_CATEGORIES, DEFAULT_ROOT_CAUSES
from kesu_app.rules.time_limits import STAGE_KEYS

# ERPNext transactions that post to the ledger when submitted
LEDGER_DOCTYPES = ("Sales Invoice", "Journal Entry")
BRANCHES = ("Jing'an Clinic", "Pudong Clinic", "Xuhui Dental Centre")
SERVICES = (
	("KESU-DEMO-EYELID", "Double Eyelid Surgery"),
	("KESU-DEMO-RHINO", "Rhinoplasty"),
	("KESU-DEMO-BOTOX", "Botulinum Toxin Injection"),
	("KESU-DEMO-FILLER", "Hyaluronic Acid Filler"),
	("KESU-DEMO-LASER", "Laser Skin Resurfacing"),
	("KESU-DEMO-PEEL", "Chemical Peel"),
	("KESU-DEMO-IMPLANT", "Dental Implant"),
	("KESU-DEMO-WHITEN", "Teeth Whitening"),
	("KESU-DEMO-ALIGNER", "Orthodontic Aligners"),
)
PRACTITIONERS = (
	("Wei", "Zhang", "Male"),
	("Li", "Wang", "Female"),
	("Fang", "Chen", "Female"),
	("Emily", "Carter", "Female"),
	("Jun", "Liu", "Male"),
	("David", "Brooks", "Male"),
)
CUSTOMERS = (
	"王芳",
	"李娜",
	"张伟",
	"刘洋",
	"陈静",
	"杨敏",
	"赵丽",
	"黄磊",
	"周婷",
	"吴琳",
	"徐倩",
	"孙悦",
	"马骏",
	"朱莉",
	"胡雪",
	"郭晨",
	"何欣",
	"林萍",
	"高翔",
	"罗佳",
	"Sarah Miller",
	"Emma Johnson",
	"Olivia Brown",
	"Sophia Davis",
	"Mia Wilson",
	"Grace Lee",
	"Chloe Martin",
	"Hannah Clark",
	"Lucy Walker",
	"Anna Scott",
)
# (category, English subject, Chinese subject)
SUBJECTS = {
	"Treatment Outcome": [
		("Asymmetry after double eyelid surgery", "双眼皮术后两侧不对称"),
		("Filler result below expectation", "玻尿酸填充效果未达预期"),
		("Swelling has not gone down after three weeks", "术后三周仍然肿胀"),
	],
	"Service Attitude": [
		("Receptionist was rude on the phone", "前台电话态度恶劣"),
		("Waited 90 minutes past the appointment", "超过预约时间等待90分钟"),
	],
	"Price and Billing": [
		("Charged more than the quoted package price", "收费高于套餐报价"),
		("Deposit not refunded after cancellation", "取消预约后定金未退"),
	],
	"Privacy": [
		("Before/after photos posted without consent", "未经同意发布术前术后对比照片"),
		("Staff discussed my treatment in the waiting area", "工作人员在候诊区谈论我的治疗"),
	],
	"Medical Safety": [
		("Infection at the incision site", "切口感染"),
		("Allergic reaction after injection", "注射后出现过敏反应"),
	],
	"Product Quality": [
		("Aligner cracked within a week", "隐形牙套一周内破裂"),
		("Skin-care product caused a rash", "护肤产品导致皮疹"),
	],
	"Environment and Facilities": [
		("Treatment room was not clean", "治疗室不干净"),
		("No parking information given", "没有提供停车信息"),
	],
	"Practitioner Conduct": [
		("Doctor did not explain the risks", "医生未说明手术风险"),
		("Doctor pushed for extra procedures", "医生强行推销额外项目"),
	],
	"Other": [
		("Appointment reminder sent to the wrong person", "预约提醒发错了人"),
	],
}
DEMANDS = (
	("Full refund", "全额退款"),
	("Free corrective treatment", "免费修复治疗"),
	("An apology and an explanation", "道歉并给出解释"),
	("Compensation for medical costs", "赔偿医疗费用"),
	("Partial refund", "部分退款"),
)
CHANNELS = (
	("Phone", 30),
	("Walk-in", 20),
	("WeChat", 18),
	("Online Chat", 8),
	("Email", 8),
	("Social Media", 7),
	("Website", 5),
	("Third Party", 4),
)
THIRD_PARTIES = ("Consumer Association", "Regulator", "Platform")
THIRD_PARTY_NAMES = ("12315 hotline", "District Health Commission", "Consumer Association office")


def make_demo(count: int = 300, seed: int = 7, walk: bool = True) -> int:
	"""``count`` complaints seeded in bulk, and with ``walk`` some thirty more taken through the
	app's own paths; returns how many were made."""
	rng = random.Random(seed)
	company = frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")
	if not company:
		frappe.throw(frappe._("Create a Company (complete the setup wizard) before making demo data."))
	masters = _make_masters(company)
	now = now_datetime()
	for _ in range(count):
		doc, target = _demo_complaint(rng, company, masters, now)
		doc.insert(ignore_permissions=True)
		_settle(doc, target, rng)
		_report_if_major(doc, target, rng)
	walked = Walk(rng, company, masters, now, _demo_complaint).run() if walk else []
	return count + len(walked)


def remove_demo() -> int:
	"""Delete the demo complaints and all that was made for them; a second run finds nothing."""
	names = frappe.get_all("Complaint", filters={"is_demo": 1}, pluck="name")
	compensations = (
		frappe.get_all("Compensation", filters={"complaint": ("in", names)}, pluck="name") if names else []
	)
	# what the compensations made in ERPNext, found before cancelling them deletes the drafts
	settled = {}
	if compensations:
		for doctype in SETTLEMENT_DOCTYPES:
			if frappe.get_meta(doctype).has_field("kesu_compensation"):
				settled[doctype] = frappe.get_all(
					doctype, filters={"kesu_compensation": ("in", compensations)}, pluck="name"
				)
		settled["Pricing Rule"] = frappe.get_all(
			"Compensation",
			filters={"name": ("in", compensations), "pricing_rule": ("is", "set")},
			pluck="pricing_rule",
		)
	for name in compensations:
		doc = frappe.get_doc("Compensation", name)
		if doc.docstatus == 1:
			# the app's own undoing: a paid document is cancelled, a draft deleted
			doc.flags.ignore_permissions = True
			doc.cancel()
	for doctype in ("Coupon Code", "Pricing Rule", "Journal Entry", "Sales Order", "Sales Invoice"):
		_remove_documents(doctype, settled.get(doctype, []))
	_remove_documents("Compensation", compensations)
	follow_ups = (
		frappe.get_all("Follow-up", filters={"complaint": ("in", names)}, pluck="name") if names else []
	)
	_remove_documents("Follow-up", follow_ups)
	for doctype in ("Accountability Outcome", "Major Complaint Report"):
		_remove_documents(
			doctype,
			frappe.get_all(doctype, filters={"complaint": ("in", names)}, pluck="name") if names else [],
		)
	_remove_documents("Complaint", names)
	# the invoices the treatments were sold on, once nothing of the demo refunds them
	invoices = frappe.get_all("Sales Invoice", filters={"remarks": INVOICE_REMARK}, pluck="name")
	_remove_documents("Sales Invoice", invoices)
	# the demo staff hold the tier roles: left in place, they would be handed the site's own cases
	_remove_documents("User", [email for email, _first, _last in STAFF.values()])
	return len(names)


def _remove_documents(doctype: str, names: list[str]):
	"""Delete ``names`` of ``doctype`` (cancelled first when submitted) and what was written about
	them, the deletion's own records included; also for those deleted already (a compensation's
	cancel deletes its drafts). For a ledger transaction, the entries its cancel left too."""
	names = [name for name in dict.fromkeys(names) if name]
	if not names:
		return
	files = frappe.get_all(
		"File", filters={"attached_to_doctype": doctype, "attached_to_name": ("in", names)}, pluck="name"
	)
	for name in frappe.get_all(doctype, filters={"name": ("in", names)}, pluck="name"):
		doc = frappe.get_doc(doctype, name)
		if doc.docstatus == 1:
			doc.flags.ignore_permissions = True
			doc.cancel()
		frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
	# demo data is not kept for restoring, nor its deletion announced in the activity feed
	frappe.db.delete("Deleted Document", {"deleted_doctype": doctype, "deleted_name": ("in", names)})
	if files:  # deleted with the document they were attached to
		frappe.db.delete("Deleted Document", {"deleted_doctype": "File", "deleted_name": ("in", files)})
	frappe.db.delete(
		"Comment",
		{
			"comment_type": "Deleted",
			"reference_doctype": doctype,
			"subject": ("in", [f"{frappe._(doctype)} {name}" for name in names]),
		},
	)
	if doctype in LEDGER_DOCTYPES:
		# as ERPNext's "delete linked ledger entries" does on deleting a transaction
		for ledger in ("GL Entry", "Payment Ledger Entry"):
			frappe.db.delete(ledger, {"voucher_type": doctype, "voucher_no": ("in", names)})
	# their assignments, comments and history too, with or without a worker running
	bulk.delete_traces(doctype, names)


def _make_masters(company: str) -> dict:
	for branch in BRANCHES:
		if not frappe.db.exists("Branch", branch):
			frappe.get_doc({"doctype": "Branch", "branch": branch}).insert(ignore_permissions=True)
	item_group = "Services" if frappe.db.exists("Item Group", "Services") else _root("Item Group")
	for code, name in SERVICES:
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": name,
					"item_group": item_group,
					"stock_uom": "Nos" if frappe.db.exists("UOM", "Nos") else _first("UOM"),
					"is_stock_item": 0,
					"include_item_in_manufacturing": 0,
				}
			).insert(ignore_permissions=True)
	employees = []
	for first, last, gender in PRACTITIONERS:
		name = frappe.db.get_value("Employee", {"first_name": first, "last_name": last, "company": company})
		if not name:
			name = (
				frappe.get_doc(
					{
						"doctype": "Employee",
						"first_name": first,
						"last_name": last,
						"gender": gender if frappe.db.exists("Gender", gender) else _first("Gender"),
						"date_of_birth": "1985-05-01",
						"date_of_joining": "2020-01-06",
						"company": company,
						"status": "Active",
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		employees.append(name)
	customers = []
	customer_group = frappe.db.get_single_value("Selling Settings", "customer_group") or _leaf(
		"Customer Group"
	)
	territory = frappe.db.get_single_value("Selling Settings", "territory") or _leaf("Territory")
	for full_name in CUSTOMERS:
		if not frappe.db.exists("Customer", full_name):
			frappe.get_doc(
				{
					"doctype": "Customer",
					"customer_name": full_name,
					"customer_type": "Individual",
					"customer_group": customer_group,
					"territory": territory,
				}
			).insert(ignore_permissions=True)
		customers.append(full_name)
	return {"employees": employees, "customers": customers}


def _root(doctype: str) -> str:
	return frappe.db.get_value(doctype, {"is_group": 1}, "name", order_by="lft asc")


def _leaf(doctype: str) -> str:
	return frappe.db.get_value(doctype, {"is_group": 0}, "name", order_by="lft asc") or _root(doctype)


def _first(doctype: str) -> str:
	return frappe.db.get_value(doctype, {}, "name")


def _weighted(rng: random.Random, pairs) -> str:
	return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def _demo_complaint(rng: random.Random, company: str, masters: dict, now: datetime):
	# a year of history, and a busy last fortnight so there is open work to see
	days_ago = rng.randint(0, 13) if rng.random() < 0.2 else rng.randint(0, 364)
	received_at = add_to_date(now, days=-days_ago, hours=-rng.randint(0, 9), minutes=-rng.randint(0, 59))
	# most complaints come in during opening hours
	received_at = received_at.replace(hour=rng.choice((9, 10, 11, 14, 15, 16, 17, 19, 22)))
	if received_at > now:
		received_at = now - timedelta(minutes=5)
	category, default_severity = rng.choice(DEFAULT_CATEGORIES)
	severity = default_severity if rng.random() < 0.8 else rng.choice(("General", "Important", "Urgent"))
	customer = rng.choice(masters["customers"])
	chinese = not customer.isascii()
	subject_en, subject_zh = rng.choice(SUBJECTS[category])
	demand_en, demand_zh = rng.choice(DEMANDS)
	code, service = rng.choice(SERVICES)
	channel = _weighted(rng, CHANNELS)
	phone = f"1{rng.choice((3, 5, 8))}{rng.randint(100000000, 999999999)}"
	doc = frappe.get_doc(
		{
			"doctype": "Complaint",
			"is_demo": 1,
			"company": company,
			"branch": rng.choice(BRANCHES),
			"received_at": received_at,
			"channel": channel,
			"third_party_body": rng.choice(THIRD_PARTIES) if channel == "Third Party" else None,
			# the body's own reply date: a fortnight, as 12315 usually gives
			"third_party_deadline": add_to_date(received_at, days=15) if channel == "Third Party" else None,
			"third_party_name": rng.choice(THIRD_PARTY_NAMES) if channel == "Third Party" else None,
			"customer": customer,
			"contact_phone": phone,
			"subject": subject_zh if chinese else subject_en,
			"description": (
				f"客户反映：{subject_zh}。项目：{service}。"
				if chinese
				else f"The customer reports: {subject_en}. Service: {service}."
			),
			"customer_demand": demand_zh if chinese else demand_en,
			"item": code,
			"service_date": getdate(add_to_date(received_at, days=-rng.randint(1, 40))),
			"practitioner": rng.choice(masters["employees"]),
			"category": category,
			"severity": severity,
		}
	)
	return doc, _advance(doc, rng, received_at, now)


STATE_OF_STATUS = {
	"Acknowledged": "Acknowledged",
	"Resolution Proposed": "Resolution Proposed",
	"Awaiting Feedback": "Awaiting Customer Feedback",
	"Closed": "Closed",
}


def _advance(doc, rng: random.Random, received_at: datetime, now: datetime) -> dict:
	"""How far the complaint got, with realistic stage times: applied after insert."""
	age_days = (now - received_at).days
	steps = [
		("Acknowledged", ("first_response", "acknowledgement"), rng.uniform(0.2, 30)),
		("Resolution Proposed", ("investigation", "resolution"), rng.uniform(24, 24 * 9)),
		("Awaiting Feedback", ("feedback",), rng.uniform(4, 24 * 4)),
		("Closed", (), rng.uniform(24, 24 * 10)),
	]
	if age_days < 2:
		steps = steps[: rng.randint(0, 1)]
	elif age_days < 10:
		steps = steps[: rng.randint(1, 3)]
	chinese = not doc.subject.isascii()
	target = {"status": None, "values": {}}
	moment = received_at
	for status, stages, hours in steps:
		moment = add_to_date(moment, hours=hours)
		if moment >= now:
			break
		target["status"] = status
		for stage in stages:
			target["values"][f"{stage}_met_at"] = moment
		if status == "Resolution Proposed":
			target["values"]["substantiated"] = "Substantiated" if rng.random() < 0.6 else "Not Substantiated"
			target["values"]["findings"] = (
				"核实属实。" if chinese else "Confirmed against the treatment record."
			)
			target["values"]["resolution_summary"] = (
				"已与客户沟通并提出处理方案。" if chinese else "Explained the findings and offered a remedy."
			)
		if status == "Closed":
			target["values"]["closed_at"] = moment
			target["values"]["customer_feedback"] = "满意" if chinese else "Satisfied with the outcome."
	met = target["values"]
	if met.get("acknowledgement_met_at") and doc.severity == "Urgent":
		# the urgent first answer comes well before the formal acknowledgement
		quick = add_to_date(received_at, minutes=rng.randint(10, 90))
		met["first_response_met_at"] = min(quick, met["acknowledgement_met_at"])
	return target


def _report_if_major(doc, target: dict, rng: random.Random):
	"""A major case the story closed has its special report, approved (seeded, so not printed and
	attached: the walked cases show that path)."""
	if target["status"] not in ("Closed", "Rejected") or not frappe.db.get_value(
		"Complaint", doc.name, "is_major"
	):
		return
	chinese = not doc.subject.isascii()
	report = frappe.get_doc(
		{
			"doctype": "Major Complaint Report",
			"complaint": doc.name,
			"facts": "<p>经核对治疗记录与照片后确认。</p>"
			if chinese
			else "<p>Confirmed against the treatment record.</p>",
			"root_cause": rng.choice(DEFAULT_ROOT_CAUSES),
			"responsibility": rng.choice(("Clinic", "Practitioner", "Shared")),
			"lessons_learned": "<p>复核同类病例的术前沟通。</p>"
			if chinese
			else "<p>Review the consultation of similar cases.</p>",
		}
	)
	report.flags.ignore_permissions = True
	report.flags.seeding = True
	report.insert()
	report.submit()


def _settle(doc, target: dict, rng: random.Random):
	"""Put the inserted complaint where its story ends: demo data is seeded state, so it is
	written directly rather than replayed through the workflow at today's date."""
	values = dict(target["values"])
	status = target["status"]
	# a case raised by severity stays with its tier until a resolution is proposed
	if status and (doc.current_tier == "Front Desk" or status != "Acknowledged"):
		values["status"] = status
		values["workflow_state"] = STATE_OF_STATUS[status]
	for stage in STAGE_KEYS:
		values[f"{stage}_breached"] = 0
	frappe.db.set_value("Complaint", doc.name, values, update_modified=False)
	for row in doc.escalations:
		escalated_at = add_to_date(doc.received_at, minutes=rng.randint(2, 40))
		frappe.db.set_value(
			"Complaint Escalation", row.name, "escalated_at", escalated_at, update_modified=False
		)
	doc.reload()
	doc.flags.recompute_time_limits = True
	doc.update_time_limits()
	doc.db_update()
