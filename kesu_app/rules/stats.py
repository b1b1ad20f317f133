"""Small statistics for the reports."""

from __future__ import annotations


def median_of_histogram(rows: list[tuple[float, int]]) -> float | None:
	"""The median of values given as sorted (value, count) pairs."""
	total = sum(count for _value, count in rows)
	if not total:
		return None
	middle = (total - 1) / 2
	seen, low, high = 0, None, None
	for value, count in rows:
		if low is None and seen + count > int(middle):
			low = value
		if seen + count > int(middle + 0.5):
			high = value
			break
		seen += count
	return (low + high) / 2


# the reports show a percentage with one decimal: a tenth of a point is the finest difference a
# reader acts on, and a figure that reads 33.333 looks more exact than its counts are
PERCENT_DECIMALS = 1


def percent(part: float, whole: float) -> float | None:
	"""``part`` as a percentage of ``whole``, to one decimal; None when there is no whole."""
	if not whole:
		return None
	return round(100.0 * part / whole, PERCENT_DECIMALS)
