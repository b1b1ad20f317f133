"""The maths, the table and the command line of the benchmarks (no site needed)."""

from __future__ import annotations

import pytest

from benchmarks.stats import percentile, ratio_of, summary
from benchmarks.table import cells, meets, render


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


@pytest.mark.parametrize(
	"target, value, expected",
	[
		("<= 1.5", 1.5, True),
		("<= 1.5", 1.51, False),
		(">= 5", 4.9, False),
		(">= 5", 15.0, True),
		("< 200", 200.0, False),
		("< 200", 135.8, True),
		("<= 3", None, None),
	],
)
def test_meets(target, value, expected):
	assert meets(target, value) is expected


@pytest.mark.parametrize("target", ["1.5", "=< 1.5", "about 2"])
def test_meets_refuses_a_target_it_cannot_read(target):
	with pytest.raises(ValueError):
		meets(target, 1.0)


def test_a_target_is_judged_on_the_median():
	# a good best case does not meet a target the typical case misses
	row = cells({"min": 1.0, "median": 1.6, "max": 2.0, "target": "<= 1.5"})
	assert row == ["", "", "1", "1.6", "2", "<= 1.5 ✘"]
	assert cells({"mean": 1.1, "median": 1.2, "target": "<= 1.5"})[-1] == "<= 1.5 ✔"
	assert cells({"value": 135.8, "target": "< 200"}) == ["136", "", "", "", "", "< 200 ✔"]


def test_failures_and_text_are_shown_as_they_are():
	assert cells({"failed": "OperationalError: gone away"}) == ["OperationalError: gone away", *[""] * 5]
	assert cells({"note": "a report failed: see its row"})[0] == "a report failed: see its row"
	assert cells("5 versions, 7 comments") == ["5 versions, 7 comments", *[""] * 5]


ROWS = [
	(
		"intake: insert a Complaint (s)",
		{"mean": 0.0208, "p95": 0.026, "min": 0.018, "median": 0.0198, "max": 0.05},
	),
	("intake: ratio", {"mean": 1.1, "p95": 1.05, "min": 1.07, "median": 1.1, "max": 1.8, "target": "<= 1.5"}),
	("form load: history of each document", "5 versions, 7 comments, 2 assignments, 1 attachments"),
	("reports: Issue Summary (s)", {"failed": "OperationalError: MySQL server has gone away"}),
]


def test_markdown_table():
	lines = render(ROWS, markdown=True).splitlines()
	assert lines[0] == "| figure | mean | p95 | min | median | max | target |"
	assert lines[1] == "| --- | --- | --- | --- | --- | --- | --- |"
	assert lines[2] == "| intake: insert a Complaint (s) | 0.0208 | 0.026 | 0.018 | 0.0198 | 0.05 |  |"
	assert lines[3] == "| intake: ratio | 1.1 | 1.05 | 1.07 | 1.1 | 1.8 | <= 1.5 ✔ |"
	assert (
		lines[5]
		== "| reports: Issue Summary (s) | OperationalError: MySQL server has gone away |  |  |  |  |  |"
	)
	assert len(lines) == 2 + len(ROWS)


def test_text_table_columns_line_up_and_text_runs_on():
	header, complaint, ratio, history, failed = render(ROWS).splitlines()
	# every figure starts where its heading does
	for heading, figure in (("mean", "0.0208"), ("median", "0.0198"), ("max", "0.05")):
		assert complaint.index(figure) == header.index(heading)
	assert ratio.index("<= 1.5 ✔") == header.index("target")
	# a long note does not push the columns of the figures to the right
	assert header.index("p95") - header.index("mean") == len("0.0208  ")
	assert history.endswith("5 versions, 7 comments, 2 assignments, 1 attachments")
	assert failed.index("OperationalError") == header.index("mean")


def test_suite_sizes_quick_full_and_given():
	from benchmarks.suite import arguments, parse

	full = parse(["--site", "s"])
	assert (full.inserts, full.open, full.overdue, full.sizes) == (200, 100_000, 1_000, "100000,1000000")
	assert full.only == ["intake", "form_load", "scheduler", "reports"]
	quick = parse(["--site", "s", "--quick", "--repeat", "2"])
	assert (quick.inserts, quick.calls, quick.open, quick.overdue, quick.sizes) == (
		50,
		50,
		2_000,
		100,
		"10000",
	)
	assert arguments("scheduler", quick) == {"open_count": 2_000, "overdue": 100, "repeat": 2}
	assert arguments("reports", quick) == {"sizes": [10_000], "repeat": 2}
	given = parse(["--site", "s", "--quick", "--sizes", "500,1000", "--only", "reports, intake"])
	assert arguments("reports", given)["sizes"] == [500, 1000]
	# in the suite's order, whatever order they were asked in
	assert given.only == ["intake", "reports"]


def test_suite_refuses_an_unknown_benchmark(capsys):
	from benchmarks.suite import parse

	with pytest.raises(SystemExit):
		parse(["--site", "s", "--only", "intake,speed"])
	assert "unknown benchmarks: speed" in capsys.readouterr().err
