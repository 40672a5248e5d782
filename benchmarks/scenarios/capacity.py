"""Scenario `capacity`: the highest tick rate one 2-core installation serves with p99 < 50 ms.

The installation: SQLite with one `gatekeeper serve` process, and PostgreSQL
(a database of its own) with two (`--workers 2`). Its database holds 32 IBIC
projects (their members and a write token) and a regional rollout of 1,000
units (40 kommuner × 25, 40 checklist items each, states varied), the
rollout's people included; the counts in the table are read from the
database.

Measured with `benchmarks.load`: first 16 connections back to back for a few
seconds (the most the server answers, whatever the latency); then requests
offered at a fixed rate (an open loop: a request's latency counts from when
it was due, so queueing shows), starting at a fifth of that maximum and
stepping up by 1.4× while the p99 stays under 50 ms and nothing fails, then
halving the gap to the first rate that failed, twice. The figure is the
highest offered rate whose p99 stayed under 50 ms with every request
answered (a step lasts 5 s, longer at low rates so that its p99 rests on
100 requests or more); ticks per hour is that × 3,600. The ticks are PATCHes of the IBIC
projects' first-gate items, consecutive ones on different projects.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import text

from benchmarks import servers
from benchmarks.harness import Bench, Figure, scenario
from benchmarks.load import Load, Make, closed_loop, open_loop
from benchmarks.scenarios.rollout import build

PROJECTS = 32
P99_MS = 50.0
MIN_REQUESTS = 100  # a p99 of fewer requests is their maximum
MAX_STEP = 15.0
PEOPLE = """
    SELECT COUNT(*) FROM (
        SELECT lower(email) AS who FROM project_member
        UNION SELECT lower(email) FROM user_account
        UNION SELECT lower(responsible_email) FROM unit WHERE responsible_email <> ''
    ) AS people
"""


def _ok(load: Load) -> bool:
    return load.p99 < P99_MS and not load.errors


def search(
    port: int,
    headers: dict[str, str],
    make: Make,
    *,
    top: float,
    seconds: float,
    min_requests: int = MIN_REQUESTS,
) -> tuple[float, Load | None, list[Load]]:
    """(highest rate with p99 < 50 ms, its load, every step) by stepping an offered rate.

    A step lasts `seconds`, longer at a low rate so that its p99 rests on at
    least `min_requests` requests (at most `MAX_STEP` seconds)."""
    steps: list[Load] = []

    def step(rate: float) -> Load:
        long_enough = min(max(seconds, min_requests / rate), MAX_STEP)
        load = open_loop(port, headers, make, rate=rate, seconds=long_enough)
        steps.append(load)
        return load

    best, best_load = 0.0, None
    failed: float | None = None
    rate = max(top / 5, 2.0)
    for _ in range(6):  # up by 1.4× while it holds
        load = step(rate)
        if not _ok(load):
            failed = rate
            break
        best, best_load = rate, load
        rate *= 1.4
    while not best and failed is not None and failed > 2.0 and len(steps) < 6:
        rate = failed / 2  # not even the first rate held: down by halves
        load = step(rate)
        if _ok(load):
            best, best_load = rate, load
        else:
            failed = rate
    for _ in range(2):  # then halve the gap to the first rate that did not hold
        if failed is None or not best:
            break
        rate = (best + failed) / 2
        load = step(rate)
        if _ok(load):
            best, best_load = rate, load
        else:
            failed = rate
    return best, best_load, steps


@scenario("capacity", "Capacity: ticks/s one installation serves with p99 < 50 ms (SQLite: 1 "
          "process, PostgreSQL: 2)")  # fmt: skip
def capacity(bench: Bench) -> list[Figure]:
    """The highest offered tick rate with p99 < 50 ms, and what the database held."""
    if bench.database == "sqlite":
        return measure(bench, bench.url, workers=1)
    with servers.own_database() as (url, _name):
        return measure(bench, url, workers=2)


def measure(bench: Bench, url: str, *, workers: int) -> list[Figure]:
    token, paths = servers.prepared(url, bench.count(PROJECTS, 4))
    rollout = build(replace(bench, url=url), kommuner=bench.count(40, 4), units_per_kommun=22,
                    key="vgr-kapacitet")  # fmt: skip
    with rollout.ctx.db.read() as session:
        connection = session.connection()
        projects = connection.execute(text("SELECT COUNT(*) FROM project")).scalar_one()
        units = connection.execute(text("SELECT COUNT(*) FROM unit")).scalar_one()
        people = connection.execute(text(PEOPLE)).scalar_one()
        items = connection.execute(
            text("SELECT (SELECT COUNT(*) FROM checklist_item) + (SELECT COUNT(*) FROM unit_item)")
        ).scalar_one()
    rollout.ctx.db.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    make = servers.ticks(servers.interleaved(paths))
    folder = Path(bench.folder)
    settings = {
        "GATEKEEPER_EXTRA_WORKFLOWS_DIRS": str(folder / "rollout-workflows"),
        "GATEKEEPER_EXTRA_CHECKLISTS_DIRS": str(folder / "rollout-checklists"),
    }
    seconds = bench.count(5, 1)
    with servers.gatekeeper(url, workers, folder, settings) as served:
        closed_loop(served.port, headers, make, connections=16, seconds=bench.count(2, 1))
        most = closed_loop(served.port, headers, make, connections=16, seconds=bench.count(3, 1))
        best, best_load, steps = search(
            served.port,
            headers,
            make,
            top=most.rps,
            seconds=seconds,
            min_requests=bench.count(MIN_REQUESTS, 5),
        )
    processes = f"{workers} process{'es' if workers > 1 else ''}"
    lowest = min(step.offered or 0.0 for step in steps)
    if not best:
        bench.note(f"NO offered rate kept the p99 under 50 ms (down to {lowest:.1f}/s)")
    bench.note(
        f"{processes}; {projects} projects, {units:,} units, {people} people, {items:,} checklist "
        f"items; 16 connections back to back: {most.describe()}"
    )
    bench.note(
        "offered rates: "
        + "; ".join(f"{step.describe()} over {step.seconds:.0f} s" for step in steps)
    )
    return [
        Figure("projects in the database", projects, "", key="capacity_projects"),
        Figure("units in the database", units, "", key="capacity_units"),
        Figure("people in the database", people, "", key="capacity_people"),
        Figure("server processes", workers, "", key="capacity_processes"),
        Figure("most ticks/s, 16 connections back to back", most.rps, "/s",
               key="capacity_most"),
        Figure("p99 at that most", most.p99, "ms"),
        Figure("highest offered ticks/s with p99 < 50 ms", best, "/s", key="capacity_rate"),
        Figure("p99 at that rate", best_load.p99 if best_load else 0.0, "ms",
               key="capacity_p99"),
        Figure("ticks per hour at p99 < 50 ms", best * 3600, "/h", key="capacity_hour"),
        Figure("lowest rate offered", lowest, "/s", key="capacity_lowest"),
    ]  # fmt: skip
