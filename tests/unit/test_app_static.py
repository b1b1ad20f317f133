"""Static checks of the app's JSON, hooks and code against the Frappe + ERPNext schema of both majors (15 and 16)."""

from __future__ import annotations

import ast
import json

import pytest

from kesu_app.rules.intake import INTEGRATION_ROLE
from kesu_app.rules.tiers import TIER_ROLES
from tests.app_files import (
	APP,
	MODULE,
	REPO,
	all_doctype_names,
	app_doctypes,
	doctype_fields,
	has_field,
	json_files,
	parse,
	python_files,
	schema,
	schemas,
)

STANDARD_ROLES = {
	"System Manager",
	"Administrator",
	"Guest",
	"All",
	"Customer",
	"Accounts Manager",
	"Accounts User",
	# ERPNext's Employee names them, on both majors: accountability outcomes are theirs to read
	"HR Manager",
	"HR User",
}
LAYOUT_TYPES = {"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold"}
DOCTYPES = sorted(app_doctypes())


@pytest.mark.parametrize("major", [15, 16])
def test_schema_is_the_pinned_pair(major):
	versions = {s["app"]: s["version_file"] for s in schemas()[major]["sources"]}
	assert versions["frappe"].startswith(f"{major}.") and versions["erpnext"].startswith(f"{major}.")


def test_layout_matches_a_v15_app():
	for path in ("hooks.py", "modules.txt", "patches.txt", "public/.gitkeep", "__init__.py"):
		assert (APP / path).exists(), path
	assert (MODULE / "doctype").is_dir() and (MODULE / "report").is_dir() and (MODULE / "workflow").is_dir()
	assert (REPO / "setup.py").exists() and (REPO / "pyproject.toml").exists()
	modules = (APP / "modules.txt").read_text().split()
	assert " ".join(modules) == "Kesu App"


@pytest.mark.parametrize("doctype", DOCTYPES)
def test_doctype_json_is_consistent(doctype):
	doc = app_doctypes()[doctype]
	fieldtypes = set(schema()["fieldtypes"])
	assert doc["module"] == "Kesu App"
	names = [f["fieldname"] for f in doc["fields"]]
	assert len(names) == len(set(names)), "duplicate fieldname"
	assert doc["field_order"] == names
	for field in doc["fields"]:
		assert field["fieldtype"] in fieldtypes, field
		assert field["fieldname"] not in schema()["standard_fields"], field
		if field["fieldtype"] in ("Link", "Table", "Table MultiSelect"):
			assert field.get("options") in all_doctype_names(), field
		if field["fieldtype"] in ("Table", "Table MultiSelect"):
			target = app_doctypes().get(field["options"])
			assert target and target.get("istable"), field
		if field["fieldtype"] not in LAYOUT_TYPES:
			assert field.get("label"), field
	if doc.get("title_field"):
		assert doc["title_field"] in names
	for fieldname in (doc.get("search_fields") or "").split(","):
		if fieldname.strip():
			assert fieldname.strip() in names
	if doc.get("sort_field") not in (None, "creation", "modified", "name"):
		assert doc["sort_field"] in names
	if doc.get("autoname", "").startswith("field:"):
		assert doc["autoname"].split(":", 1)[1] in names
	if doc.get("is_tree"):
		assert {"lft", "rgt", "is_group", "old_parent", doc["nsm_parent_field"]} <= set(names)


@pytest.mark.parametrize("doctype", DOCTYPES)
def test_fetch_from_points_at_real_fields(doctype):
	fields = {f["fieldname"]: f for f in app_doctypes()[doctype]["fields"]}
	for field in fields.values():
		if not field.get("fetch_from"):
			continue
		link, target_field = field["fetch_from"].split(".")
		assert fields[link]["fieldtype"] == "Link", field
		assert has_field(fields[link]["options"], target_field), field


@pytest.mark.parametrize("doctype", DOCTYPES)
def test_permissions_name_known_roles(doctype):
	roles = set(TIER_ROLES.values()) | STANDARD_ROLES | {INTEGRATION_ROLE}
	for perm in app_doctypes()[doctype]["permissions"]:
		assert perm["role"] in roles, perm


def _dotted_paths(value):
	if isinstance(value, str):
		yield value
	elif isinstance(value, dict):
		for item in value.values():
			yield from _dotted_paths(item)
	elif isinstance(value, list | tuple):
		for item in value:
			yield from _dotted_paths(item)


def _hooks() -> dict:
	tree = parse(APP / "hooks.py")
	hooks = {}
	for node in tree.body:
		if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
			# hooks.py may name a path once and use it in several places
			hooks[node.targets[0].id] = eval(
				compile(ast.Expression(node.value), "hooks.py", "eval"), {}, dict(hooks)
			)
	return hooks


def _function_defined(dotted: str) -> bool:
	module, _, name = dotted.rpartition(".")
	path = REPO.joinpath(*module.split("."))
	source = path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"
	if not source.exists():
		return False
	for node in parse(source).body:
		if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
			return True
		if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
			return True
	return False


CALLABLE_HOOKS = {
	"after_install",
	"before_uninstall",
	"after_migrate",
	"before_tests",
	"doc_events",
	"scheduler_events",
	"permission_query_conditions",
	"has_permission",
	"override_whitelisted_methods",
	"on_session_creation",
	"boot_session",
	"extend_bootinfo",
	"standard_queries",
}


def test_hooks_resolve_to_functions():
	hooks = _hooks()
	assert hooks["app_name"] == "kesu_app"
	assert hooks["required_apps"] == ["frappe/erpnext"]
	for key in CALLABLE_HOOKS & set(hooks):
		for dotted in _dotted_paths(hooks[key]):
			assert dotted.startswith("kesu_app."), (key, dotted)
			assert _function_defined(dotted), (key, dotted)
	for doctype in hooks.get("doc_events", {}):
		assert doctype == "*" or doctype in all_doctype_names(), doctype


def test_doctype_js_and_controllers_exist():
	for path in json_files("doctype"):
		controller = path.with_suffix(".py")
		assert controller.exists(), path
		# Frappe imports the class named after the doctype without spaces and hyphens; a
		# doctype without it is deleted as orphaned by `bench migrate`
		name = json.loads(path.read_text())["name"]
		classes = {node.name for node in parse(controller).body if isinstance(node, ast.ClassDef)}
		assert name.replace(" ", "").replace("-", "") in classes, (name, classes)


_READERS = {"get_value", "get_cached_value", "set_value", "get_all", "get_list", "exists"}


def _literal(node):
	try:
		return ast.literal_eval(node)
	except ValueError:
		return None


def _fields_read(call: ast.Call):
	"""(doctype, fields) read by frappe.db.get_value("Doctype", name, "field" | [fields])."""
	if not call.args or not isinstance(call.args[0], ast.Constant) or not isinstance(call.args[0].value, str):
		return None, []
	doctype = call.args[0].value
	attr = call.func.attr
	fields = []
	if attr in ("get_value", "get_cached_value", "set_value") and len(call.args) >= 3:
		value = _literal(call.args[2])
		fields = (
			[value]
			if isinstance(value, str)
			else list(value or [])
			if isinstance(value, list | tuple)
			else []
		)
	for keyword in call.keywords:
		if keyword.arg in ("fields", "pluck", "fieldname"):
			value = _literal(keyword.value)
			fields += [value] if isinstance(value, str) else list(value or [])
		if keyword.arg == "filters":
			value = _literal(keyword.value)
			if isinstance(value, dict):
				fields += list(value)
	if attr in ("get_all", "get_list", "exists") and len(call.args) >= 2:
		value = _literal(call.args[1])
		if isinstance(value, dict):
			fields += list(value)
	return doctype, [f for f in fields if isinstance(f, str) and f.isidentifier()]


def test_fields_code_reads_exist():
	checked = 0
	for path in python_files():
		for node in ast.walk(parse(path)):
			if (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Attribute)
				and node.func.attr in _READERS
			):
				doctype, fields = _fields_read(node)
				if not doctype:
					continue
				# a doctype of one major only, named in code, would fail on the other
				in_some_major = any(doctype in s["doctypes"] for s in schemas().values())
				assert doctype in all_doctype_names() or not in_some_major, f"{path.name}: {doctype}"
				if doctype not in all_doctype_names():
					continue
				for field in fields:
					checked += 1
					assert has_field(doctype, field), f"{path.name}: {doctype}.{field}"
	assert checked > 10


def test_complaint_has_a_field_per_stage():
	from kesu_app.rules.time_limits import STAGE_KEYS

	fields = doctype_fields("Complaint")
	for stage in STAGE_KEYS:
		assert fields[f"{stage}_due"]["fieldtype"] == "Datetime"
		assert fields[f"{stage}_met_at"]["fieldtype"] == "Datetime"
		assert fields[f"{stage}_breached"]["fieldtype"] == "Check"


def test_select_options_match_the_rules():
	from kesu_app.rules.tiers import TIERS
	from kesu_app.rules.time_limits import LIMITED_STAGES, SEVERITIES, STAGES_MET_BY_STATUS, UNITS

	complaint = doctype_fields("Complaint")
	# a blank first: a complaint filed without a severity takes its category's (Frappe would fill in
	# the first option)
	assert complaint["severity"]["options"].split("\n") == ["", *SEVERITIES]
	assert complaint["current_tier"]["options"].split("\n") == list(TIERS)
	assert set(STAGES_MET_BY_STATUS) <= set(complaint["status"]["options"].split("\n"))
	limit = doctype_fields("Complaint Time Limit")
	assert limit["stage"]["options"].split("\n") == [label for _, label in LIMITED_STAGES]
	assert limit["unit"]["options"].split("\n") == list(UNITS)


def test_rules_never_import_frappe():
	for path in (APP / "rules").glob("*.py"):
		for node in ast.walk(parse(path)):
			if isinstance(node, ast.Import):
				assert not any(a.name.split(".")[0] in ("frappe", "erpnext") for a in node.names), path
			if isinstance(node, ast.ImportFrom):
				assert (node.module or "").split(".")[0] not in ("frappe", "erpnext"), path


def test_json_files_parse():
	for path in APP.rglob("*.json"):
		json.loads(path.read_text())


def test_patches_resolve_to_an_execute_function():
	for line in (APP / "patches.txt").read_text().splitlines():
		line = line.strip()
		if not line or line.startswith(("#", "[")):
			continue
		assert _function_defined(f"{line}.execute"), line


def test_scheduler_events_use_v15_keys():
	keys = {
		"all",
		"hourly",
		"hourly_long",
		"daily",
		"daily_long",
		"weekly",
		"weekly_long",
		"monthly",
		"monthly_long",
		"cron",
	}
	assert set(_hooks().get("scheduler_events", {})) <= keys


@pytest.mark.parametrize("path", json_files("report"), ids=lambda p: p.stem)
def test_reports_are_standard_script_reports(path):
	report = json.loads(path.read_text())
	assert report["report_type"] == "Script Report" and report["is_standard"] == "Yes"
	assert report["module"] == "Kesu App" and report["name"] == report["report_name"]
	assert report["ref_doctype"] in all_doctype_names()
	roles = set(TIER_ROLES.values()) | STANDARD_ROLES | {INTEGRATION_ROLE}
	assert report["roles"] and all(row["role"] in roles for row in report["roles"])
	assert _function_defined(f"kesu_app.kesu_app.report.{path.stem}.{path.stem}.execute")
	assert path.with_suffix(".js").exists()


def test_desk_scripts_in_hooks_are_in_public():
	scripts = _hooks().get("app_include_js")
	scripts = [scripts] if isinstance(scripts, str) else scripts or []
	assert scripts, "the desk script that formats the app's Select options is not included"
	for url in scripts:
		assert url.startswith("/assets/kesu_app/"), url
		assert (APP / "public" / url.removeprefix("/assets/kesu_app/")).is_file(), url


def _dashboard_data(path) -> dict:
	"""What a ``*_dashboard.py`` returns, read without importing Frappe: ``_("x")`` counts as "x"."""

	class Untranslate(ast.NodeTransformer):
		def visit_Call(self, node):
			if isinstance(node.func, ast.Name) and node.func.id == "_" and node.args:
				return node.args[0]
			return self.generic_visit(node)

	[function] = [n for n in parse(path).body if isinstance(n, ast.FunctionDef) and n.name == "get_data"]
	[returned] = [n for n in ast.walk(function) if isinstance(n, ast.Return)]
	return ast.literal_eval(Untranslate().visit(returned.value))


@pytest.mark.parametrize("path", sorted(MODULE.glob("doctype/*/*_dashboard.py")), ids=lambda p: p.stem)
def test_dashboards_link_through_real_fields(path):
	doctype = json.loads((path.parent / f"{path.parent.name}.json").read_text())["name"]
	data = _dashboard_data(path)
	own = doctype_fields(doctype)
	for linked, field in data.get("internal_links", {}).items():
		assert own[field]["fieldtype"] == "Link" and own[field]["options"] == linked, (linked, field)
	for group in data["transactions"]:
		for linked in group["items"]:
			assert linked in all_doctype_names(), linked
			if linked not in data.get("internal_links", {}):
				field = data.get("non_standard_fieldnames", {}).get(linked, data["fieldname"])
				assert has_field(linked, field), f"{linked}.{field}"


def test_custom_number_cards_call_whitelisted_functions():
	cards = [json.loads(p.read_text()) for p in json_files("number_card")]
	custom = [card for card in cards if card.get("type") == "Custom"]
	assert custom, "the Overdue Complaints card counts through the report"
	for card in custom:
		module, _, name = card["method"].rpartition(".")
		source = REPO.joinpath(*module.split(".")).with_suffix(".py")
		[function] = [n for n in parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name]
		assert any(ast.unparse(d).startswith("frappe.whitelist") for d in function.decorator_list), card[
			"name"
		]
		assert card.get("document_type") in app_doctypes(), "Frappe shows a Custom card to who can read this"


def test_every_role_reading_a_complaint_reads_its_contact_details():
	"""Frappe serves field levels on form load only, not in versions or save responses: so the
	app gives no role a complaint without its level-1 contact details, and keeps medical
	details out of it altogether (Complaint Medical Record)."""
	complaint = app_doctypes()["Complaint"]
	readers = {p["role"] for p in complaint["permissions"] if p.get("read") and not p.get("permlevel")}
	level_one = {p["role"] for p in complaint["permissions"] if p.get("read") and p.get("permlevel") == 1}
	assert readers and readers <= level_one
	assert {f.get("permlevel", 0) for f in complaint["fields"]} <= {0, 1}
	assert INTEGRATION_ROLE not in readers


def test_medical_records_are_read_by_supervisors_and_above_only():
	record = app_doctypes()["Complaint Medical Record"]
	readers = {p["role"] for p in record["permissions"] if p.get("read")}
	assert readers == {
		"System Manager",
		*(TIER_ROLES[t] for t in ("Supervisor", "Department Manager", "Management")),
	}
	assert record["track_changes"]


def test_custom_fields_ship_as_fixtures_of_the_app():
	"""Frappe syncs kesu_app/fixtures on install and migrate; each field is the app's (its module)
	and fits both majors: its doctype, the field it follows and its link target exist in each."""
	docs = json.loads((APP / "fixtures" / "custom_field.json").read_text())
	assert docs
	for doc in docs:
		assert doc["doctype"] == "Custom Field" and doc["module"] == "Kesu App"
		assert doc["name"] == f"{doc['dt']}-{doc['fieldname']}"
		assert doc["dt"] in schema()["doctypes"], doc["dt"]
		assert has_field(doc["dt"], doc["insert_after"]), doc["name"]
		if doc["fieldtype"] == "Link":
			assert doc["options"] in all_doctype_names(), doc["name"]
	assert {"dt": "Custom Field", "filters": [["module", "=", "Kesu App"]]} in _hooks()["fixtures"]


def test_the_intake_puts_the_essentials_first_and_folds_the_rest():
	"""Who, how to reach them, channel, what happened, category and severity come first, in two
	short sections; service, invoice, amount and the chat account fold away."""
	from tests.app_files import app_doctypes

	complaint = app_doctypes()["Complaint"]
	order = complaint["field_order"]
	fields = {f["fieldname"]: f for f in complaint["fields"]}

	def section_of(name):
		breaks = [f for f in order[: order.index(name)] if fields[f]["fieldtype"] == "Section Break"]
		return breaks[-1]

	essentials = (
		"customer",
		"customer_name",
		"contact_phone",
		"contact_email",
		"channel",
		"category",
		"severity",
	)
	assert {section_of(f) for f in essentials} == {order[1]}
	assert {section_of(f) for f in ("subject", "description")} == {"complaint_section"}
	for folded in ("item", "sales_invoice", "demand_amount", "external_user_id"):
		assert fields[section_of(folded)].get("collapsible"), folded
	# the either/or rules show before saving
	assert fields["customer_name"]["mandatory_depends_on"] == "eval:!doc.customer"
	assert fields["contact_phone"]["mandatory_depends_on"] == "eval:!doc.contact_email"
	assert fields["contact_email"]["mandatory_depends_on"] == "eval:!doc.contact_phone"
