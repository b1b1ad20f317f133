"""Requests through Frappe's own HTTP stack, as a browser or an integration would send them.

Each request runs ``frappe.app.application`` in a thread of its own, with its own ``frappe.local``
and database connection, as a worker serves it: it commits what it does, and the test's own
transaction sees that only after a rollback (``Http.fresh``). Frappe's API tests do the same.
"""

from __future__ import annotations

import json
import threading

from werkzeug.test import Client

import frappe


class Response:
	def __init__(self, response):
		self.status = response.status_code
		self.headers = response.headers
		self.text = response.get_data(as_text=True)
		try:
			self.json = json.loads(self.text)
		except ValueError:
			self.json = {}

	@property
	def message(self):
		return self.json.get("message", self.json.get("data"))

	@property
	def refused(self) -> bool:
		return self.status in (401, 403, 404, 417) or self.status >= 400

	def __repr__(self):
		return f"<{self.status} {self.text[:300]}>"


class Http:
	def __init__(self, site: str):
		from frappe.app import application

		self.site = site
		self.client = Client(application)

	def request(self, method: str, path: str, auth: tuple[str, str] | None = None, **kwargs) -> Response:
		headers = {"X-Frappe-Site-Name": self.site, "Accept": "application/json", **kwargs.pop("headers", {})}
		if auth:
			headers["Authorization"] = f"token {auth[0]}:{auth[1]}"
		result = {}

		def run():
			try:
				result["response"] = Response(
					self.client.open(path, method=method, headers=headers, **kwargs)
				)
			except Exception as error:  # a crash in the app is a failed request, not a hang
				result["error"] = error

		# a request is served as in production: Frappe 16 keeps its test mode in a module global
		# (frappe.in_test), which the request's thread would otherwise see and run queued jobs
		# inline, as the user the job names (frappe.set_user), inside the request
		testing = getattr(frappe, "in_test", None)
		if testing is not None:
			frappe.in_test = False
		thread = threading.Thread(target=run)
		try:
			thread.start()
			thread.join(120)
		finally:
			if testing is not None:
				frappe.in_test = testing
		if "error" in result:
			raise result["error"]
		return result["response"]

	def get(
		self, path: str, auth=None, params: dict | None = None, follow: bool = False, headers=None
	) -> Response:
		return self.request(
			"GET", path, auth, query_string=params or {}, follow_redirects=follow, headers=headers or {}
		)

	def post(self, path: str, auth=None, data: dict | None = None) -> Response:
		return self.request("POST", path, auth, **as_json(data))

	def put(self, path: str, auth=None, data: dict | None = None) -> Response:
		return self.request("PUT", path, auth, **as_json(data))

	def call(self, cmd: str, auth=None, **args) -> Response:
		return self.post(f"/api/method/{cmd}", auth, args)

	def doc_method(self, auth, doctype: str, name: str, method: str, **args) -> Response:
		"""A document's whitelisted method, as the desk's buttons call it."""
		return self.call("run_doc_method", auth, dt=doctype, dn=name, method=method, args=json.dumps(args))

	@staticmethod
	def fresh():
		"""See what the requests committed."""
		frappe.db.rollback()


def as_json(data: dict | None) -> dict:
	"""A JSON body as a browser sends it (dates and times as text)."""
	return {"data": json.dumps(data or {}, default=str), "content_type": "application/json"}


def api_keys(user: str) -> tuple[str, str]:
	"""An API key and secret for ``user`` (token authentication: no session, no CSRF token)."""
	doc = frappe.get_doc("User", user)
	secret = frappe.generate_hash(length=15)
	doc.api_key = doc.api_key or frappe.generate_hash(length=15)
	doc.api_secret = secret
	doc.flags.ignore_permissions = True
	doc.save()
	return doc.api_key, secret
