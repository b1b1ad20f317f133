"""All the benchmarks, each against ERPNext's own Issue, on one site, in one command.

    ~/frappe-bench/env/bin/python -m benchmarks.suite --site SITE [--sizes 100000,1000000] [--repeat N]
    ~/frappe-bench/env/bin/python -m benchmarks.suite --site SITE --quick   # a smoke run, a minute or two

Runs intake, form load, the time-limit job and the analysis reports (the ``run`` function of
benchmarks.intake, .form_load, .scheduler and .reports), one after the other on the same site,
each in a process of its own so that one's memory does not count in another's peak. Each seeds
what it measures and deletes it afterwards. Prints one table, with the machine's core count and
memory, and writes it to benchmarks/results/suite.json; ``--markdown`` prints it for the README.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import os
import sys
import time
import traceback

from benchmarks.common import RESULTS, connect, dropping_queued_jobs, machine
from benchmarks.table import machine_line, render

BENCHMARKS = ("intake", "form_load", "scheduler", "reports")
FULL = {"inserts": 200, "calls": 200, "open": 100_000, "overdue": 1_000, "sizes": "100000,1000000"}
QUICK = {"inserts": 50, "calls": 50, "open": 2_000, "overdue": 100, "sizes": "10000"}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument(
		"--site", default=os.environ.get("KESU_SITE"), required=not os.environ.get("KESU_SITE")
	)
	parser.add_argument("--bench", default=os.path.expanduser(os.environ.get("KESU_BENCH", "~/frappe-bench")))
	parser.add_argument(
		"--repeat", type=int, default=3, help="timed runs of the scheduler and report figures"
	)
	parser.add_argument("--quick", action="store_true", help="small sizes: shows the suite runs, not speed")
	parser.add_argument("--sizes", help="report sizes, comma-separated rows (full: 100000,1000000)")
	parser.add_argument("--inserts", type=int, help="intake: inserts of each (full: 200)")
	parser.add_argument("--calls", type=int, help="form load: getdoc calls of each (full: 200)")
	parser.add_argument("--open", type=int, help="scheduler: open complaints (full: 100000)")
	parser.add_argument("--overdue", type=int, help="scheduler: of them newly overdue (full: 1000)")
	parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated benchmarks to run")
	parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
	args = parser.parse_args(argv)
	names = [name.strip() for name in args.only.split(",") if name.strip()]
	if unknown := sorted(set(names) - set(BENCHMARKS)):
		parser.error(f"unknown benchmarks: {', '.join(unknown)} (there are {', '.join(BENCHMARKS)})")
	args.only = [name for name in BENCHMARKS if name in names]
	for key, value in (QUICK if args.quick else FULL).items():
		if getattr(args, key) is None:
			setattr(args, key, value)
	return args


def arguments(name: str, args: argparse.Namespace) -> dict:
	"""The keyword arguments of the benchmark's ``run``."""
	return {
		"intake": {"inserts": args.inserts},
		"form_load": {"calls": args.calls},
		"scheduler": {"open_count": args.open, "overdue": args.overdue, "repeat": args.repeat},
		"reports": {"sizes": [int(size) for size in args.sizes.split(",")], "repeat": args.repeat},
	}[name]


def child(name: str, site: str, bench: str, kwargs: dict, pipe):
	try:
		frappe = connect(site, bench)
		try:
			with dropping_queued_jobs(site):
				rows = importlib.import_module(f"benchmarks.{name}").run(frappe, **kwargs)
		finally:
			frappe.destroy()
		pipe.send({"rows": rows})
	except Exception as error:
		traceback.print_exc()
		pipe.send({"failed": f"{type(error).__name__}: {str(error)[:200]}"})


def run_one(name: str, args: argparse.Namespace) -> dict:
	kwargs = arguments(name, args)
	print(f"== {name} {kwargs}", flush=True)
	# spawn, not fork: a fresh interpreter, so the peak RSS the scheduler reports is its own
	context = multiprocessing.get_context("spawn")
	receive, send = context.Pipe(duplex=False)
	process = context.Process(target=child, args=(name, args.site, args.bench, kwargs, send))
	start = time.perf_counter()
	process.start()
	send.close()
	try:
		result = receive.recv()
	except EOFError:
		result = {"failed": "the benchmark process died"}
	process.join()
	if "failed" not in result and process.exitcode:
		result = {"failed": f"exit status {process.exitcode}"}
	result.update(seconds=time.perf_counter() - start, arguments=kwargs)
	return result


def table_rows(results: dict) -> list[tuple[str, object]]:
	rows = []
	for name, result in results.items():
		if "failed" in result:
			rows.append((f"{name}: FAILED", {"failed": result["failed"]}))
		else:
			rows += [tuple(row) for row in result["rows"]]
	return rows


def main(argv: list[str] | None = None):
	args = parse(argv)
	info = machine()
	results = {name: run_one(name, args) for name in args.only}
	rows = table_rows(results)
	figures = {
		"machine": info,
		"site": args.site,
		"quick": args.quick,
		"repeat": args.repeat,
		"finished": time.strftime("%Y-%m-%d %H:%M"),
		"benchmarks": {
			name: {**result, "rows": dict(result.get("rows", []))} for name, result in results.items()
		},
	}
	heading = f"kesu_app benchmark suite, {'quick' if args.quick else 'full'} run ({machine_line(info)})"
	print(f"\n{heading}\n{render(rows)}")
	if args.markdown:
		print(f"\n{heading}\n\n{render(rows, markdown=True)}")
	RESULTS.mkdir(exist_ok=True)
	path = RESULTS / "suite.json"
	path.write_text(json.dumps(figures, indent=1, default=str))
	print(f"written to {path}")
	if any("failed" in result for result in results.values()):
		sys.exit(1)


if __name__ == "__main__":
	main()
