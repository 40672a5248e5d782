"""Scenario `bulk_tick`: one checklist item ticked for 1,000 units at once, through the service.

A rollout of 50 kommuner × 20 enheter (1,000 enheter, 40 items each, all
open) is imported first. Each measured call is
`unit_bulk.bulk_update_items` by the projektledare for a different item
of the 1,000 enheter (done, with evidence): every unit judged on its own,
1,000 rows changed and one audit event, in one transaction. Goal (issue 7):
under 1 s.
"""

from __future__ import annotations

from benchmarks.harness import (
    Bench,
    Figure,
    Goal,
    require,
    require_attribute,
    scenario,
    time_each,
)
from benchmarks.scenarios.rollout import EXTRA_CHECKLIST, rollout_context, start_project, units_csv
from benchmarks.scenarios.rollout import import_units as import_file
from gatekeeper.core.status import ItemStatus

KEY = "vgr-bulk"
UNITS = 1000


@scenario("bulk_tick", "Bulk tick of one item for 1,000 units")
def bulk_tick(bench: Bench) -> list[Figure]:
    """Seconds per bulk tick of one item for 1,000 enheter."""
    unit_bulk = require("gatekeeper.services.rollout.bulk_tick", "the bulk tick service")
    bulk = require_attribute(unit_bulk, "bulk_update_items", "the bulk tick service")
    factories = require("tests.rollout_factories", "the rollout test factories")
    units = bench.count(UNITS, 100)
    ctx = rollout_context(bench)
    try:
        start_project(ctx, KEY)
        data, enheter = units_csv(units // 20, 20)
        import_file(ctx, KEY, data)
        keys = enheter[:units]
        repeats = bench.count(5, 2)
        changed: list[int] = []

        def tick(n: int) -> None:
            result = bulk(
                ctx,
                factories.PROJEKTLEDARE,
                project_key=KEY,
                checklist_id=EXTRA_CHECKLIST,
                item_id=f"beredskap-{n + 1:02d}",
                unit_keys=keys,
                status=ItemStatus.DONE,
                evidence="Dnr 2026/0412, utbildningsintyg",
            )
            changed.append(len(result.done))

        samples = time_each(tick, repeats, warmup=1)
        bench.heap(lambda: tick(repeats + 1))
        if min(changed) != len(keys):
            raise AssertionError(f"a bulk tick changed {min(changed)} of {len(keys)} units")
        return [
            Figure(
                f"bulk tick, 1 item × {len(keys):,} units: median",
                samples.median / 1000,
                "s",
                goal=Goal("< 1 s", below=1.0, issue=7),
            ),
            Figure(
                f"bulk tick, 1 item × {len(keys):,} units: slowest of {repeats}",
                max(samples.ms) / 1000,
                "s",
                goal=Goal("< 1 s", below=1.0, issue=7),
            ),
            Figure("bulk tick: unit items changed/s", len(keys) / (samples.median / 1000), "/s"),
        ]
    finally:
        ctx.db.dispose()
