"""Every string the app shows has a Simplified Chinese translation (kesu_app/translations/zh.csv)."""

from __future__ import annotations

import csv
import re

from kesu_app.rules.defaults import DEFAULT_CATEGORIES, DEFAULT_ROOT_CAUSES, ROOT_CATEGORY
from kesu_app.rules.tiers import TIER_ROLES, TIERS
from tests.app_files import (
	APP,
	js_files,
	python_files,
	translatable_js,
	translatable_json,
	translatable_python,
)

ZH = APP / "translations" / "zh.csv"


def zh() -> dict[str, str]:
	with ZH.open(newline="") as f:
		return {row[0]: row[1] for row in csv.reader(f) if row}


def app_strings() -> set[str]:
	strings = translatable_json()
	for path in python_files():
		strings |= translatable_python(path)
	for path in js_files():
		strings |= translatable_js(path)
	# records the app creates, shown translated in the desk
	strings |= set(TIER_ROLES.values()) | set(TIERS) | {ROOT_CATEGORY}
	strings |= {name for name, _ in DEFAULT_CATEGORIES} | set(DEFAULT_ROOT_CAUSES)
	return strings


def test_every_app_string_is_translated():
	missing = sorted(app_strings() - set(zh()))
	assert not missing, f"{len(missing)} strings lack a zh translation: {missing[:20]}"


def test_translations_keep_placeholders_and_are_chinese():
	for source, target in zh().items():
		assert target.strip(), source
		assert sorted(re.findall(r"\{\d\}", source)) == sorted(re.findall(r"\{\d\}", target)), source
		assert re.search(r"[\u4e00-\u9fff]", target), f"not Chinese: {source} -> {target}"


def test_extraction_finds_strings_in_every_kind_of_file():
	# guards the test above against an extractor that silently finds nothing
	assert "Received At" in translatable_json()
	assert any("Sales Invoice {0} is not submitted." in translatable_python(p) for p in python_files())
	assert any("Pause Clock" in translatable_js(p) for p in js_files())
