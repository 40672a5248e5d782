"""Property: whatever sequence of ticks, reopens and moved gate dates a project goes
through, the reminders it is left with are those a re-plan from scratch makes.

A tick cancels its item's reminders with one UPDATE, a reopen re-plans the item's
own, a moved date its gate's items (`services/consequences`); none of these lean
paths may leave a reminder the full planner would not make, nor miss one it would.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import col

from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import DatesOutOfOrder
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import gate_date
from gatekeeper.services.reminders.planning import replan_project
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.reminders.tables import Reminder
from tests.factories import IBIC_TARGETS, PROJEKTLEDARE, start_ibic
from tests.reminder_rows import open_reminders

_keys = itertools.count(1)

# The first gate (its items due around the tests' "today", some already late) and the
# go-live gate (due next year); of each, the three items due last (with reminders still
# to come), so that one is often ticked and reopened again.
GATES = ("forstudie-klar", "go-live")
TICK = st.tuples(
    st.just("tick"),
    st.sampled_from(GATES),
    st.integers(0, 2),
    st.sampled_from([ItemStatus.DONE, ItemStatus.OPEN, ItemStatus.NOT_APPLICABLE]),
)
MOVE = st.tuples(
    st.just("move"), st.sampled_from(GATES), st.integers(-40, 40), st.just(ItemStatus.OPEN)
)


def _planned_from_scratch(ctx: Context, project: Project) -> set[tuple[Any, ...]]:
    assert project.id is not None
    with ctx.db.write() as session:
        session.execute(delete(Reminder).where(col(Reminder.project_id) == project.id))
    replan_project(ctx, project.key)
    return open_reminders(ctx, project.id)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.one_of(TICK, TICK, TICK, MOVE), min_size=1, max_size=10))
def test_ticks_reopens_and_moved_dates_leave_the_reminders_a_replan_from_scratch_would(
    ctx: Context, steps: list[tuple[str, str, int, ItemStatus]]
) -> None:
    project = start_ibic(ctx, key=f"ibic-egenskap-{next(_keys)}")
    assert project.id is not None
    targets = dict(IBIC_TARGETS)
    for action, gate_id, number, status in steps:
        if action == "tick":
            items = sorted(
                gates.gate_readiness(ctx, project.key, gate_id).items,
                key=lambda i: (-(i.row.due_offset_days or 0), i.row.id),
            )
            item = items[number]
            checklists.update_item(
                ctx,
                PROJEKTLEDARE,
                project_key=project.key,
                gate_id=gate_id,
                checklist_id=item.checklist_id,
                item_id=item.row.item_id,
                status=status,
                evidence="https://intranat.alingsas.se/ibic/underlag.pdf",
            )
        else:
            moved = targets[gate_id] + timedelta(days=number)
            try:
                plan = gate_date.set_gate_target(
                    ctx,
                    PROJEKTLEDARE,
                    project_key=project.key,
                    gate_id=gate_id,
                    target_date=moved,
                    shift_later=True,
                )
            except DatesOutOfOrder:
                continue
            targets = plan.new_targets(targets)
    kept = open_reminders(ctx, project.id)
    assert kept == _planned_from_scratch(ctx, project)
