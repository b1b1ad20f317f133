"""Figures of a list of timings: plain Python, so it is tested without a site."""

from __future__ import annotations

import math
import statistics

KEYS = ("mean", "p95", "min", "median", "max")


def percentile(samples: list[float], share: float) -> float:
	"""Nearest-rank percentile: the smallest sample with at least ``share`` of them at or below it."""
	if not samples:
		raise ValueError("no samples")
	if not 0 < share <= 1:
		raise ValueError("share must be in (0, 1]")
	ordered = sorted(samples)
	return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(samples: list[float]) -> dict:
	return {
		"mean": statistics.fmean(samples),
		"p95": percentile(samples, 0.95),
		"min": min(samples),
		"median": statistics.median(samples),
		"max": max(samples),
		"runs": len(samples),
	}


def ratio_of(ours: dict, theirs: dict) -> dict:
	"""ours / theirs for every figure both have (None where theirs is 0)."""
	return {
		key: (ours[key] / theirs[key] if theirs[key] else None)
		for key in KEYS
		if key in ours and key in theirs
	}
