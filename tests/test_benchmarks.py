"""The benchmark harness keeps working: a quick run of the limits and one scenario on SQLite.

Runs `python -m benchmarks --quick gate_transition --databases sqlite` as a
user would and checks that it measured (no scenario failed, every figure
printed); it asserts nothing about how fast anything is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_run_of_limits_and_gate_transition_measures_without_failing() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "gate_transition", "--databases", "sqlite"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "== limits [SQLite] (" in done.stdout
    assert "SQLModel add+commit/s" in done.stdout
    assert "== gate_transition [SQLite] (" in done.stdout
    assert "gate transitions/s (pass_gate" in done.stdout
    assert "failed" not in done.stdout


def test_unknown_scenario_is_refused_with_the_list_of_scenarios() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "no_such_scenario"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 2
    assert "gate_transition" in done.stderr


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
