from kesu_app.users import land_everyone_on_complaints


def execute():
	"""Complaint staff who have no home workspace land on Complaints (new staff do so as they get
	their role)."""
	land_everyone_on_complaints()
