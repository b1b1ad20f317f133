"""Customer text is untrusted: what may be stored of it.

Subjects, names and demands come from guests, emails and chat integrations, and reach HTML in
many places (the bell, reports, letters, grids). Frappe's own sanitizer passes a value that
parses as JSON (``"<img src=x onerror=...>"`` with its quotes) untouched, so plain-text fields
lose any markup here (and rich text is sanitized whatever it looks like, in kesu_app.untrusted).
"""

from __future__ import annotations

import re

# what a browser reads as a tag, a comment or a declaration ("<" right before a letter, "/", "!"
# or "?"; "a < b" is text), also one left open at the end, which the page around it would close
MARKUP = re.compile(r"<(?:[A-Za-z!?]|/[A-Za-z])[^>]*(?:>|$)", re.DOTALL)


def plain_text(value: str | None) -> str | None:
	"""``value`` without markup: "a < b" stays, "<b>x</b>" becomes "x", "<img ...>" goes."""
	if not value or "<" not in value:
		return value
	previous = None
	while previous != value:  # "<<b>img ...>" must not leave a tag behind once the inner one goes
		previous, value = value, MARKUP.sub("", value)
	return value
