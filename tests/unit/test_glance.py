"""Lists, charts and reports read at a glance, in the reader's language."""

from __future__ import annotations

import json
import re

from kesu_app.rules.time_limits import STAGE_LABEL
from tests.app_files import MODULE


def test_the_complaint_list_looks_at_every_time_limit_stage():
	# the list's "Next Due" is the earliest unmet stage: a stage missing there would hide its due time
	script = (MODULE / "doctype" / "complaint" / "complaint_list.js").read_text()
	stages = dict(re.findall(r"^\t\t(\w+): \"([^\"]+)\",$", script.split("KESU_STAGES = {")[1], re.M))
	assert stages == STAGE_LABEL


def test_the_complaint_list_keeps_the_front_desks_filters():
	doctype = json.loads((MODULE / "doctype" / "complaint" / "complaint.json").read_text())
	filters = {f["fieldname"] for f in doctype["fields"] if f.get("in_standard_filter")}
	assert filters == {"status", "severity", "category", "branch"}


def test_kesu_settings_opens_on_a_tab_and_lists_its_fields_in_order():
	# a field before the first tab would sit on an unnamed tab of its own
	doctype = json.loads((MODULE / "doctype" / "kesu_settings" / "kesu_settings.json").read_text())
	fields = [f["fieldname"] for f in doctype["fields"]]
	assert doctype["fields"][0]["fieldtype"] == "Tab Break"
	assert fields == doctype["field_order"] and len(set(fields)) == len(fields)
	assert sum(f["fieldtype"] == "Tab Break" for f in doctype["fields"]) >= 4
