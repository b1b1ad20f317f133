"""Which fields a workflow transition waits for.

A transition whose condition only asks that some fields be filled in (``doc.findings``,
``doc.resolution_summary and doc.customer_feedback``) is hidden by Frappe until they are. The
desk offers such an action anyway and asks for those fields; any other condition (a
comparison, a function call) is left to the workflow as it is.
"""

from __future__ import annotations

import re

_FIELD = r"doc\.([a-z][a-z0-9_]*)"
_ONLY_FIELDS = re.compile(rf"^\s*{_FIELD}(\s+and\s+{_FIELD})*\s*$")


def fields_awaited(condition: str | None) -> list[str] | None:
	"""The fields a condition asks to be filled in, in its order; None when it asks anything else."""
	if not condition or not _ONLY_FIELDS.match(condition):
		return None
	return list(dict.fromkeys(re.findall(_FIELD, condition)))
