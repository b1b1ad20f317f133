"""Customer text keeps no markup in plain-text fields."""

from __future__ import annotations

import pytest

from kesu_app.rules.text import plain_text


@pytest.mark.parametrize(
	"value, expected",
	[
		('"<img src=x onerror=alert(1)>"', '""'),  # Frappe's sanitizer passes this as JSON
		("<b>Rude</b> receptionist", "Rude receptionist"),
		("<svg/onload=alert(1)>", ""),
		("<img src=x onerror=alert(1) ", ""),  # left open: the page would close it
		("<<b>img src=x onerror=1>", ""),  # a tag hidden inside another
		("x<!-- note -->y", "xy"),
		("</script><script>alert(1)</script>", "alert(1)"),
	],
)
def test_markup_goes(value, expected):
	assert plain_text(value) == expected


@pytest.mark.parametrize("value", ["a < b > c", "价格<500元", "3 <5", "<= 3 days", "", None, "plain"])
def test_text_that_only_looks_like_markup_stays(value):
	assert plain_text(value) == value
