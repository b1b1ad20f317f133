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
