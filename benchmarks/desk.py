"""What intake and form load seed: complaints and ERPNext Issues as the desk makes them, the
Service Level Agreement the Issues run under, and the removal of all of it afterwards."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

MARK = "BENCH-DESK"
SLA_NAME = "BENCH Desk SLA"
HOLIDAYS = "BENCH Desk Holidays"
PRIORITIES = ("Low", "Medium", "High")


# the complaints and issues a run made, by name, kept on disk as they are made: a run killed
# before its cleanup is cleaned up by the next, and nothing is ever found by what it says (a
# guest can type any subject)
LEDGER = Path(__file__).resolve().parent / "results" / "seeded-desk.json"


def read_ledger() -> list[list[str]]:
	try:
		return json.loads(LEDGER.read_text())
	except (FileNotFoundError, ValueError):
		return []


class Seeded:
	"""What a run created or changed, so that cleanup puts back exactly that."""

	def __init__(self):
		self.created: list[tuple[str, str]] = []
		self.support_settings: dict = {}
		self.documents: list[list[str]] = read_ledger()

	def record(self, doctype: str, name: str):
		self.documents.append([doctype, name])
		LEDGER.parent.mkdir(exist_ok=True)
		LEDGER.write_text(json.dumps(self.documents))


def setup_sla(frappe, state: Seeded) -> str:
	"""Track Service Level Agreements and make sure a default one applies to Issues, with
	response and resolution times on a Mon-Fri working calendar, as a support desk runs ERPNext
	(built as ERPNext's test_service_level_agreement builds its own)."""
	from frappe.utils import add_days, getdate

	state.support_settings = {
		"track_service_level_agreement": frappe.db.get_single_value(
			"Support Settings", "track_service_level_agreement"
		)
	}
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	for priority in PRIORITIES:
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority", "name": priority}).insert(ignore_permissions=True)
			state.created.append(("Issue Priority", priority))
	existing = frappe.db.get_value(
		"Service Level Agreement",
		{"document_type": "Issue", "default_service_level_agreement": 1, "enabled": 1},
	)
	if existing:
		frappe.db.commit()
		return existing
	if not frappe.db.exists("Holiday List", HOLIDAYS):
		year = getdate().year
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": HOLIDAYS,
				"from_date": f"{year - 1}-01-01",
				"to_date": f"{year + 1}-12-31",
			}
		).insert(ignore_permissions=True)
		state.created.append(("Holiday List", HOLIDAYS))
	sla = frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": SLA_NAME,
			"document_type": "Issue",
			"enabled": 1,
			"default_service_level_agreement": 1,
			"default_priority": "Medium",
			"holiday_list": HOLIDAYS,
			"start_date": add_days(getdate(), -1),
			"end_date": add_days(getdate(), 365),
			"apply_sla_for_resolution": 1,
			"priorities": [
				{
					"priority": priority,
					"response_time": 3600 * hours,
					"resolution_time": 3600 * 24 * hours,
					"default_priority": int(priority == "Medium"),
				}
				for priority, hours in zip(PRIORITIES, (24, 8, 1), strict=True)
			],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
			"pause_sla_on": [{"status": "Replied"}],
			"support_and_resolution": [
				{"workday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			],
		}
	).insert(ignore_permissions=True)
	state.created.append(("Service Level Agreement", sla.name))
	frappe.db.commit()
	return sla.name


def complaint_values(i: int) -> dict:
	"""A complaint taken by phone at the front desk, as the desk form sends it."""
	return {
		"doctype": "Complaint",
		"channel": "Phone",
		"customer_name": f"Bench Customer {i}",
		"contact_phone": "+86 138 0013 8000",
		"subject": f"{MARK} redness after laser treatment {i}",
		"description": "The customer reports redness for a week after the treatment.",
		"customer_demand": "Free follow-up treatment",
		"category": "Treatment Outcome",
		"severity": "General",
	}


def issue_values(i: int) -> dict:
	"""The same complaint as a support desk would log it as an ERPNext Issue."""
	return {
		"doctype": "Issue",
		"subject": f"{MARK} redness after laser treatment {i}",
		"raised_by": "bench.customer@example.com",
		"description": "The customer reports redness for a week after the treatment.",
		"priority": "Medium",
	}


def seeded(frappe, doctype: str, documents: list[list[str]]) -> list[dict]:
	"""Latest first: the documents of the ledger that still exist."""
	names = [name for kind, name in documents if kind == doctype]
	if not names:
		return []
	return frappe.get_all(
		doctype,
		filters={"name": ("in", names)},
		fields=["name", "naming_series"],
		order_by="creation desc, name desc",
	)


def cleanup(frappe, state: Seeded | None = None):
	frappe.db.rollback()
	from frappe.model.naming import revert_series_if_last

	documents = state.documents if state else read_ledger()
	for doctype in ("Complaint", "Issue"):
		docs = seeded(frappe, doctype, documents)
		for start in range(0, len(docs), 500):
			delete_documents(frappe, doctype, [doc.name for doc in docs[start : start + 500]])
		# latest first, as Frappe's own delete_doc does it one by one: the naming series goes
		# back to where it was, unless someone else took a number meanwhile
		for doc in docs:
			if doc.naming_series:
				revert_series_if_last(doc.naming_series, doc.name)
	if state:
		for doctype, name in reversed(state.created):
			delete_setup(frappe, doctype, name)
		for field, value in state.support_settings.items():
			frappe.db.set_single_value("Support Settings", field, value)
		state.documents = []
	frappe.db.commit()
	LEDGER.unlink(missing_ok=True)


def delete_documents(frappe, doctype: str, names: list[str]):
	"""Delete documents and what was written about them, in bulk (delete_doc one by one would
	take longer than the benchmark)."""
	from kesu_app import bulk

	# files first, through delete_doc, which removes them from the disk too; it comments the
	# removal on the document, which goes with the other comments below
	for file in frappe.get_all(
		"File", filters={"attached_to_doctype": doctype, "attached_to_name": ("in", names)}, pluck="name"
	):
		frappe.delete_doc("File", file, ignore_permissions=True, force=True, delete_permanently=True)
	bulk.delete_traces(doctype, names)
	communications = frappe.get_all(
		"Communication", filters={"reference_doctype": doctype, "reference_name": ("in", names)}, pluck="name"
	)
	if communications:
		frappe.db.delete("Communication Link", {"parent": ("in", communications)})
		frappe.db.delete("Communication", {"name": ("in", communications)})
	for table in frappe.get_meta(doctype).get_table_fields():
		frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names)})
	frappe.db.delete(doctype, {"name": ("in", names)})


def delete_setup(frappe, doctype: str, name: str):
	"""delete_doc (it clears ERPNext's cache of SLA doctypes), without the trace it leaves of a
	deletion: nobody deleted anything of theirs."""
	frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, delete_permanently=True)
	frappe.db.delete(
		"Comment", {"comment_type": "Deleted", "reference_doctype": doctype, "subject": ("like", f"% {name}")}
	)


@contextmanager
def seeded_site(frappe):
	"""A site with the SLA in place, cleaned and put back however the benchmark ends."""
	state = Seeded()
	cleanup(frappe)
	try:
		setup_sla(frappe, state)
		yield state
	finally:
		cleanup(frappe, state)
