"""Every string the app shows has a Simplified Chinese translation (kesu_app/translations/zh.csv)."""

from __future__ import annotations

import csv
import json
import re

from kesu_app.rules.defaults import (
	CUSTOM_FIELDS,
	DEFAULT_CATEGORIES,
	DEFAULT_ROOT_CAUSES,
	NEW_COMPLAINT_NOTIFICATION,
	ROOT_CATEGORY,
	WEB_FORM,
	WEB_FORM_FIELDS,
)
from kesu_app.rules.intake import PUBLIC_STATUS
from kesu_app.rules.tiers import TIER_ROLES, TIERS
from tests.app_files import (
	APP,
	html_files,
	js_files,
	python_files,
	translatable_html,
	translatable_js,
	translatable_json,
	translatable_python,
)

ZH = APP / "translations" / "zh.csv"


def rows() -> list[list[str]]:
	with ZH.open(newline="") as f:
		return [row for row in csv.reader(f) if row]


def zh() -> dict[str, str]:
	"""source -> translation; a row with a context (a doctype) translates the source there only,
	where ERPNext's own wording of a common word must stay as it is elsewhere"""
	return {row[0]: row[1] for row in rows()}


def app_strings() -> set[str]:
	strings = translatable_json()
	for path in python_files():
		strings |= translatable_python(path)
	for path in js_files():
		strings |= translatable_js(path)
	for path in html_files():
		strings |= translatable_html(path)
	# records the app creates, shown translated in the desk
	strings |= set(TIER_ROLES.values()) | set(TIERS) | {ROOT_CATEGORY}
	strings |= {name for name, _ in DEFAULT_CATEGORIES} | set(DEFAULT_ROOT_CAUSES)
	# the website: the web form's translated texts and labels, the statuses customers read
	strings |= {WEB_FORM[key] for key in ("title", "button_label", "success_title", "success_message")}
	strings |= {label for _, _, label, _ in WEB_FORM_FIELDS} | set(PUBLIC_STATUS.values())
	workflow = json.loads((APP / "kesu_app" / "workflow" / "complaint_escalation.json").read_text())
	strings |= {s["workflow_state_name"] for s in workflow["workflow_states"]} | set(
		workflow["workflow_actions"]
	)
	strings.add(workflow["workflow"]["workflow_name"])
	strings |= {NEW_COMPLAINT_NOTIFICATION[key] for key in ("subject", "message")}
	for fields in CUSTOM_FIELDS.values():
		strings |= {f[key] for f in fields for key in ("label", "description") if f.get(key)}
	return strings


def test_every_app_string_is_translated():
	missing = sorted(app_strings() - set(zh()))
	assert not missing, f"{len(missing)} strings lack a zh translation: {missing[:20]}"


def test_translations_keep_placeholders_and_are_chinese():
	for source, target in zh().items():
		assert target.strip(), source
		assert sorted(re.findall(r"\{\d\}", source)) == sorted(re.findall(r"\{\d\}", target)), source
		assert re.search(r"[\u4e00-\u9fff]", target), f"not Chinese: {source} -> {target}"


def test_rows_are_well_formed():
	from tests.app_files import app_doctypes

	for row in rows():
		assert len(row) in (2, 3), row
		if len(row) == 3:
			assert row[2] in app_doctypes(), row


def test_extraction_finds_strings_in_every_kind_of_file():
	# guards the test above against an extractor that silently finds nothing
	assert "Received At" in translatable_json()
	assert any("Sales Invoice {0} is not submitted." in translatable_python(p) for p in python_files())
	assert any("Pause Clock" in translatable_js(p) for p in js_files())
	assert any("By category" in translatable_html(p) for p in html_files())
