from kesu_app.install import grant_workflow_read


def execute():
	"""Sites installed before: the complaint roles may act from the form on Frappe 16.10.7."""
	grant_workflow_read()
