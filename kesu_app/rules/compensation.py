"""Compensation (赔偿) rules: which tier approves an amount, and how much may still be refunded."""

from __future__ import annotations

from kesu_app.rules.tiers import DEPARTMENT_MANAGER, MANAGEMENT, SUPERVISOR, tier_rank

REFUND = "Refund"
REDO = "Redo Treatment"
FREE_SERVICE = "Free Service"
VOUCHER = "Gift or Voucher"
MEDICAL = "Medical Expense Reimbursement"
LOST_INCOME = "Lost Income Reimbursement"
OTHER = "Other"
TYPES = (REFUND, REDO, FREE_SERVICE, VOUCHER, MEDICAL, LOST_INCOME, OTHER)

# the ERPNext document each type is settled with
CREDIT_NOTE, JOURNAL_ENTRY, SALES_ORDER, COUPON_CODE = (
	"Sales Invoice",
	"Journal Entry",
	"Sales Order",
	"Coupon Code",
)
SETTLED_WITH = {
	REFUND: CREDIT_NOTE,
	REDO: SALES_ORDER,
	FREE_SERVICE: SALES_ORDER,
	VOUCHER: COUPON_CODE,
	MEDICAL: JOURNAL_ENTRY,
	LOST_INCOME: JOURNAL_ENTRY,
	OTHER: JOURNAL_ENTRY,
}

# for the example thresholds: up to 500 a supervisor, up to 5,000 a department manager
DEFAULT_SUPERVISOR_LIMIT = 500
DEFAULT_MANAGER_LIMIT = 5000


class CompensationError(ValueError):
	pass


def required_tier(amount: float, supervisor_limit: float, manager_limit: float) -> str:
	"""The lowest tier that may approve ``amount`` (limits are inclusive)."""
	if amount <= 0:
		raise CompensationError("a compensation amount must be more than zero")
	if supervisor_limit > manager_limit:
		raise CompensationError("the supervisor's limit cannot be above the department manager's")
	if amount <= supervisor_limit:
		return SUPERVISOR
	if amount <= manager_limit:
		return DEPARTMENT_MANAGER
	return MANAGEMENT


def can_approve(approver_tiers: list[str], required: str) -> bool:
	"""An approver may approve at their highest tier and for every tier below it."""
	return any(tier_rank(tier) >= tier_rank(required) for tier in approver_tiers)


def refundable(invoiced: float, earlier_refunds: float, pending_refunds: float = 0) -> float:
	"""What may still be refunded on an invoice: its total, less the refunds already made
	(submitted credit notes) and those approved but not yet paid out."""
	return max(invoiced - abs(earlier_refunds) - abs(pending_refunds), 0)


def proportional_rates(rates: list[float], invoiced: float, amount: float) -> list[float]:
	"""Item rates scaled so a credit note for part of an invoice refunds ``amount`` in total."""
	if invoiced <= 0:
		raise CompensationError("the invoice has no total to refund")
	factor = amount / invoiced
	return [rate * factor for rate in rates]
