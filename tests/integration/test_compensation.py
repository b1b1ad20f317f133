"""Compensation in a real ERPNext site: approval by amount, each type through to its ERPNext
document, the signed settlement before payment, bad input refused, cancel undoes."""

from __future__ import annotations

import base64

import pytest

frappe = pytest.importorskip("frappe", reason="integration tier skipped: Frappe is not importable here")

from frappe.utils import flt  # noqa: E402

from tests.integration.factories import (  # noqa: E402
	AGENT,
	DEPT_MANAGER,
	DIRECTOR,
	SUPERVISOR,
	complaint,
	make_user,
)


@pytest.fixture
def setup(masters, calendar):
	calendar.compensation_expense_account = frappe.db.get_value(
		"Account", {"company": masters["company"], "root_type": "Expense", "is_group": 0}, "name"
	)
	calendar.submit_erpnext_documents = 0
	calendar.approval_limit_supervisor = 500
	calendar.approval_limit_department_manager = 5000
	calendar.save()
	doc = frappe.get_doc(complaint(masters, received_at=frappe.utils.add_to_date(None, hours=-2)))
	doc.insert()
	return {"complaint": doc.name, **masters}


def propose(setup, user=AGENT, **values) -> str:
	frappe.set_user(user)
	try:
		doc = frappe.get_doc({"doctype": "Compensation", "complaint": setup["complaint"], **values})
		doc.insert()
		return doc.name
	finally:
		frappe.set_user("Administrator")


def act(user, name, method, *args):
	frappe.set_user(user)
	try:
		doc = frappe.get_doc("Compensation", name)
		getattr(doc, method)(*args)
		return doc
	finally:
		frappe.set_user("Administrator")


# a 1x1 PNG: the photo of the signed agreement
SIGNED_SCAN = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


def signed_file(compensation: str) -> str:
	"""The scan of the signed agreement, attached to the compensation as the desk attaches it."""
	return (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "settlement-signed.png",
				"content": SIGNED_SCAN,
				"is_private": 1,
				"attached_to_doctype": "Compensation",
				"attached_to_name": compensation,
			}
		)
		.insert(ignore_permissions=True)
		.file_url
	)


# a supervisor who also keeps the clinic's books: submits and cancels ERPNext's documents
ACCOUNTS_SUPERVISOR = "kesu.supervisor.accounts@example.com"


def accounts_supervisor() -> str:
	return make_user(ACCOUNTS_SUPERVISOR, ["Complaint Supervisor", "Accounts Manager"])


def test_the_tier_its_amount_requires_approves(setup):
	small = propose(setup, compensation_type="Gift or Voucher", amount=300)
	large = propose(setup, compensation_type="Medical Expense Reimbursement", amount=3000)
	assert frappe.db.get_value("Compensation", small, "required_tier") == "Supervisor"
	assert frappe.db.get_value("Compensation", large, "required_tier") == "Department Manager"

	# the proposer may not approve, nor may a tier too low
	with pytest.raises(frappe.ValidationError):
		act(AGENT, small, "approve")
	with pytest.raises(frappe.PermissionError):
		act(SUPERVISOR, large, "approve")
	assert frappe.db.get_value("Compensation", large, ["docstatus", "approval_status"]) == (0, "Pending")
	assert not frappe.get_all("Compensation Approval", filters={"parent": large})

	act(SUPERVISOR, small, "approve")
	act(DEPT_MANAGER, large, "approve")
	for name, approver in ((small, SUPERVISOR), (large, DEPT_MANAGER)):
		doc = frappe.get_doc("Compensation", name)
		assert doc.docstatus == 1 and doc.approval_status == "Approved" and doc.approved_by == approver
		[row] = doc.approvals
		assert row.action == "Approved" and row.user == approver


def test_rejection_is_recorded_and_the_proposer_cannot_decide(setup):
	name = propose(setup, user=SUPERVISOR, compensation_type="Free Service", amount=100)
	with pytest.raises(frappe.ValidationError):
		act(SUPERVISOR, name, "approve")
	act(DIRECTOR, name, "reject", "The treatment record shows the agreed result.")
	doc = frappe.get_doc("Compensation", name)
	assert doc.docstatus == 0 and doc.approval_status == "Rejected"
	assert [(row.action, row.user) for row in doc.approvals] == [("Rejected", DIRECTOR)]


def test_refund_makes_a_credit_note_paid_only_after_signing_and_cancel_reverses_it(setup):
	invoice = setup["invoice_a"]
	total = flt(frappe.db.get_value("Sales Invoice", invoice, "grand_total"))
	name = propose(setup, compensation_type="Refund", amount=400, sales_invoice=invoice)
	doc = act(SUPERVISOR, name, "approve")
	assert doc.erpnext_doctype == "Sales Invoice"
	note = frappe.get_doc("Sales Invoice", doc.erpnext_document)
	assert note.is_return and note.return_against == invoice and note.docstatus == 0
	assert note.kesu_compensation == name
	assert abs(note.grand_total + 400) < 0.05

	with pytest.raises(frappe.ValidationError):
		note.submit()  # no payment before the signed settlement
	with pytest.raises(frappe.ValidationError):
		act(SUPERVISOR, name, "mark_signed", signed_file(setup["complaint"]))  # a file of something else
	act(SUPERVISOR, name, "mark_signed", signed_file(name))
	note.reload()
	note.submit()

	# the refund cap counts the submitted credit note
	with pytest.raises(frappe.ValidationError):
		propose(setup, compensation_type="Refund", amount=total - 400 + 1, sales_invoice=invoice)
	propose(setup, compensation_type="Refund", amount=total - 400, sales_invoice=invoice)

	# the credit note is paid: cancelling it takes accounts rights, the canceller's own
	with pytest.raises(frappe.PermissionError, match="accounts"):
		act(SUPERVISOR, name, "cancel")
	assert frappe.db.get_value("Sales Invoice", note.name, "docstatus") == 1
	act(accounts_supervisor(), name, "cancel")
	assert frappe.db.get_value("Sales Invoice", note.name, "docstatus") == 2


def test_reimbursement_makes_a_journal_entry_and_cancel_deletes_the_draft(setup):
	name = propose(setup, compensation_type="Lost Income Reimbursement", amount=250)
	doc = act(SUPERVISOR, name, "approve")
	entry = frappe.get_doc("Journal Entry", doc.erpnext_document)
	assert entry.docstatus == 0 and entry.kesu_compensation == name
	debit = next(row for row in entry.accounts if row.debit_in_account_currency)
	credit = next(row for row in entry.accounts if row.credit_in_account_currency)
	assert debit.account == frappe.db.get_single_value("Kesu Settings", "compensation_expense_account")
	assert flt(debit.debit_in_account_currency) == 250 and credit.party == setup["customer_a"]
	act(SUPERVISOR, name, "cancel")
	assert not frappe.db.exists("Journal Entry", entry.name)


def test_redo_makes_a_zero_value_sales_order(setup):
	name = propose(setup, compensation_type="Redo Treatment", amount=800)
	doc = act(DEPT_MANAGER, name, "approve")
	order = frappe.get_doc("Sales Order", doc.erpnext_document)
	assert order.docstatus == 0 and order.grand_total == 0 and order.items[0].item_code == setup["item"]
	act(DEPT_MANAGER, name, "cancel")
	assert not frappe.db.exists("Sales Order", order.name)


def test_voucher_makes_a_coupon_code_and_cancel_withdraws_it(setup):
	name = propose(setup, compensation_type="Gift or Voucher", amount=200)
	doc = act(SUPERVISOR, name, "approve")
	coupon = frappe.get_doc("Coupon Code", doc.erpnext_document)
	assert coupon.kesu_compensation == name and coupon.customer == setup["customer_a"]
	assert flt(frappe.db.get_value("Pricing Rule", coupon.pricing_rule, "discount_amount")) == 200
	act(SUPERVISOR, name, "cancel")
	assert not frappe.db.exists("Coupon Code", coupon.name)
	assert not frappe.db.exists("Pricing Rule", doc.pricing_rule)


def test_documents_are_submitted_once_signed_when_settings_say_so(setup):
	settings = frappe.get_single("Kesu Settings")
	settings.submit_erpnext_documents = 1
	settings.save()
	name = propose(setup, compensation_type="Medical Expense Reimbursement", amount=120)
	doc = act(SUPERVISOR, name, "approve")
	assert frappe.db.get_value("Journal Entry", doc.erpnext_document, "docstatus") == 0
	# a supervisor without accounts rights signs: the entry waits for accounts, and says so
	act(SUPERVISOR, name, "mark_signed", signed_file(name))
	assert frappe.db.get_value("Journal Entry", doc.erpnext_document, "docstatus") == 0
	notes = frappe.get_all("Comment", filters={"reference_name": name}, pluck="content")
	assert any("waits for accounts" in note for note in notes)

	other = propose(setup, compensation_type="Medical Expense Reimbursement", amount=130)
	doc = act(SUPERVISOR, other, "approve")
	act(accounts_supervisor(), other, "mark_signed", signed_file(other))
	entry = frappe.get_doc("Journal Entry", doc.erpnext_document)
	assert entry.docstatus == 1
	assert entry.modified_by == ACCOUNTS_SUPERVISOR  # submitted as the user who acted


BAD = {
	"zero amount": dict(compensation_type="Free Service", amount=0),
	"negative amount": dict(compensation_type="Free Service", amount=-50),
	"refund above the invoice": dict(compensation_type="Refund", amount=10**7, sales_invoice="__invoice__"),
	"refund in another currency": dict(
		compensation_type="Refund", amount=10, sales_invoice="__invoice__", currency="__other__"
	),
	"refund of another customer's invoice": dict(
		compensation_type="Refund", amount=10, sales_invoice="__invoice_b__"
	),
	"signed without the signed copy": dict(compensation_type="Free Service", amount=10, settlement_signed=1),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_and_creates_nothing(setup, case):
	values = dict(BAD[case])
	company_currency = frappe.get_cached_value("Company", setup["company"], "default_currency")
	replace = {
		"__invoice__": setup["invoice_a"],
		"__invoice_b__": setup["invoice_b"],
		"__other__": "EUR" if company_currency != "EUR" else "USD",
	}
	values = {key: replace.get(value, value) for key, value in values.items()}
	counts = {
		doctype: frappe.db.count(doctype) for doctype in ("Compensation", "Journal Entry", "Sales Order")
	}
	with pytest.raises(frappe.ValidationError):
		propose(setup, **values)
	assert {doctype: frappe.db.count(doctype) for doctype in counts} == counts


def test_settlement_print_format_renders_in_both_languages(setup):
	name = propose(setup, compensation_type="Gift or Voucher", amount=88)
	html = frappe.get_print("Compensation", name, "Compensation Settlement")
	assert "和解协议" in html and "Settlement Agreement" in html and name in html


def test_a_complaint_shows_its_compensation_follow_up_and_invoice(setup):
	"""The complaint form's Connections count what was done about the case."""
	from frappe.desk.notifications import get_open_count

	propose(setup, compensation_type="Other", amount=100)
	frappe.get_doc(
		{
			"doctype": "Follow-up",
			"complaint": setup["complaint"],
			"follow_up_type": "Result Feedback",
			"scheduled_date": frappe.utils.today(),
		}
	).insert()
	frappe.set_user(SUPERVISOR)
	try:
		counts = get_open_count("Complaint", setup["complaint"])["count"]
	finally:
		frappe.set_user("Administrator")
	found = {row["doctype"]: row["count"] for row in counts["external_links_found"]}
	assert found["Compensation"] == 1 and found["Follow-up"] == 1
	invoice = frappe.db.get_value("Complaint", setup["complaint"], "sales_invoice")
	linked = {row["doctype"]: row["names"] for row in counts["internal_links_found"]}
	assert linked.get("Sales Invoice") == ([invoice] if invoice else None)
