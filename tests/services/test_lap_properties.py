"""Property: whatever people tick and decide, lap after lap, a gate of lap n passes on
lap n's ticks only — never on a tick made in an earlier lap."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import project as projects
from tests.services.test_laps import LAP_1_DATES, MEMBERS, TEAM, approve_gate

_keys = itertools.count(1)

# A step: tick one item (gate index, item index, done or N/A), or take the current gate
# (tick what it still needs, choose the sigtepunkter where asked, and decide go).
TICK = st.tuples(
    st.just("tick"),
    st.integers(0, 3),
    st.integers(0, 10),
    st.sampled_from([ItemStatus.DONE, ItemStatus.NOT_APPLICABLE, ItemStatus.OPEN]),
)
TAKE = st.tuples(st.just("take"), st.just(0), st.just(0), st.just(ItemStatus.DONE))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.one_of(TICK, TAKE, TAKE), min_size=4, max_size=14))
def test_no_gate_of_a_lap_passes_on_an_earlier_lap_s_ticks(
    ctx: Context, clock: FixedClock, steps: list[tuple[str, int, int, ItemStatus]]
) -> None:
    key = f"ics-egenskab-{next(_keys)}"
    projects.create_project(
        ctx,
        TEAM,
        key=key,
        name="Forankring af ICS (egenskabstest)",
        workflow_id="forankring",
        organisation="Børne- og Familieafdelingen, Hjørring Kommune",
        started_on=date(2026, 10, 1),
        gate_targets=LAP_1_DATES,
        members=MEMBERS,
    )
    workflow = ctx.catalog.workflow("forankring")
    loop = [gate.id for gate in workflow.gates]
    lap = 1
    ticked_in: dict[str, int] = {}  # `gate/checklist/item` -> the lap of its latest tick
    for action, gate_index, item_index, status in steps:
        project = overviews.project_overview(ctx, key).project
        assert project.lap == lap
        if action == "tick":
            gate_id = loop[gate_index]
            items = gates.gate_readiness(ctx, key, gate_id).items
            item = items[item_index % len(items)]
            checklists.update_item(
                ctx,
                TEAM,
                project_key=key,
                gate_id=gate_id,
                checklist_id=item.checklist_id,
                item_id=item.row.item_id,
                status=status,
                evidence="https://intra.hjorring.dk/ics/bilag.pdf",
            )
            ticked_in[f"{gate_id}/{item.checklist_id}/{item.row.item_id}"] = lap
        else:
            gate = workflow.gates_from(project.phase)[0]
            for item in gates.gate_readiness(ctx, key, gate.id).items:
                if item.row.status is ItemStatus.OPEN:
                    checklists.update_item(
                        ctx,
                        TEAM,
                        project_key=key,
                        gate_id=gate.id,
                        checklist_id=item.checklist_id,
                        item_id=item.row.item_id,
                        status=ItemStatus.DONE,
                        evidence="https://intra.hjorring.dk/ics/bilag.pdf",
                    )
                    ticked_in[f"{gate.id}/{item.checklist_id}/{item.row.item_id}"] = lap
            if gate.id == "plan-godkendt" and not any(
                d.key == "sigtepunkter" and d.lap == lap
                for d in decisions.list_named_decisions(ctx, key)
            ):
                decisions.record_named_decision(
                    ctx,
                    TEAM,
                    project_key=key,
                    key="sigtepunkter",
                    title=f"Sigtepunkter i runde {lap}",
                    decided_on=ctx.today(),
                )
            approve_gate(ctx, key, gate.id)
            if gate.id == loop[-1]:
                lap += 1
        clock.advance(timedelta(days=3))
        # The invariant: every item not open was ticked in the current lap, so whatever
        # passes passes on this lap's ticks.
        for gate_id in loop:
            readiness = gates.gate_readiness(ctx, key, gate_id)
            for item in readiness.items:
                where = f"{gate_id}/{item.checklist_id}/{item.row.item_id}"
                if item.row.status is not ItemStatus.OPEN:
                    assert ticked_in.get(where) == lap, f"{where} carried over into lap {lap}"
            if readiness.verdict.passed:
                assert all(
                    ticked_in.get(f"{gate_id}/{i.checklist_id}/{i.row.item_id}") == lap
                    for i in readiness.items
                    if i.row.mandatory
                )
