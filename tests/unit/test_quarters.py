from datetime import date

import pytest

from kesu_app.rules.quarters import (
	is_quarter_start,
	previous_quarter,
	quarter_bounds,
	quarter_label,
	quarter_of,
	same_quarter_last_year,
)


def test_quarter_of_each_month_edge():
	assert quarter_of(date(2026, 1, 1)) == (2026, 1)
	assert quarter_of(date(2026, 3, 31)) == (2026, 1)
	assert quarter_of(date(2026, 4, 1)) == (2026, 2)
	assert quarter_of(date(2026, 12, 31)) == (2026, 4)


def test_bounds_are_half_open_and_cross_the_year():
	assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 4, 1))
	assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2027, 1, 1))
	with pytest.raises(ValueError):
		quarter_bounds(2026, 5)


def test_previous_and_last_year():
	assert previous_quarter(2026, 1) == (2025, 4)
	assert previous_quarter(2026, 3) == (2026, 2)
	assert same_quarter_last_year(2026, 2) == (2025, 2)
	assert quarter_label(2026, 2) == "2026 Q2"


def test_quarter_start_days():
	assert is_quarter_start(date(2026, 7, 1))
	assert not is_quarter_start(date(2026, 7, 2))
	assert not is_quarter_start(date(2026, 8, 1))
