from kesu_app.personal_data import set_settings_defaults


def execute():
	"""Sites installed before repeat detection and retention get their settings' defaults: repeat
	detection on (90 days; 3 complaints per practitioner or service), retention off."""
	set_settings_defaults()
