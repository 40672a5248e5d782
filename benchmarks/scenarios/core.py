"""Scenario `core`: the core engine's figures of issue 2, now part of every run.

- checklist ticks/s: `checklists.update_item` (project lock, change, audit
  append, commit), one per transaction, round-robin over the go-live gate's
  items of the IBIC project, done and reopened in turn
  (`benchmarks.run.tick_operation`). Goal (issue 14): ≥ 0.5× the plain
  SQLModel add+commit of the same run. Diagnostics on further, untimed ticks:
  statements per tick and where a tick's time goes (`benchmarks.diagnose`);
  the CPU time of the timed ticks (the benchmark's process only);
- gate readiness of 33 items through `GET .../gates/go-live/readiness`
  (in-process test client), median / p95, against the bare FastAPI GET;
- `audit verify`: events of the hash chain walked per second.
"""

from __future__ import annotations

import time

from benchmarks import diagnose
from benchmarks.harness import Bench, Figure, goal14, once, rate, scenario, time_each
from benchmarks.run import tick_operation
from benchmarks.scenarios.common import context
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.gates import readiness as gates
from tests.factories import api_client, start_ibic

KEY = "ibic-alingsas"
PATH = f"/api/v1/projects/{KEY}/gates/go-live/readiness"


@scenario("core", "Core engine: checklist ticks, gate readiness, audit verify")
def core(bench: Bench) -> list[Figure]:
    """Ticks per second, readiness latency and audit verification speed."""
    ctx = context(bench)
    try:
        start_ibic(ctx, key=KEY)
        count = bench.count(200, 20)
        tick = tick_operation(ctx, KEY)
        cpu = time.process_time()
        ticks = rate(tick, count)
        cpu_ms = 1000 * (time.process_time() - cpu) / count
        # Two whole rounds from a round boundary: every item ticked done once and reopened once.
        rounds = 2 * len(gates.gate_readiness(ctx, KEY, "go-live").items)
        first = -(-count // rounds) * rounds
        for n in range(count, first):  # untimed: on to the boundary, so that the counted
            tick(n)  # round's ticks each change their item (none is done twice in a row)
        per_tick = diagnose.statements(ctx.db.engine, lambda n: tick(first + n), rounds)
        shares = diagnose.time_shares(lambda n: tick(first + rounds + n), rounds)
        client = api_client(ctx)

        def readiness(_n: int) -> None:
            client.get(PATH).raise_for_status()

        samples = time_each(readiness, bench.count(100, 10), warmup=10)
        bench.heap(lambda: readiness(0))
        verify: list[int] = []
        seconds = once(lambda: verify.append(audit_log.verify(ctx).count))
        return [
            Figure(
                "checklist ticks/s (update_item)",
                ticks,
                "/s",
                goal=goal14("≥ 0.5× SQLModel add+commit", share_of_limit=0.5),
                limit="sqlmodel",
                diagnosis=f"{per_tick:.1f} statements per tick; time: {diagnose.describe(shares)}",
            ),
            Figure("statements per tick (cursor executions)", per_tick, ""),
            # The benchmark's own process (SQLite's work included, PostgreSQL's server not):
            # steadier than ticks/s on a shared machine.
            Figure("CPU per tick (this process)", cpu_ms, "ms"),
            Figure("gate readiness, 33 items, API: median", samples.median, "ms"),
            Figure(
                "gate readiness, 33 items, API: p95", samples.p95, "ms", limit="fastapi_get_p95"
            ),
            Figure(f"audit verify, {verify[0]:,} events: events/s", verify[0] / seconds, "/s"),
        ]
    finally:
        ctx.db.dispose()
