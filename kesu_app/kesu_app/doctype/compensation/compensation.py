# Copyright (c) 2026, kesu_app developers
# For license information, please see license.txt

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, flt, now_datetime, today

from kesu_app.permissions import check_stored_permission
from kesu_app.records import keep_server_fields
from kesu_app.rules.compensation import (
	COUPON_CODE,
	CREDIT_NOTE,
	JOURNAL_ENTRY,
	REFUND,
	SALES_ORDER,
	SETTLED_WITH,
	CompensationError,
	can_approve,
	proportional_rates,
	refundable,
	required_tier,
)
from kesu_app.rules.tiers import TIER_ROLES
from kesu_app.system import as_administrator
from kesu_app.untrusted import clean_text_fields

# the documents a compensation creates link back to it; cancelling it cancels them itself
SETTLEMENT_DOCTYPES = (CREDIT_NOTE, JOURNAL_ENTRY, SALES_ORDER, COUPON_CODE, "Pricing Rule")
# decided by approve and reject, from what is stored: a user's write to one is put back
SERVER_FIELDS = (
	"approval_status",
	"approved_by",
	"approved_at",
	"required_tier",
	"proposed_by",
	"erpnext_doctype",
	"erpnext_document",
	"pricing_rule",
	"base_amount",
)
SERVER_TABLES = ("approvals",)


class Compensation(Document):
	ignore_linked_doctypes = SETTLEMENT_DOCTYPES

	def validate(self):
		check_stored_permission(self)
		keep_server_fields(self, SERVER_FIELDS, SERVER_TABLES)
		clean_text_fields(self)
		self.set_missing_values()
		self.validate_amount()
		self.validate_refund()
		self.set_base_amount()
		self.set_required_tier()
		self.validate_settlement()

	def before_submit(self):
		if not self.flags.approving or self.approval_status != "Approved":
			frappe.throw(
				_("A compensation is submitted by approving it: use Approve."), title=_("Not Approved")
			)

	def on_submit(self):
		self.make_erpnext_document()

	def on_update_after_submit(self):
		self.validate_settlement()
		if self.settlement_signed and self.has_value_changed("settlement_signed"):
			self.submit_erpnext_document_if_configured()

	def before_cancel(self):
		self.check_erpnext_cancel_rights()

	def on_cancel(self):
		self.undo_erpnext_document()

	def check_erpnext_cancel_rights(self):
		"""A paid compensation is taken back by someone who may cancel what paid it: said before
		anything is changed."""
		if not self.erpnext_document or self.erpnext_doctype == COUPON_CODE:
			return
		document = frappe.get_doc(self.erpnext_doctype, self.erpnext_document)
		if document.docstatus == 1 and not frappe.has_permission(document.doctype, "cancel", doc=document):
			frappe.throw(
				_(
					"Compensation {0} was paid with {1} {2}, which is submitted: cancelling it needs the right to cancel a {1} (an accounts role)."
				).format(self.name, _(document.doctype), document.name),
				frappe.PermissionError,
				title=_("Accounts Rights Needed"),
			)

	def set_missing_values(self):
		if not self.proposed_by:
			self.proposed_by = frappe.session.user
		if self.compensation_type == REFUND and self.sales_invoice and not self.currency:
			self.currency = frappe.db.get_value("Sales Invoice", self.sales_invoice, "currency")
		if not self.currency and self.company:
			self.currency = frappe.get_cached_value("Company", self.company, "default_currency")

	def validate_amount(self):
		if flt(self.amount) <= 0:
			frappe.throw(_("The compensation amount must be more than zero."), title=_("Invalid Amount"))

	def validate_refund(self):
		if self.compensation_type != REFUND:
			return
		if not self.sales_invoice:
			frappe.throw(_("Select the Sales Invoice the refund is for."), title=_("Refund"))
		invoice = frappe.db.get_value(
			"Sales Invoice",
			self.sales_invoice,
			["customer", "company", "currency", "grand_total", "docstatus", "is_return"],
			as_dict=True,
		)
		if invoice.docstatus != 1 or invoice.is_return:
			frappe.throw(
				_("Sales Invoice {0} is not a submitted invoice that can be refunded.").format(
					self.sales_invoice
				),
				title=_("Refund"),
			)
		if self.customer and invoice.customer != self.customer:
			frappe.throw(
				_("Sales Invoice {0} belongs to customer {1}, not to {2}.").format(
					self.sales_invoice, invoice.customer, self.customer
				),
				title=_("Refund"),
			)
		if self.currency != invoice.currency:
			frappe.throw(
				_("A refund is paid in the invoice's currency, {0}, not in {1}.").format(
					invoice.currency, self.currency
				),
				title=_("Wrong Currency"),
			)
		remaining = refundable(invoice.grand_total, self.earlier_refunds(), self.pending_refunds())
		if flt(self.amount) > flt(remaining, 2):
			frappe.throw(
				_("Only {0} of Sales Invoice {1} can still be refunded (earlier refunds counted).").format(
					frappe.format(remaining, {"fieldtype": "Currency", "options": invoice.currency}),
					self.sales_invoice,
				),
				title=_("Refund Too Large"),
			)

	def earlier_refunds(self) -> float:
		invoice = frappe.qb.DocType("Sales Invoice")
		total = (
			frappe.qb.from_(invoice)
			.select(frappe.query_builder.functions.Sum(invoice.grand_total))
			.where(
				(invoice.return_against == self.sales_invoice)
				& (invoice.docstatus == 1)
				& (invoice.is_return == 1)
			)
			.run()[0][0]
		)
		return abs(flt(total))

	def pending_refunds(self) -> float:
		"""Approved refunds whose credit note is not submitted yet: money promised already."""
		compensation = frappe.qb.DocType("Compensation")
		invoice = frappe.qb.DocType("Sales Invoice")
		total = (
			frappe.qb.from_(compensation)
			.left_join(invoice)
			.on(invoice.name == compensation.erpnext_document)
			.select(frappe.query_builder.functions.Sum(compensation.amount))
			.where(
				(compensation.sales_invoice == self.sales_invoice)
				& (compensation.compensation_type == REFUND)
				& (compensation.docstatus == 1)
				& (compensation.name != self.name)
				& (invoice.docstatus.isnull() | (invoice.docstatus == 0))
			)
			.run()[0][0]
		)
		return flt(total)

	def set_base_amount(self):
		company_currency = frappe.get_cached_value("Company", self.company, "default_currency")
		rate = 1
		if self.currency and self.currency != company_currency:
			from erpnext.setup.utils import get_exchange_rate

			rate = get_exchange_rate(self.currency, company_currency, today()) or 1
		self.base_amount = flt(self.amount) * flt(rate)

	def set_required_tier(self):
		settings = frappe.get_cached_doc("Kesu Settings")
		try:
			self.required_tier = required_tier(
				flt(self.base_amount),
				flt(settings.approval_limit_supervisor),
				flt(settings.approval_limit_department_manager),
			)
		except CompensationError:
			frappe.throw(
				_(
					"The approval limits in Kesu Settings are not valid: the supervisor's is above the department manager's."
				),
				title=_("Approval Limits"),
			)

	def validate_settlement(self):
		if not self.settlement_signed:
			return
		# the signed copy is a file of this compensation, not a path to any file on the site
		if not self.signed_settlement or not frappe.db.exists(
			"File",
			{
				"file_url": self.signed_settlement,
				"attached_to_doctype": self.doctype,
				"attached_to_name": self.name,
			},
		):
			frappe.throw(
				_(
					"Attach the settlement agreement the customer signed to this compensation before marking it signed."
				),
				title=_("Signed Settlement"),
			)

	@frappe.whitelist()
	def approve(self, remarks: str | None = None):
		tier = self.decide()
		self.append_approval("Approved", tier, remarks)
		self.approval_status = "Approved"
		self.approved_by = frappe.session.user
		self.approved_at = now_datetime()
		self.flags.server_write = self.flags.approving = True
		self.submit()

	@frappe.whitelist()
	def reject(self, reason: str):
		if not (reason or "").strip():
			frappe.throw(_("Say why the compensation is rejected."), title=_("Reject"))
		tier = self.decide()
		self.append_approval("Rejected", tier, reason)
		self.approval_status = "Rejected"
		self.flags.server_write = True
		self.save()

	def decide(self) -> str:
		"""Approve and reject decide on the compensation as stored, never on what the client sent
		with the call: reloaded, its tier recomputed from its amount."""
		self.reload()
		self.set_base_amount()
		self.set_required_tier()
		return self.check_approver()

	def check_approver(self) -> str:
		"""The approving user's highest tier, if it may approve this amount."""
		self.check_permission("write")
		if self.docstatus != 0 or self.approval_status != "Pending":
			frappe.throw(_("This compensation has been decided already."), title=_("Approval"))
		user = frappe.session.user
		if user in (self.proposed_by, self.owner):
			frappe.throw(
				_("The person who proposed a compensation cannot approve or reject it."), title=_("Approval")
			)
		roles = set(frappe.get_roles(user))
		tiers = [tier for tier, role in TIER_ROLES.items() if role in roles]
		if not can_approve(tiers, self.required_tier):
			frappe.throw(
				_("A compensation of {0} needs approval by {1} or above.").format(
					frappe.format(self.amount, {"fieldtype": "Currency", "options": self.currency}),
					_(self.required_tier, context=self.doctype),
				),
				frappe.PermissionError,
				title=_("Approval Needed From a Higher Tier"),
			)
		return tiers[-1]

	def append_approval(self, action: str, tier: str, remarks: str | None):
		self.append(
			"approvals",
			{
				"action": action,
				"tier": tier,
				"user": frappe.session.user,
				"at": now_datetime(),
				"remarks": remarks,
			},
		)

	@frappe.whitelist()
	def mark_signed(self, signed_settlement: str | None = None, signed_on: str | None = None):
		self.reload()
		self.check_permission("write")
		if signed_settlement:
			self.signed_settlement = signed_settlement
		self.settlement_signed = 1
		self.signed_on = signed_on or today()
		self.save()

	# the money side, in ERPNext
	def make_erpnext_document(self):
		doctype = SETTLED_WITH[self.compensation_type]
		maker = {
			CREDIT_NOTE: self.make_credit_note,
			JOURNAL_ENTRY: self.make_journal_entry,
			SALES_ORDER: self.make_sales_order,
			COUPON_CODE: self.make_coupon_code,
		}[doctype]
		# a draft for accounts, made with the app's rights; submitting it is someone's own act
		document = maker()
		self.db_set({"erpnext_doctype": doctype, "erpnext_document": document.name})
		self.add_comment("Info", _("{0} {1} prepared for accounts.").format(_(doctype), document.name))
		self.submit_erpnext_document_if_configured()

	def make_credit_note(self):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		grand_total = frappe.db.get_value("Sales Invoice", self.sales_invoice, "grand_total")
		with as_administrator():  # ERPNext maps a return only for whoever may create an invoice
			note = make_sales_return(self.sales_invoice)
		rates = proportional_rates([item.rate for item in note.items], flt(grand_total), flt(self.amount))
		for item, rate in zip(note.items, rates, strict=True):
			item.rate = rate
			item.price_list_rate = rate
			item.discount_percentage = 0
			item.discount_amount = 0
		note.ignore_pricing_rule = 1
		note.kesu_compensation = self.name
		note.remarks = _("Refund for complaint {0} (compensation {1})").format(self.complaint, self.name)
		note.insert(ignore_permissions=True)
		return note

	def make_journal_entry(self):
		from erpnext.accounts.party import get_party_account

		if not self.customer:
			frappe.throw(
				_("A reimbursement is booked against the customer: link the complaint to a Customer first."),
				title=_("Customer Needed"),
			)
		expense = frappe.get_cached_doc("Kesu Settings").compensation_expense_account
		if not expense:
			frappe.throw(
				_("Set the Compensation Expense Account in Kesu Settings."), title=_("Expense Account Needed")
			)
		cost_center = frappe.get_cached_value("Company", self.company, "cost_center")
		entry = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"voucher_type": "Journal Entry",
				"company": self.company,
				"posting_date": today(),
				"user_remark": _("{0} for complaint {1} (compensation {2})").format(
					_(self.compensation_type), self.complaint, self.name
				),
				"kesu_compensation": self.name,
				"accounts": [
					{
						"account": expense,
						"debit_in_account_currency": flt(self.base_amount),
						"cost_center": cost_center,
					},
					{
						"account": get_party_account("Customer", self.customer, self.company),
						"party_type": "Customer",
						"party": self.customer,
						"credit_in_account_currency": flt(self.base_amount),
						"cost_center": cost_center,
					},
				],
			}
		)
		entry.insert(ignore_permissions=True)
		return entry

	def make_sales_order(self):
		if not self.customer or not self.item:
			frappe.throw(
				_("A free or redone treatment is ordered for a Customer and a service Item: set both."),
				title=_("Customer and Service Needed"),
			)
		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": self.customer,
				"company": self.company,
				"transaction_date": today(),
				"delivery_date": add_days(today(), 30),
				"currency": self.currency,
				"ignore_pricing_rule": 1,
				"kesu_compensation": self.name,
				"items": [
					{"item_code": self.item, "qty": 1, "rate": 0, "delivery_date": add_days(today(), 30)}
				],
			}
		)
		order.insert(ignore_permissions=True)
		return order

	def make_coupon_code(self):
		rule = frappe.get_doc(
			{
				"doctype": "Pricing Rule",
				"title": _("Complaint voucher {0}").format(self.name),
				"apply_on": "Transaction",
				"price_or_product_discount": "Price",
				"rate_or_discount": "Discount Amount",
				"discount_amount": flt(self.amount),
				"currency": self.currency,
				"selling": 1,
				"company": self.company,
				"coupon_code_based": 1,
				"valid_from": today(),
			}
		)
		rule.insert(ignore_permissions=True)
		coupon = frappe.get_doc(
			{
				"doctype": "Coupon Code",
				"coupon_name": self.name,
				# random: ERPNext makes a promotional code from the name's letters, the same for
				# every complaint voucher, which anyone could then use
				"coupon_code": frappe.generate_hash(length=12).upper(),
				"coupon_type": "Gift Card" if self.customer else "Promotional",
				"customer": self.customer,
				"pricing_rule": rule.name,
				"maximum_use": 1,
				"valid_from": today(),
				"kesu_compensation": self.name,
				"description": _("Voucher for complaint {0}").format(self.complaint),
			}
		)
		coupon.insert(ignore_permissions=True)
		self.db_set("pricing_rule", rule.name)
		return coupon

	def submit_erpnext_document_if_configured(self):
		if not (self.erpnext_document and self.settlement_signed):
			return
		if not frappe.get_cached_doc("Kesu Settings").submit_erpnext_documents:
			return
		document = frappe.get_doc(self.erpnext_doctype, self.erpnext_document)
		if not document.meta.is_submittable or document.docstatus != 0:
			return
		# paid as the user who marks it signed, with their own rights
		if not frappe.has_permission(document.doctype, "submit", doc=document):
			self.add_comment(
				"Info",
				_("{0} {1} waits for accounts: {2} may not submit it.").format(
					_(document.doctype), document.name, frappe.session.user
				),
			)
			return
		document.submit()

	def undo_erpnext_document(self):
		"""Cancelling a compensation cancels (or, for a draft, deletes) what it created. A
		submitted document is cancelled by the user who cancels, with their own rights."""
		if not self.erpnext_document:
			return
		if self.erpnext_doctype == COUPON_CODE:
			if frappe.db.get_value(COUPON_CODE, self.erpnext_document, "used"):
				frappe.throw(_("The voucher has been used already; it cannot be taken back."))
			frappe.delete_doc(COUPON_CODE, self.erpnext_document, ignore_permissions=True, force=True)
			if self.pricing_rule:
				frappe.delete_doc("Pricing Rule", self.pricing_rule, ignore_permissions=True, force=True)
			self.add_comment("Info", _("Voucher {0} withdrawn.").format(self.erpnext_document))
			return
		document = frappe.get_doc(self.erpnext_doctype, self.erpnext_document)
		if document.docstatus == 1:
			document.cancel()
			self.add_comment("Info", _("{0} {1} cancelled.").format(_(self.erpnext_doctype), document.name))
		elif document.docstatus == 0:
			frappe.delete_doc(self.erpnext_doctype, document.name, ignore_permissions=True, force=True)
			self.add_comment(
				"Info", _("Draft {0} {1} deleted.").format(_(self.erpnext_doctype), document.name)
			)
			self.db_set({"erpnext_document": None})


def block_unsigned_settlement(doc, method=None):
	"""doc_events hook: no payment (submitting the ERPNext document) before the settlement
	agreement is signed and attached."""
	name = doc.get("kesu_compensation")
	if not name:
		return
	signed = frappe.db.get_value(
		"Compensation", name, ["settlement_signed", "signed_settlement"], as_dict=True
	)
	if not signed or not (signed.settlement_signed and signed.signed_settlement):
		frappe.throw(
			_("{0} pays compensation {1}: attach the settlement agreement the customer signed first.").format(
				_(doc.doctype), name
			),
			title=_("Settlement Not Signed"),
		)
