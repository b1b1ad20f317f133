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
	assert filters == {"status", "severity", "category", "branch", "is_repeat"}


def test_kesu_settings_opens_on_a_tab_and_lists_its_fields_in_order():
	# a field before the first tab would sit on an unnamed tab of its own
	doctype = json.loads((MODULE / "doctype" / "kesu_settings" / "kesu_settings.json").read_text())
	fields = [f["fieldname"] for f in doctype["fields"]]
	assert doctype["fields"][0]["fieldtype"] == "Tab Break"
	assert fields == doctype["field_order"] and len(set(fields)) == len(fields)
	assert sum(f["fieldtype"] == "Tab Break" for f in doctype["fields"]) >= 4


def test_every_select_option_reads_in_chinese_in_its_doctypes_sense():
	"""The desk shows an option through __(value, null, doctype) (kesu_desk.js: grids, lists, the
	timeline's field changes): a row for it, bare or with that doctype as context, must exist; a
	row for another doctype's sense does not count."""
	from tests.app_files import app_doctypes
	from tests.unit.test_translations import rows

	bare = {row[0] for row in rows() if len(row) == 2}
	in_context = {(row[0], row[2]) for row in rows() if len(row) == 3}
	missing = [
		(doctype, field["fieldname"], option)
		for doctype, meta in app_doctypes().items()
		for field in meta["fields"]
		if field["fieldtype"] == "Select" and field.get("options")
		for option in field["options"].split("\n")
		if option and ".#" not in option and option not in bare and (option, doctype) not in in_context
	]
	assert not missing, missing


def test_the_desk_recognises_only_texts_the_app_writes():
	"""kesu_desk.js shows stored reasons and comments in the reader's language by matching the
	English the app writes: a template reworded in Python and not in the desk would show as stored."""
	from tests.app_files import APP, python_files, translatable_python

	script = (APP / "public" / "js" / "kesu_desk.js").read_text()
	written = set().union(*(translatable_python(path) for path in python_files()))
	templates = re.findall(r'^\t\[\n?\t*"([^"]+)",', script, re.M)
	templates += re.findall(r'OVERDUE_REASON = \["([^"]+)"', script)
	assert len(templates) >= 12, templates
	assert not [t for t in templates if t not in written]


def test_the_letters_kesu_settings_lists_are_named_in_chinese():
	# Frappe shows a Link's value through __(): the Email Templates and Print Formats the app
	# creates read in Chinese in the Letter Templates table
	import ast

	from tests.app_files import APP
	from tests.unit.test_translations import zh

	tree = ast.parse((APP / "install.py").read_text())
	[letters] = [
		node.value
		for node in tree.body
		if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "LETTERS"
	]
	names = {row[i] for row in ast.literal_eval(letters) for i in (2, 4)}
	assert len(names) == 8 and not names - set(zh())
