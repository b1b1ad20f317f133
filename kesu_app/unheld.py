"""Tiers nobody holds: where an escalation of a branch's complaints would find nobody.

Escalation passes over such a tier to the next one held (kesu_app.escalation); when none above
is held, the case stays at the empty tier. Either way the clinic should know: an admin is told
once a day (the bell, and the daily digest), and the Complaints workspace counts them.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Min

from kesu_app.escalation import role_holders
from kesu_app.permissions import may_read
from kesu_app.rules.tiers import TIER_ROLES, TIERS
from kesu_app.rules.time_limits import CLOSED_STATUSES

ADMIN_ROLE = "System Manager"


def unheld_tiers() -> list[frappe._dict]:
	"""Each (company, branch) with open complaints, and the tiers nobody may work there: a
	holder of the tier's role who may read that branch's complaints (User Permissions)."""
	complaint = DocType("Complaint")
	groups = (
		frappe.qb.from_(complaint)
		.select(
			complaint.company,
			complaint.branch,
			Count("*").as_("complaints"),
			Min(complaint.name).as_("sample"),
		)
		.where(complaint.status.notin(list(CLOSED_STATUSES)))
		.groupby(complaint.company, complaint.branch)
		.run(as_dict=True)
	)
	holders = {tier: sorted(role_holders(TIER_ROLES[tier])) for tier in TIERS}
	found = []
	for group in groups:
		sample = frappe.get_doc("Complaint", group.sample)
		empty = [tier for tier in TIERS if not any(may_read(user, sample) for user in holders[tier])]
		if empty:
			found.append(
				frappe._dict(
					company=group.company, branch=group.branch, tiers=empty, complaints=group.complaints
				)
			)
	return found


def describe(rows: list) -> list[str]:
	"""One line per branch, in the reader's language."""
	return [
		_("{0}: nobody holds {1} ({2} open complaints)").format(
			row.branch or row.company,
			", ".join(_(tier, context="Complaint") for tier in row.tiers),
			row.complaints,
		)
		for row in rows
	]


@frappe.whitelist()
def unheld_tier_count(filters=None) -> dict:
	"""The workspace's number card: branches with a tier nobody holds."""
	frappe.has_permission("Complaint", "read", throw=True)
	return {"value": len(unheld_tiers()), "fieldtype": "Int", "route": ["List", "User"]}


def warn_unheld_tiers():
	"""Daily: tell the site's admins which tiers stand empty, in the bell."""
	rows = unheld_tiers()
	admins = sorted(role_holders(ADMIN_ROLE))
	if not rows or not admins:
		return
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	from kesu_app.digests import user_language

	for admin in admins:
		with user_language(admin):
			make_notification_logs(
				{
					"subject": _("Complaint tiers nobody holds: {0}").format("; ".join(describe(rows))),
					"type": "Alert",
					"document_type": "Kesu Settings",
					"document_name": "Kesu Settings",
					"from_user": "Administrator",
				},
				[admin],
			)
