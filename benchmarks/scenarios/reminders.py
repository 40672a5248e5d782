"""Scenario `reminders`: dispatching a backlog of due reminders, measured by `benchmarks.reminders`.

The reminders helper owns what is measured (see that module): 1 or 4
dispatcher processes drain a backlog of due reminders, one transaction per
reminder. This scenario calls its `run(quick=True)` once, in the SQLite run,
and it measures both databases itself (PostgreSQL only when this run includes
it). The default run always asks for the quick plan (backlogs of 1,000 and
10,000): the full one (10,000 and 100,000) alone takes longer than the
five-minute budget; run it with `python -m benchmarks.reminders`. Goal from
issue 6: at least 2,000 reminders/s on PostgreSQL with 4 dispatchers.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from benchmarks.harness import (
    POSTGRES_URL,
    SELECTED_DATABASES,
    Bench,
    Figure,
    Goal,
    require,
    require_attribute,
    scenario,
)

GOAL = Goal("≥ 2,000/s with 4 dispatchers (issue 6)", at_least=2000)


def _figures(row: dict[str, Any]) -> list[Figure]:
    backend = str(row.get("backend", ""))
    dispatchers = int(row.get("dispatchers", 1))
    what = (
        f"dispatch, {dispatchers} dispatcher{'s' if dispatchers > 1 else ''}, "
        f"backlog {int(row.get('backlog', 0)):,}"
    )
    goal = GOAL if backend == "postgresql" and dispatchers == 4 else None
    return [
        Figure(
            f"{what}: reminders/s", float(row["reminders_per_s"]), "/s", goal=goal, database=backend
        ),
        Figure(
            f"{what}: peak RSS of a dispatcher",
            float(row.get("peak_rss_mib", 0)),
            "MiB",
            database=backend,
        ),
    ]


@scenario(
    "reminders",
    "Reminder dispatch of a due backlog (benchmarks.reminders)",
    databases=("sqlite",),
    elsewhere="measured in the SQLite run: benchmarks.reminders covers both databases",
)
def reminders(bench: Bench) -> list[Figure]:
    """The reminders helper's figures, one pair per measured backlog."""
    module = require("benchmarks.reminders", "the reminder benchmark")
    run = require_attribute(module, "run", "the reminder benchmark")
    wanted = os.environ.get(SELECTED_DATABASES, "sqlite,postgresql").split(",")
    rows: list[dict[str, Any]] = run(
        quick=True, postgres=POSTGRES_URL if "postgresql" in wanted else None
    )
    bench.note("quick plan (backlogs 1,000 and 10,000); `python -m benchmarks.reminders` for 100k")
    figures: list[Figure] = []
    seen: dict[tuple[str, str | None], int] = {}
    for row in rows:
        for figure in _figures(row):
            key = (figure.label, figure.database)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:  # the same measurement again: keep both, numbered
                figure = replace(figure, label=f"{figure.label} (run {seen[key]})")
            figures.append(figure)
    return figures
