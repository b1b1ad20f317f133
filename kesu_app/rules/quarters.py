"""Quarter maths for the quarterly analysis (季度分析)."""

from __future__ import annotations

from datetime import date


def quarter_of(day: date) -> tuple[int, int]:
	return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
	"""First day of the quarter, and the first day after it (a half-open range)."""
	if quarter not in (1, 2, 3, 4):
		raise ValueError(f"no quarter {quarter}")
	start = date(year, 3 * quarter - 2, 1)
	end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
	return start, end


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
	return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def same_quarter_last_year(year: int, quarter: int) -> tuple[int, int]:
	return year - 1, quarter


def quarter_label(year: int, quarter: int) -> str:
	return f"{year} Q{quarter}"


def is_quarter_start(day: date) -> bool:
	return day.day == 1 and day.month in (1, 4, 7, 10)
