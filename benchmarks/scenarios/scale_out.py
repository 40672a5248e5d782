"""Scenario `scale_out` (PostgreSQL): ticks on different projects from one and two server processes.

A PostgreSQL database of its own holds 16 IBIC projects and a write token.
`gatekeeper serve --workers 1`, then `--workers 2`, each driven by
`benchmarks.load` with 16 connections back to back, connection c ticking
only project c (round-robin over its first gate's items): no two requests
ever want the same project's row, so any row lock one waits for is a row
that ticks of different projects share. Meanwhile `servers.LockWaits`
samples `pg_stat_activity` and `pg_locks` of that database every 100 ms.

Goal (issue 14): ticks on different projects are not serialised by one row:
with two processes, fewer than 0.5 sessions on average wait on a row lock
(`Lock/transactionid` or `Lock/tuple`). Shown beside it: ticks/s from one to
two processes (on two cores shared with PostgreSQL and the load generator a
second process cannot double them) and what the sessions waited on.
"""

from __future__ import annotations

from benchmarks import servers
from benchmarks.harness import Bench, Figure, goal14, scenario
from benchmarks.load import Make, closed_loop

PROJECTS = 16
CONNECTIONS = 16
ROW_LOCKS = ("Lock/transactionid", "Lock/tuple")


def per_project(paths: list[str]) -> Make:
    """Request n goes to project n % 16 (its connection's), its items round-robin."""
    groups = servers.by_project(paths)
    ticks = [servers.ticks(group) for group in groups]

    def make(n: int) -> tuple[str, str, bytes]:
        return ticks[n % len(groups)](n // len(groups))

    return make


@scenario(
    "scale_out",
    "Scale-out: ticks on 16 projects from one and two server processes, lock waits",
    databases=("postgresql",),
    elsewhere="an SQLite database is served by one process",
)
def scale_out(bench: Bench) -> list[Figure]:
    """Ticks/s, p99 and lock waits with one and with two processes."""
    seconds, warmup = bench.count(8, 1), bench.count(2, 1)
    figures: list[Figure] = []
    rates: dict[int, float] = {}
    waits: dict[int, float] = {}
    waited: dict[int, str] = {}
    with servers.own_database() as (url, name):
        token, paths = servers.prepared(url, PROJECTS)
        headers = {"Authorization": f"Bearer {token}"}
        make = per_project(paths)
        for workers in (1, 2):
            with servers.gatekeeper(url, workers, bench.folder) as served:
                closed_loop(served.port, headers, make, connections=CONNECTIONS, seconds=warmup)
                with servers.LockWaits(url, name) as sampled:
                    load = closed_loop(
                        served.port, headers, make, connections=CONNECTIONS, seconds=seconds
                    )
            rates[workers] = load.rps
            waits[workers] = sum(sampled.average(kind) for kind in ROW_LOCKS)
            waited[workers] = sampled.describe()
            bench.note(
                f"{workers} process{'es' if workers > 1 else ''}: {load.describe()}; "
                f"sessions waiting, on average: {sampled.describe()}"
            )
            plural = "es" if workers > 1 else ""
            figures += [
                Figure(f"{workers} process{plural}, 16 projects: ticks/s", load.rps, "/s"),
                Figure(f"{workers} process{plural}, 16 projects: p99", load.p99, "ms"),
            ]
    figures += [
        Figure(
            "ticks/s, two processes ÷ one",
            rates[2] / rates[1] if rates[1] else 0.0,
            "×",
            note="two cores are shared by the servers, PostgreSQL and the load generator",
        ),
        Figure(
            "two processes: sessions waiting on a row lock (average)",
            waits[2],
            "sessions",
            goal=goal14("< 0.5: different projects are not serialised by one row", below=0.5),
            diagnosis=f"sessions waiting, on average, by wait event and table: {waited[2]}"
            + (
                "; ticks of different projects queue on `audit_head`, the one head row of "
                "the audit chain: a chain per project (with a signed checkpoint over all "
                "chains) would take them out of one queue"
                if "audit_head" in waited[2]
                else ""
            ),
        ),
        Figure("one process: sessions waiting on a row lock (average)", waits[1], "sessions"),
    ]
    return figures
