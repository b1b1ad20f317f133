"""Reading the app's own files for static checks (no Frappe needed)."""

from __future__ import annotations

import ast
import json
import os
import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "kesu_app"
MODULE = APP / "kesu_app"
# ../shared/frappe-schema beside the checkout, as CI lays it out; KESU_FRAPPE_SCHEMA names that
# folder (or one file in it) elsewhere
_SCHEMA_ENV = os.environ.get("KESU_FRAPPE_SCHEMA")
SCHEMA_DIR = (
	(Path(_SCHEMA_ENV) if Path(_SCHEMA_ENV).is_dir() else Path(_SCHEMA_ENV).parent)
	if _SCHEMA_ENV
	else REPO.parent / "shared" / "frappe-schema"
)
# the majors the app runs on: each one's Frappe + ERPNext schema
SCHEMA_FILES = {15: "frappe-v15-erpnext-v15.json", 16: "frappe-v16-erpnext-v16.json"}


@cache
def schemas() -> dict[int, dict]:
	return {major: json.loads((SCHEMA_DIR / name).read_text()) for major, name in SCHEMA_FILES.items()}


def _same(a: dict, b: dict) -> bool:
	return a.get("fieldtype") == b.get("fieldtype") and (a.get("options") or "") == (b.get("options") or "")


@cache
def schema() -> dict:
	"""What both majors have alike: a doctype, field, field type or standard field missing (or of
	another type or target) in either is missing here, so every static check holds on both."""
	v15, v16 = (schemas()[major] for major in SCHEMA_FILES)
	doctypes = {}
	for name, doctype in v15["doctypes"].items():
		other = v16["doctypes"].get(name)
		if other is None:
			continue
		fields = {
			fieldname: field
			for fieldname, field in doctype["fields"].items()
			if fieldname in other["fields"] and _same(field, other["fields"][fieldname])
		}
		doctypes[name] = {**doctype, "fields": fields}
	return {
		"doctypes": doctypes,
		"fieldtypes": [fieldtype for fieldtype in v15["fieldtypes"] if fieldtype in set(v16["fieldtypes"])],
		"standard_fields": [
			field for field in v15["standard_fields"] if field in set(v16["standard_fields"])
		],
		"sources": v15["sources"] + v16["sources"],
	}


def json_files(kind: str) -> list[Path]:
	"""doctype / report / workspace / ... JSON files, one per folder as Frappe lays them out."""
	folder = MODULE / kind
	if not folder.exists():
		return []
	return sorted(p for p in folder.glob("*/*.json") if p.stem == p.parent.name)


@cache
def app_doctypes() -> dict[str, dict]:
	return {json.loads(p.read_text())["name"]: json.loads(p.read_text()) for p in json_files("doctype")}


def all_doctype_names() -> set[str]:
	return set(schema()["doctypes"]) | set(app_doctypes())


def doctype_fields(doctype: str) -> dict[str, dict]:
	"""fieldname -> {fieldtype, options} for a Frappe, ERPNext or kesu_app doctype."""
	if doctype in app_doctypes():
		return {f["fieldname"]: f for f in app_doctypes()[doctype]["fields"]}
	return schema()["doctypes"][doctype]["fields"]


def custom_fields(doctype: str) -> set[str]:
	from kesu_app.rules.defaults import CUSTOM_FIELDS

	return {f["fieldname"] for f in CUSTOM_FIELDS.get(doctype, [])}


def has_field(doctype: str, fieldname: str) -> bool:
	return (
		fieldname in schema()["standard_fields"]
		or fieldname in doctype_fields(doctype)
		or fieldname in custom_fields(doctype)
	)


def python_files() -> list[Path]:
	return sorted(APP.rglob("*.py"))


def js_files() -> list[Path]:
	return sorted(APP.rglob("*.js"))


def parse(path: Path) -> ast.Module:
	return ast.parse(path.read_text(), filename=str(path))


def translatable_python(path: Path) -> set[str]:
	found = set()
	for node in ast.walk(parse(path)):
		if (
			isinstance(node, ast.Call)
			and isinstance(node.func, ast.Name)
			and node.func.id == "_"
			and node.args
			and isinstance(node.args[0], ast.Constant)
			and isinstance(node.args[0].value, str)
		):
			found.add(node.args[0].value)
	return found


_JS_CALL = re.compile(r"""__\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`$]*)`)""")


def translatable_js(path: Path) -> set[str]:
	found = set()
	for match in _JS_CALL.finditer(path.read_text()):
		text = next(group for group in match.groups() if group is not None)
		found.add(text.replace('\\"', '"').replace("\\'", "'"))
	return found


_JINJA_CALL = re.compile(r"""\b_\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")


def html_files() -> list[Path]:
	return sorted(APP.rglob("*.html"))


def translatable_html(path: Path) -> set[str]:
	return set(_JINJA_CALL.findall(path.read_text()))


def translatable_json() -> set[str]:
	"""What Frappe extracts from doctype, report and workspace JSON for translation."""
	found = set()
	for doc in app_doctypes().values():
		found.add(doc["name"])
		if doc.get("description"):
			found.add(doc["description"])
		for field in doc["fields"]:
			for key in ("label", "description"):
				if field.get(key):
					found.add(field[key])
			if field["fieldtype"] == "Select" and field.get("options"):
				found.update(line for line in field["options"].split("\n") if line and ".#" not in line)
	for kind in (
		"report",
		"workspace",
		"number_card",
		"dashboard_chart",
		"notification",
		"print_format",
		"web_form",
	):
		for path in json_files(kind):
			doc = json.loads(path.read_text())
			for key in ("name", "label", "title", "subject", "chart_name", "report_name"):
				if doc.get(key):
					found.add(doc[key])
			for child_key in ("links", "shortcuts", "charts", "number_cards", "columns", "web_form_fields"):
				for row in doc.get(child_key) or []:
					# a shortcut's count is shown through __(format), e.g. "{} Open"
					for key in ("label", "title", "format"):
						if row.get(key):
							found.add(row[key])
	return found
