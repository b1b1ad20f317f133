from kesu_app.install import make_category_block


def execute():
	"""The workspace shows complaints per category with whole names, in a block of its own: made
	for sites installed before it (the workspace itself is the app's, and migrate brings it)."""
	make_category_block()
