"""The head of RESULTS.md's generated part: the current issue's goals and the capacity table.

- Goals: one row per figure whose goal belongs to the current issue
  (`harness.CURRENT_ISSUE`), its value per database with `met`/`missed`, the
  limit measured in the same run, and, where it is missed, the scenario's
  measured reasons (`Figure.diagnosis`) and what would meet it (worked out from
  the goal and the limit). A goal scenario that did not run, was skipped or
  failed is listed under the table with why, never left out.
- Capacity: the `capacity` scenario's figures as one row per installation.
- Load: whether other work ran on the machine, from the load averages.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.harness import CURRENT_ISSUE, Figure, Result
from benchmarks.report import DATABASE_NAMES, Limits, cell, number, read, with_unit

# The scenarios that measure the current issue's goals, in the order of the issue.
GOAL_SCENARIOS = (
    "core", "gate_transition", "http", "readiness_review", "pages", "unit_import", "scale_out",
    "capacity",
)  # fmt: skip
CAPACITY_COLUMNS = (
    ("capacity_processes", "server processes"),
    ("capacity_projects", "projects"),
    ("capacity_units", "units"),
    ("capacity_people", "people"),
    ("capacity_most", "most ticks/s (16 connections, any latency)"),
    ("capacity_rate", "ticks/s with p99 < 50 ms"),
    ("capacity_p99", "p99 there"),
    ("capacity_hour", "ticks per hour at p99 < 50 ms"),
)


def load_note(cores: int, start: float, end: float, highest: float) -> str:
    """A sentence saying whether the machine was busy with other work during the run."""
    text = (
        f"Load average (1 min) {start:.1f} at the start, {end:.1f} at the end, at most "
        f"{highest:.1f} between scenarios, on {cores} cores"
    )
    if start >= 1.0 or highest >= cores + 1.5:
        return (
            f"**The machine was loaded during this run** ({text}; the run itself keeps up to "
            "~2 cores busy in its HTTP scenarios): figures in time or per second are lower "
            "than on a quiet machine, and the ratios to limits measured in the same run "
            "are the steadier reading."
        )
    return f"The machine was quiet: {text}."


def need(figure: Figure, limit: Figure | None) -> str:
    """What value would meet the goal, when the goal says more than its own text."""
    goal = figure.goal
    if goal is None:
        return ""
    wanted: list[str] = []
    if goal.share_of_limit is not None and limit is not None:
        target = goal.share_of_limit * limit.value
        each = f" (≤ {1000 / target:.2f} ms each)" if figure.unit == "/s" and target else ""
        wanted.append(f"≥ {with_unit(target, figure.unit)}{each}")
    if goal.at_least is not None and goal.share_of_limit is not None:
        wanted.append(f"≥ {with_unit(goal.at_least, figure.unit)}")
    return "needs " + " and ".join(wanted) if wanted else ""


def goal_rows(results: list[Result], databases: Sequence[str], limits: Limits) -> list[str]:
    """The goals table of the current issue (Markdown lines)."""
    names = [DATABASE_NAMES[d] for d in databases]
    lines = [
        f"### Issue {CURRENT_ISSUE}'s goals",
        "",
        "| goal | figure | " + " | ".join(names) + " | limit in the same run | "
        "where missed: measured reason, and what would meet it |",
        "|---|---|" + "---|" * len(names) + "---|---|",
    ]
    order: list[tuple[str, str]] = []
    found: dict[tuple[str, str, str], Figure] = {}
    for result in sorted(results, key=lambda r: _rank(r.scenario)):
        for figure in result.figures:
            if figure.goal is None or figure.goal.issue != CURRENT_ISSUE:
                continue
            row = (result.scenario, figure.label)
            if row not in order:
                order.append(row)
            found[(*row, figure.database or result.database)] = figure
    for scenario, label in order:
        figures = {d: found.get((scenario, label, d)) for d in databases}
        present = [f for f in figures.values() if f is not None]
        cells = [cell(figures[d], d, limits) for d in databases]
        readings = {d: read(f, d, limits) for d, f in figures.items() if f is not None}
        limit_text = " / ".join(r.limit_value or "—" for r in readings.values() if r.limit_label)
        label_of_limit = next((r.limit_label for r in readings.values() if r.limit_label), "")
        why: list[str] = []
        for database, missed in figures.items():
            if missed is None or readings[database].verdict != "missed":
                continue
            limit = limits.get(database, {}).get(missed.limit or "")
            parts = [p for p in (need(missed, limit), missed.diagnosis) if p]
            if parts:
                why.append(f"{DATABASE_NAMES[database]}: " + "; ".join(parts))
        goal = next(f.goal.text for f in present if f.goal)
        limit_cell = f"{label_of_limit}: {limit_text}" if label_of_limit else "—"
        lines.append(
            f"| {goal} | {scenario}: {label} | " + " | ".join(cells)
            + f" | {limit_cell} | {'<br>'.join(why) or '—'} |"
        )  # fmt: skip
    lines += ["", *_not_measured(results, databases)]
    return lines


def _rank(scenario: str) -> int:
    return GOAL_SCENARIOS.index(scenario) if scenario in GOAL_SCENARIOS else len(GOAL_SCENARIOS)


def _not_measured(results: list[Result], databases: Sequence[str]) -> list[str]:
    ran = {(r.scenario, r.database): r for r in results}
    missing = []
    for scenario in GOAL_SCENARIOS:
        for database in databases:
            result = ran.get((scenario, database))
            if result is None:
                if not any(r.scenario == scenario for r in results):
                    missing.append(f"- {scenario}: not part of this run")
                    break
                continue
            if result.status == "failed" or (
                result.status == "skipped" and "served by one process" not in result.reason
                and "measured on SQLite" not in result.reason
            ):  # fmt: skip
                missing.append(
                    f"- **{scenario} [{DATABASE_NAMES[database]}]: {result.status}**: "
                    f"{result.reason}"
                )
    if not missing:
        return []
    return ["Goals not measured in this run:", "", *missing, ""]


def capacity_rows(results: list[Result]) -> list[str]:
    """The capacity table: one row per installation the `capacity` scenario measured."""
    rows = []
    for result in results:
        if result.scenario != "capacity" or result.status != "ok":
            continue
        by_key = {f.key: f for f in result.figures if f.key}
        if "capacity_rate" in by_key and not by_key["capacity_rate"].value:
            lowest = by_key.get("capacity_lowest")
            none = "none" + (f" (tried down to {number(lowest.value)}/s)" if lowest else "")
            rows.append(f"| {DATABASE_NAMES[result.database]} | " + " | ".join(
                none if key in ("capacity_rate", "capacity_p99", "capacity_hour") else
                with_unit(by_key[key].value, by_key[key].unit) if key in by_key else "—"
                for key, _ in CAPACITY_COLUMNS
            ) + " |")  # fmt: skip
            continue
        cells = [
            with_unit(by_key[key].value, by_key[key].unit) if key in by_key else "—"
            for key, _ in CAPACITY_COLUMNS
        ]
        rows.append(f"| {DATABASE_NAMES[result.database]} | " + " | ".join(cells) + " |")
    if not rows:
        return []
    return [
        "### Capacity of one 2-core installation",
        "",
        "| database | " + " | ".join(title for _, title in CAPACITY_COLUMNS) + " |",
        "|---|" + "---|" * len(CAPACITY_COLUMNS),
        *rows,
        "",
        "Measured by the `capacity` scenario: `gatekeeper serve` (SQLite: one process; "
        "PostgreSQL: `--workers 2`) on a database holding the projects, units and people "
        "counted above (IBIC projects, and a regional rollout of 1,000 units with 40 "
        "checklist items each); the load generator (`benchmarks.load`) and the database run "
        "on the same two cores. First 16 connections back to back give the most it answers; "
        "then ticks are offered at a fixed rate (each latency counted from when the request "
        "was due), stepping up from a fifth of that most by 1.4× while the p99 stays under "
        "50 ms with every request answered, then narrowing the step that failed twice. The "
        "read side at these sizes is in the goals above (Översikt with 500 projects, the "
        "readiness review of 980 units). The steps are in the notes.",
        "",
    ]
