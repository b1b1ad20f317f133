import statistics

import pytest

from kesu_app.rules.stats import median_of_histogram


@pytest.mark.parametrize(
	"values",
	[[5.0], [1.0, 2.0], [1.0, 2.0, 3.0], [1.0, 1.0, 1.0, 9.0], [0.5, 2.0, 2.0, 3.5, 10.0, 12.0], [4.0, 4.0]],
)
def test_median_of_histogram_matches_the_median_of_the_values(values):
	histogram = sorted({v: values.count(v) for v in values}.items())
	assert median_of_histogram(histogram) == statistics.median(values)


def test_empty_histogram_has_no_median():
	assert median_of_histogram([]) is None


def test_percentages_have_one_decimal():
	from kesu_app.rules.stats import percent

	assert percent(1, 3) == 33.3 and percent(2, 3) == 66.7 and percent(3, 4) == 75.0
	assert percent(0, 5) == 0 and percent(1, 0) is None
