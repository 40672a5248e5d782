"""The benchmark harness keeps working: a quick run of the limits and one scenario on SQLite.

Runs `python -m benchmarks --quick core --databases sqlite` as a user would
and checks that it measured (no scenario failed, every figure printed); the
load generator against a small server in a thread; the RESULTS.md writer and
its goals and capacity tables on made-up figures. Nothing here asserts how fast
anything is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.live_server import running

ROOT = Path(__file__).resolve().parent.parent


def test_quick_run_of_limits_and_core_measures_without_failing() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "core", "--databases", "sqlite"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "== limits [SQLite] (" in done.stdout
    assert "SQLModel add+commit/s" in done.stdout
    assert "== core [SQLite] (" in done.stdout
    assert "checklist ticks/s (update_item)" in done.stdout
    assert "statements per tick" in done.stdout
    assert "failed" not in done.stdout


def test_unknown_scenario_is_refused_with_the_list_of_scenarios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks.__main__ import main

    assert main(["no_such_scenario"]) == 2
    assert "gate_transition" in capsys.readouterr().err


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # kept alive, like uvicorn

    def do_PATCH(self) -> None:  # the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = json.dumps({"seen": body["n"]}).encode()
        self.send_response(404 if self.path.endswith("/missing") else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def _server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    with running(server):
        yield server.server_address[1]


def _make(n: int) -> tuple[str, str, bytes]:
    path = "/items/missing" if n % 10 == 9 else f"/items/{n}"
    return "PATCH", path, json.dumps({"n": n}).encode()


def test_load_generator_counts_answers_and_errors_in_both_loops() -> None:
    from benchmarks.load import closed_loop, open_loop

    with _server() as port:
        closed = closed_loop(port, {"X-Bench": "1"}, _make, connections=4, seconds=0.5)
        fixed = open_loop(port, {}, _make, rate=40, seconds=0.5, connections=4)

    assert closed.answered > 0 and closed.errors["404"] > 0
    assert closed.answered + closed.errors["404"] >= 10
    assert fixed.offered == 40
    assert fixed.answered == 18 and fixed.errors == {"404": 2}  # 20 due: n = 9 and 19 fail
    assert fixed.p50 <= fixed.p99 < float("inf")


def test_results_writer_replaces_only_the_generated_section(tmp_path: Path) -> None:
    from benchmarks import report
    from benchmarks.harness import Figure, Goal, Result

    results_md = tmp_path / "RESULTS.md"
    results_md.write_text(
        "# Benchmark results\n\n## Core engine (issue 2), 2026-11-25\n\nHand-written.\n",
        encoding="utf-8",
    )
    run = [
        Result("limits", "sqlite", "ok", figures=[Figure("SQLModel", 2000, "/s", key="sqlmodel")]),
        Result(
            "gate_transition",
            "sqlite",
            "ok",
            figures=[
                Figure("gates/s", 500, "/s", goal=Goal("≥", share_of_limit=1), limit="sqlmodel")
            ],
        ),
        Result("bulk_tick", "sqlite", "skipped", reason="the bulk tick service is not there yet"),
    ]
    section = report.markdown(run, command="python -m benchmarks", started="x", seconds=1, load="0")

    report.write_results(section, results_md)
    report.write_results(section.replace("500/s", "600/s"), results_md)

    text = results_md.read_text(encoding="utf-8")
    assert text.count(report.BEGIN) == 1 and text.count(report.END) == 1
    assert "600/s (missed)" in text and "500/s" not in text
    assert "skipped: the bulk tick service is not there yet" in text
    assert text.index(report.END) < text.index("## Core engine (issue 2)")
    assert text.endswith("Hand-written.\n")


def test_goals_table_says_why_a_goal_is_missed_and_lists_what_was_not_measured() -> None:
    from benchmarks import report
    from benchmarks.harness import Figure, Result, goal14

    ticks = goal14("≥ 0.5× SQLModel add+commit", share_of_limit=0.5)
    run = [
        Result("limits", "sqlite", "ok", figures=[Figure("SQLModel", 2000, "/s", key="sqlmodel")]),
        Result(
            "limits", "postgresql", "ok", figures=[Figure("SQLModel", 400, "/s", key="sqlmodel")]
        ),
        Result(
            "core",
            "sqlite",
            "ok",
            figures=[
                Figure(
                    "ticks/s", 250, "/s", goal=ticks, limit="sqlmodel", diagnosis="7 statements"
                ),
            ],
        ),
        Result(
            "core",
            "postgresql",
            "ok",
            figures=[
                Figure(
                    "ticks/s", 300, "/s", goal=ticks, limit="sqlmodel", diagnosis="6 statements"
                ),
            ],
        ),
        Result("http", "sqlite", "failed", reason="RuntimeError: the server did not answer"),
        Result(
            "capacity",
            "sqlite",
            "ok",
            figures=[
                Figure("projects", 32, "", key="capacity_projects"),
                Figure("ticks/s with p99 < 50 ms", 61.5, "/s", key="capacity_rate"),
                Figure("ticks per hour", 221_400, "/h", key="capacity_hour"),
            ],
        ),
    ]
    run.append(
        Result(
            "capacity",
            "postgresql",
            "ok",
            figures=[
                Figure("ticks/s with p99 < 50 ms", 0, "/s", key="capacity_rate"),
                Figure("lowest rate offered", 1.1, "/s", key="capacity_lowest"),
            ],
        )
    )
    load = "The machine was quiet."
    section = report.markdown(
        run, command="python -m benchmarks", started="x", seconds=1, load=load
    )

    goals = section[section.index("### Issue 14's goals") : section.index("### Capacity")]
    row = next(line for line in goals.splitlines() if "core: ticks/s" in line)
    assert "250/s (missed)" in row and "300/s (met)" in row
    assert "SQLite: needs ≥ 1,000/s (≤ 1.00 ms each); 7 statements" in row
    assert "6 statements" not in row  # PostgreSQL met its goal: no reason given
    assert "**http [SQLite]: failed**: RuntimeError: the server did not answer" in goals
    assert "- pages: not part of this run" in goals
    capacity = section[section.index("### Capacity") : section.index("### Every figure")]
    assert "| SQLite | — | 32 | — | — | — | 61.5/s | — | 221,400/h |" in capacity
    assert "| PostgreSQL | — | — | — | — | — | none (tried down to 1.10/s) |" in capacity
    assert load in section
