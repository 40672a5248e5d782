"""`python -m benchmarks`: run the limits and scenarios, print the figures, optionally write them.

    python -m benchmarks [scenario ...] [--quick] [--databases sqlite,postgresql]
                         [--write-results] [--list]

Without scenario names every default scenario runs; the limits always run
first, on each database. Each scenario runs in its own worker process
(`--worker`, internal) on a fresh database, one after another. PostgreSQL is
BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test); when it
does not answer, its half is reported as skipped. `--quick` cuts every
iteration count for a smoke run; its figures are not for RESULTS.md.
Nothing is asserted: a missed goal is printed as missed, with its measured
reason (`Figure.diagnosis`: statements per operation, where the time goes).

One default run measures every goal of issue 14 and the capacity table, in
about 6–8 minutes on an idle 2-core machine (longer when other work shares
it; the load averages are written with the figures): the service-layer
scenarios, the HTTP ones (`http`, `scale_out`, `capacity`: `gatekeeper serve`
driven by `benchmarks.load`, no wrk needed) and the page renders. `api` (the
wrk version of `http`) runs only when named.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import cast

from benchmarks import report, summary
from benchmarks.harness import (
    DATABASES,
    SELECTED_DATABASES,
    Database,
    Result,
    Scenario,
    load_scenarios,
    postgres_problem,
    run_one,
)

ROOT = Path(__file__).resolve().parent.parent


def _parser(scenarios: dict[str, Scenario]) -> argparse.ArgumentParser:
    listing = "\n".join(
        f"  {s.name:<18} {s.title}" + ("" if s.default else " (only when named)")
        for s in scenarios.values()
    )
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="gatekeeper's benchmarks, each figure next to its goal and the limits "
        "measured in the same run.",
        epilog="scenarios:\n" + listing,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenarios", nargs="*", metavar="scenario", help="default: all default")
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    parser.add_argument(
        "--databases",
        default=",".join(DATABASES),
        help="comma-separated: sqlite, postgresql (default both)",
    )
    parser.add_argument(
        "--write-results", action="store_true", help="rewrite the generated part of RESULTS.md"
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds before a scenario is stopped"
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and stop")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    return parser


def _stop_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds the finally blocks that drop schemas


def _worker(name: str, database: Database, *, quick: bool, output: Path) -> None:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    result = run_one(name, database, quick=quick)
    output.write_text(json.dumps(result.to_json()), encoding="utf-8")


def _spawn(name: str, database: Database, *, quick: bool, timeout: float) -> Result:
    """Run one scenario in a worker process and read its result."""
    with tempfile.TemporaryDirectory(prefix="bench-result-") as folder:
        output = Path(folder) / "result.json"
        command = [sys.executable, "-m", "benchmarks", "--worker", name]
        command += ["--database", database, "--output", str(output)]
        if quick:
            command.append("--quick")
        process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            return Result(name, database, "failed", reason=f"stopped after {timeout:.0f} s")
        except KeyboardInterrupt:
            process.send_signal(signal.SIGTERM)
            process.wait()
            raise
        if not output.exists():
            return Result(name, database, "failed", reason=f"worker exited {process.returncode}")
        return Result.from_json(json.loads(output.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; 0 unless a scenario failed (a missed goal is not a failure)."""
    scenarios = load_scenarios()
    options = _parser(scenarios).parse_args(argv)
    if options.worker:
        _worker(
            options.worker,
            cast(Database, options.database),
            quick=options.quick,
            output=Path(options.output),
        )
        return 0
    if options.list:
        for s in scenarios.values():
            print(f"{s.name:<18} {s.title}" + ("" if s.default else " (only when named)"))
        return 0
    unknown = [n for n in options.scenarios if n not in scenarios]
    databases = [d.strip() for d in options.databases.split(",") if d.strip()]
    if unknown or not set(databases) <= set(DATABASES) or not databases:
        print(
            f"unknown scenario {unknown} or databases {databases}; "
            f"scenarios: {', '.join(scenarios)}; databases: {', '.join(DATABASES)}",
            file=sys.stderr,
        )
        return 2
    chosen = options.scenarios or [s.name for s in scenarios.values() if s.default]
    chosen = ["limits", *(n for n in chosen if n != "limits")]
    not_named = [s.name for s in scenarios.values() if not s.default and s.name not in chosen]
    started_at = datetime.now(UTC).astimezone()
    load_before = os.getloadavg()
    highest = load_before[0]
    started = time.perf_counter()
    pg_problem = postgres_problem() if "postgresql" in databases else None
    os.environ[SELECTED_DATABASES] = ",".join(
        d for d in databases if d != "postgresql" or not pg_problem
    )
    results: list[Result] = []
    for database in cast(list[Database], databases):
        for name in chosen:
            if database not in scenarios[name].databases:
                reason = scenarios[name].elsewhere or f"not run on {database}"
                result = Result(name, database, "skipped", reason=reason)
            elif database == "postgresql" and pg_problem:
                result = Result(name, database, "skipped", reason=pg_problem)
            else:
                result = _spawn(name, database, quick=options.quick, timeout=options.timeout)
            results.append(result)
            report.print_result(result, report.limits_of(results))
            highest = max(highest, os.getloadavg()[0])
    seconds = time.perf_counter() - started
    load = summary.load_note(os.cpu_count() or 1, load_before[0], os.getloadavg()[0], highest)
    print(f"{len(results)} runs in {seconds:.0f} s. {load}")
    if not_named:
        print(f"Only when named: {', '.join(not_named)}.")
    if options.write_results:
        command = "python -m benchmarks " + shlex.join(argv if argv is not None else sys.argv[1:])
        section = report.markdown(
            results,
            command=command.strip(),
            started=started_at.strftime("%Y-%m-%d %H:%M %Z"),
            seconds=seconds,
            load=load,
        )
        report.write_results(section)
        print(f"Written to {report.RESULTS}.")
    return 1 if any(r.status == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
