"""Scenario `core`: the core engine's figures of issue 2, now part of every run.

- checklist ticks/s: `checklists.update_item` (project lock, change, audit
  append, commit), one per transaction, round-robin over the go-live gate's
  items of the IBIC project (`benchmarks.run.tick_rate`);
- gate readiness of 33 items through `GET .../gates/go-live/readiness`
  (in-process test client), median / p95, against the bare FastAPI GET;
- `audit verify`: events of the hash chain walked per second.
"""

from __future__ import annotations

from benchmarks.harness import Bench, Figure, once, scenario, time_each
from benchmarks.run import tick_rate
from benchmarks.scenarios.common import context
from gatekeeper.services.audit import log as audit_log
from tests.factories import api_client, start_ibic

KEY = "ibic-alingsas"
PATH = f"/api/v1/projects/{KEY}/gates/go-live/readiness"


@scenario("core", "Core engine: checklist ticks, gate readiness, audit verify")
def core(bench: Bench) -> list[Figure]:
    """Ticks per second, readiness latency and audit verification speed."""
    ctx = context(bench)
    try:
        start_ibic(ctx, key=KEY)
        ticks = tick_rate(ctx, KEY, bench.count(200, 20))
        client = api_client(ctx)

        def readiness(_n: int) -> None:
            client.get(PATH).raise_for_status()

        samples = time_each(readiness, bench.count(100, 10), warmup=10)
        bench.heap(lambda: readiness(0))
        verify: list[int] = []
        seconds = once(lambda: verify.append(audit_log.verify(ctx).count))
        return [
            Figure("checklist ticks/s (update_item)", ticks, "/s", limit="sqlmodel"),
            Figure("gate readiness, 33 items, API: median", samples.median, "ms"),
            Figure(
                "gate readiness, 33 items, API: p95", samples.p95, "ms", limit="fastapi_get_p95"
            ),
            Figure(f"audit verify, {verify[0]:,} events: events/s", verify[0] / seconds, "/s"),
        ]
    finally:
        ctx.db.dispose()
