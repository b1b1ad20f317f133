"""The maths the benchmarks report with."""

from __future__ import annotations

import pytest

from benchmarks.stats import percentile, ratio_of, summary


def test_percentile_is_nearest_rank():
	samples = list(range(1, 101))  # 1..100
	assert percentile(samples, 0.95) == 95
	assert percentile(samples, 1) == 100
	assert percentile([5.0], 0.95) == 5.0
	assert percentile([3, 1, 2], 0.5) == 2  # unsorted input


@pytest.mark.parametrize("share", [0, -0.1, 1.5])
def test_percentile_refuses_a_bad_share(share):
	with pytest.raises(ValueError):
		percentile([1, 2], share)


def test_percentile_needs_samples():
	with pytest.raises(ValueError):
		percentile([], 0.5)


def test_summary():
	figures = summary([0.1, 0.3, 0.2, 0.4])
	assert figures["mean"] == pytest.approx(0.25)
	assert figures["median"] == pytest.approx(0.25)
	assert (figures["min"], figures["max"], figures["p95"], figures["runs"]) == (0.1, 0.4, 0.4, 4)


def test_ratio_of_common_figures_only():
	ours = {"mean": 3.0, "p95": 6.0, "min": 1.0, "runs": 5}
	theirs = {"mean": 2.0, "p95": 0.0, "min": 2.0, "median": 1.0}
	assert ratio_of(ours, theirs) == {"mean": 1.5, "p95": None, "min": 0.5}


def test_the_suite_table_shows_figures_and_failures():
	from benchmarks.suite import markdown, text

	assert text({"mean": 0.012345, "p95": 0.02}) == "mean 0.01235 / p95 0.02"
	assert text({"failed": "OperationalError: gone away"}) == "OperationalError: gone away"
	assert text("94.6") == "94.6"
	table = markdown(
		{
			"machine": {"cores": 2, "memory_bytes": 2 * 2**30},
			"quick": False,
			"finished": "2026-11-23 10:00",
			"benchmarks": {
				"intake": {
					"rows": {"ratio (target <= 1.5)": {"mean": 1.1, "min": 1.0, "median": 1.1, "max": 2.0}}
				},
				"reports": {"rows": {"Issue Summary (s)": {"failed": "gone away"}}},
			},
		}
	)
	lines = table.splitlines()
	assert lines[0].startswith("2 cores, 2.0 GiB; full run")
	assert "| ratio (target <= 1.5) | 1.1 |  | 1 | 1.1 | 2 |" in lines
	assert "| Issue Summary (s) | gone away |  |  |  |  |" in lines
