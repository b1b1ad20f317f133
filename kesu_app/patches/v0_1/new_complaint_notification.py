from kesu_app.install import make_new_complaint_notification


def execute():
	"""Sites installed before the front desk was alerted of complaints nobody took."""
	make_new_complaint_notification()
