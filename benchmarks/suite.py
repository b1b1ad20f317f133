"""All the benchmarks, side by side with ERPNext's own Issue, on one site, in one command.

    ~/frappe-bench/env/bin/python -m benchmarks.suite --site kesu.test
    ~/frappe-bench/env/bin/python -m benchmarks.suite --site kesu.test --quick   # a smoke run

Runs, each in its own process (so one's memory does not count against another's), on the
same site and in the same run: intake and form load (benchmarks.intake), the time-limit job
(benchmarks.scheduler) and the analysis reports (benchmarks.reports). Each seeds its data in
bulk and deletes it afterwards. Prints one table with the machine's core count and memory and
writes it to benchmarks/results/suite.json; ``--markdown`` prints it as the README's table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import RESULTS, machine

ROOT = Path(__file__).resolve().parent.parent

FULL = {
	"intake": ["--inserts", "200", "--calls", "200"],
	"scheduler": ["--open", "100000", "--overdue", "1000"],
	"reports": ["--sizes", "100000,1000000"],
}
QUICK = {
	"intake": ["--inserts", "30", "--calls", "30"],
	"scheduler": ["--open", "2000", "--overdue", "50"],
	"reports": ["--sizes", "10000"],
}


def parse() -> argparse.Namespace:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument(
		"--site", default=os.environ.get("KESU_SITE"), required=not os.environ.get("KESU_SITE")
	)
	parser.add_argument("--bench", default=os.path.expanduser(os.environ.get("KESU_BENCH", "~/frappe-bench")))
	parser.add_argument("--repeat", type=int, default=3, help="repetitions of the scheduler and report runs")
	parser.add_argument("--quick", action="store_true", help="small sizes: checks the suite runs, not speed")
	parser.add_argument("--only", default="intake,scheduler,reports", help="comma-separated benchmarks")
	parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
	return parser.parse_args()


def run_one(name: str, args: argparse.Namespace) -> dict:
	extra = (QUICK if args.quick else FULL)[name]
	command = [
		sys.executable,
		"-m",
		f"benchmarks.{name}",
		"--site",
		args.site,
		"--bench",
		args.bench,
		"--repeat",
		str(args.repeat),
		*extra,
	]
	print(f"\n== {name}: {' '.join(command[2:])}", flush=True)
	start = time.perf_counter()
	result = subprocess.run(command, cwd=ROOT, check=False)
	if result.returncode:
		return {"failed": f"exit status {result.returncode}", "seconds": time.perf_counter() - start}
	figures = json.loads((RESULTS / f"{name}.json").read_text())
	figures["seconds"] = time.perf_counter() - start
	return figures


def text(value) -> str:
	if isinstance(value, dict):
		if "failed" in value or "note" in value:
			return str(value.get("failed") or value.get("note"))
		parts = []
		for key in ("mean", "p95", "min", "median", "max"):
			if value.get(key) is not None:
				parts.append(f"{key} {value[key]:.4g}")
		return " / ".join(parts)
	return str(value)


def markdown(figures: dict) -> str:
	info = figures["machine"]
	lines = [
		f"{info['cores']} cores, {(info['memory_bytes'] or 0) / 2**30:.1f} GiB; "
		f"{'quick run' if figures['quick'] else 'full run'}, {figures['finished']}",
		"",
		"| figure | mean | p95 | min | median | max |",
		"| --- | --- | --- | --- | --- | --- |",
	]
	for name in figures["benchmarks"]:
		for label, value in figures["benchmarks"][name].get("rows", {}).items():
			if isinstance(value, dict) and not ("failed" in value or "note" in value):
				cells = [
					f"{value[k]:.4g}" if value.get(k) is not None else ""
					for k in ("mean", "p95", "min", "median", "max")
				]
			else:
				cells = [text(value), "", "", "", ""]
			lines.append(f"| {label} | {' | '.join(cells)} |")
	return "\n".join(lines)


def main():
	args = parse()
	names = [name.strip() for name in args.only.split(",") if name.strip()]
	unknown = set(names) - set(FULL)
	if unknown:
		raise SystemExit(f"unknown benchmarks: {', '.join(sorted(unknown))}")
	figures = {
		"machine": machine(),
		"site": args.site,
		"quick": args.quick,
		"repeat": args.repeat,
		"benchmarks": {name: run_one(name, args) for name in names},
		"finished": time.strftime("%Y-%m-%d %H:%M"),
	}
	info = figures["machine"]
	print(
		f"\nkesu_app benchmark suite  (cores: {info['cores']}, memory: {(info['memory_bytes'] or 0) / 2**30:.1f} GiB)"
	)
	for name, result in figures["benchmarks"].items():
		if "failed" in result:
			print(f"  {name}: FAILED ({result['failed']})")
			continue
		for label, value in result.get("rows", {}).items():
			print(f"  {label:<70} {text(value)}")
	RESULTS.mkdir(exist_ok=True)
	path = RESULTS / "suite.json"
	path.write_text(json.dumps(figures, indent=1, default=str))
	print(f"  written to {path}")
	if args.markdown:
		print("\n" + markdown(figures))
	if any("failed" in result for result in figures["benchmarks"].values()):
		raise SystemExit(1)


if __name__ == "__main__":
	main()
