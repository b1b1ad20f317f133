"""Customer text on its way in: plain-text fields keep no markup, rich text is sanitized.

Output escapes it as well (see the templates and kesu_desk.js); this is the layer that holds
for the places the app does not render itself: Frappe's grids, titles and links.
"""

from __future__ import annotations

import frappe
from frappe.utils.html_utils import sanitize_html

from kesu_app.rules.text import plain_text

PLAIN_TYPES = ("Data", "Small Text", "Text", "Long Text")
RICH_TYPES = ("Text Editor",)


def clean_rich_text(value: str) -> str:
	# always: by default Frappe's sanitizer passes anything that parses as JSON as it is
	return sanitize_html(value, linkify=True, always_sanitize=True)


def clean_text_fields(doc):
	"""Every text field of ``doc`` and its rows, cleaned as its type calls for."""
	for row in (doc, *doc.get_all_children()):
		for df in row.meta.fields:
			value = row.get(df.fieldname)
			if not isinstance(value, str) or "<" not in value:
				continue
			if df.fieldtype in PLAIN_TYPES:
				row.set(df.fieldname, plain_text(value))
			elif df.fieldtype in RICH_TYPES:
				row.set(df.fieldname, clean_rich_text(value))


def escape(value) -> str:
	"""For text the app writes into HTML itself (the bell, its emails)."""
	return frappe.utils.escape_html(str(value or ""))
