"""The benchmarks' table, as text for the terminal and as Markdown for the README.

Plain Python, so it is tested without a site. A row is ``(label, value)``: the value is a dict of
figures (any of mean, p95, min, median, max, with an optional ``target`` such as ``"<= 1.5"``),
a dict with ``failed`` or ``note``, or anything else, shown as it is.
"""

from __future__ import annotations

import operator

COLUMNS = ("mean", "p95", "min", "median", "max")
COMPARISONS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


def meets(target: str, value: float | None) -> bool | None:
	"""Whether ``value`` meets a target written as ``"<= 1.5"``; None when there is no value."""
	if value is None:
		return None
	sign, _, bound = target.strip().partition(" ")
	if sign not in COMPARISONS:
		raise ValueError(f"a target is '<=', '>=', '<' or '>' and a number, not {target!r}")
	return COMPARISONS[sign](value, float(bound))


def judged(value: dict) -> float | None:
	"""The figure a target is judged on: the median, or the single value a row has."""
	return value.get("median", value.get("value"))


def has_figures(value) -> bool:
	return isinstance(value, dict) and not ("failed" in value or "note" in value)


def number(value) -> str:
	if value is None:
		return ""
	if isinstance(value, float):
		return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
	return str(value)


def cells(value) -> list[str]:
	"""The row's cells under COLUMNS, then its target with ✔ or ✘."""
	blank = [""] * (len(COLUMNS) - 1)
	if not has_figures(value):
		text = value.get("failed") or value.get("note") if isinstance(value, dict) else value
		return [str(text), *blank, ""]
	if "value" in value:
		row = [number(value["value"]), *blank]
	else:
		row = [number(value.get(key)) for key in COLUMNS]
	target = value.get("target") or ""
	if target:
		verdict = meets(target, judged(value))
		target += "" if verdict is None else " ✔" if verdict else " ✘"
	return [*row, target]


def render(rows: list[tuple[str, object]], markdown: bool = False) -> str:
	header = ["figure", *COLUMNS, "target"]
	body = [[label, *cells(value)] for label, value in rows]
	if markdown:
		lines = [header, ["---"] * len(header), *body]
		return "\n".join("| " + " | ".join(line) + " |" for line in lines)
	# a row of text (a note, a count) runs on past the columns instead of widening one
	figures = [line for line, (_, value) in zip(body, rows, strict=True) if has_figures(value)]
	widths = [max(len(line[0]) for line in [header, *body])]
	widths += [max(len(line[i]) for line in [header, *figures]) for i in range(1, len(header))]
	return "\n".join(
		"  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
		for line in [header, *body]
	)


def machine_line(info: dict) -> str:
	return f"{info['cores']} cores, {(info.get('memory_bytes') or 0) / 2**30:.1f} GiB memory"
