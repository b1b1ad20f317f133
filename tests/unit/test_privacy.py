from kesu_app.rules.privacy import mask_phone


def test_mainland_mobile_keeps_head_and_tail():
	assert mask_phone("13800138000") == "138****8000"


def test_country_code_is_kept():
	assert mask_phone("+86 138 0013 8000") == "+86138****8000"


def test_short_and_empty_numbers():
	assert mask_phone("12345") == "***45"
	assert mask_phone("") == ""
	assert mask_phone(None) == ""
	assert mask_phone("ext") == ""


def test_mask_hides_the_middle_digits():
	masked = mask_phone("020-8888-1234")
	assert "8888" not in masked and masked.endswith("1234")
