"""Factories for the integration tier: masters shared by tests, made once and committed."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, today

OTHER_COMPANY = "_Kesu Other Company"
AGENT = "kesu.agent@example.com"
CUSTOMER_A = "_Kesu Customer A"
CUSTOMER_B = "_Kesu Customer B"
SERVICE_ITEM = "_KESU-TEST-SERVICE"
HOLIDAYS = "_Kesu Test Holidays"


def default_company() -> str:
	return (
		frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name", limit=1)[0]
	)


def make_company(name: str, abbr: str) -> str:
	if not frappe.db.exists("Company", name):
		base = frappe.get_cached_doc("Company", default_company())
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": base.default_currency,
				"country": base.country,
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return name


def make_customer(name: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Individual",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
			}
		).insert(ignore_permissions=True)
	return name


def make_service_item(code: str) -> str:
	if not frappe.db.exists("Item", code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": "Test Laser Treatment",
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": frappe.db.get_value("UOM", {}, "name")
				if not frappe.db.exists("UOM", "Nos")
				else "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return code


def make_employee(first_name: str, company: str) -> str:
	name = frappe.db.get_value("Employee", {"first_name": first_name, "company": company})
	if name:
		return name
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": first_name,
				"last_name": "Test",
				"gender": frappe.db.get_value("Gender", {}, "name"),
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"company": company,
				"status": "Active",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_sales_invoice(customer: str, company: str, rate: float = 1000) -> str:
	existing = frappe.db.get_value(
		"Sales Invoice", {"customer": customer, "company": company, "docstatus": 1, "is_return": 0}
	)
	if existing:
		return existing
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": company,
			"posting_date": today(),
			"due_date": add_days(today(), 30),
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"items": [{"item_code": SERVICE_ITEM, "qty": 1, "rate": rate}],
		}
	)
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return invoice.name


def make_user(email: str, roles: list[str]) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		)
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles(*roles)
	no_assignment_emails(email)
	frappe.clear_cache(user=email)
	return email


def no_assignment_emails(user: str):
	"""The bell is enough for a test user's assignments: in a test Frappe sends a notification's
	email at once, and sending commits, which would leave the test's records behind."""
	if not frappe.db.exists("Notification Settings", user):
		frappe.get_doc({"doctype": "Notification Settings", "name": user}).insert(ignore_permissions=True)
	frappe.db.set_value("Notification Settings", user, "enable_email_assignment", 0)


def make_holiday_list(name: str, dates: list[str]) -> str:
	if frappe.db.exists("Holiday List", name):
		frappe.delete_doc("Holiday List", name, ignore_permissions=True, force=True)
	frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": name,
			"from_date": "2026-01-01",
			"to_date": "2026-12-31",
			"holidays": [{"holiday_date": d, "description": "Test holiday"} for d in dates],
		}
	).insert(ignore_permissions=True)
	return name


def shared_masters() -> dict:
	"""Create (once) what the intake tests link to, and commit it."""
	company = default_company()
	masters = {
		"company": company,
		"other_company": make_company(OTHER_COMPANY, "_KOC"),
		"customer_a": make_customer(CUSTOMER_A),
		"customer_b": make_customer(CUSTOMER_B),
		"item": make_service_item(SERVICE_ITEM),
		"agent": make_user(AGENT, ["Complaint Agent"]),
	}
	masters["practitioner"] = make_employee("_KesuDoc", company)
	masters["other_practitioner"] = make_employee("_KesuOtherDoc", OTHER_COMPANY)
	masters["invoice_a"] = make_sales_invoice(CUSTOMER_A, company)
	masters["invoice_b"] = make_sales_invoice(CUSTOMER_B, company)
	masters["users"] = tier_users()
	masters["branch_a"] = make_branch("_Kesu Branch A")
	masters["branch_b"] = make_branch("_Kesu Branch B")
	frappe.db.commit()  # shared test records outlive each test's rollback, as Frappe's do
	return masters


def complaint(masters: dict, **values) -> dict:
	doc = {
		"doctype": "Complaint",
		"company": masters["company"],
		"received_at": "2026-04-03 17:55:00",
		"channel": "Phone",
		"customer": masters["customer_a"],
		"contact_phone": "+86 138 0013 8000",
		"subject": "Redness after laser treatment",
		"description": "The customer reports redness for a week after the treatment.",
		"customer_demand": "Free follow-up treatment",
		"item": masters["item"],
		"service_date": "2026-03-28",
		"practitioner": masters["practitioner"],
		"sales_invoice": masters["invoice_a"],
		"category": "Treatment Outcome",
		"severity": "General",
	}
	doc.update(values)
	return doc


SUPERVISOR = "kesu.supervisor@example.com"
DEPT_MANAGER = "kesu.manager@example.com"
DIRECTOR = "kesu.director@example.com"
ROLE_USERS = {
	"Complaint Agent": AGENT,
	"Complaint Supervisor": SUPERVISOR,
	"Complaint Department Manager": DEPT_MANAGER,
	"Complaint Management": DIRECTOR,
}


def tier_users() -> dict[str, str]:
	"""One user per tier role, each with that role only."""
	for role, user in ROLE_USERS.items():
		make_user(user, [role])
	return dict(ROLE_USERS)


def make_linked_employee(first_name: str, company: str, user: str, reports_to: str | None = None) -> str:
	name = frappe.db.get_value("Employee", {"user_id": user})
	if not name:
		name = make_employee(first_name, company)
		# no automatic User Permission on Employee: the test is about complaints, not HR records
		frappe.db.set_value("Employee", name, {"user_id": user, "create_user_permission": 0})
	frappe.db.set_value("Employee", name, "reports_to", reports_to)
	return name


def make_branch(name: str) -> str:
	if not frappe.db.exists("Branch", name):
		frappe.get_doc({"doctype": "Branch", "branch": name}).insert(ignore_permissions=True)
	return name
