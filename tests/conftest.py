"""Tells plainly, at the end of every run, which test tiers ran."""

from __future__ import annotations

import os


def _tier(report) -> str:
	return "integration" if report.nodeid.startswith("tests/integration") else "unit"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
	counts = {"unit": {}, "integration": {}}
	reasons = {"unit": set(), "integration": set()}
	for outcome in ("passed", "failed", "error", "skipped"):
		for report in terminalreporter.stats.get(outcome, []):
			tier = _tier(report)
			counts[tier][outcome] = counts[tier].get(outcome, 0) + 1
			if outcome == "skipped" and isinstance(report.longrepr, tuple):
				reasons[tier].add(report.longrepr[2].removeprefix("Skipped: "))
	terminalreporter.section("kesu_app test tiers")
	for tier, by_outcome in counts.items():
		ran = by_outcome.get("passed", 0) + by_outcome.get("failed", 0) + by_outcome.get("error", 0)
		if ran:
			site = f" on site {os.environ.get('KESU_SITE')}" if tier == "integration" else ""
			terminalreporter.write_line(f"{tier} tier: RAN{site}: {by_outcome}")
		else:
			why = "; ".join(sorted(reasons[tier])) or "no tests collected"
			terminalreporter.write_line(f"{tier} tier: SKIPPED: {why}")
