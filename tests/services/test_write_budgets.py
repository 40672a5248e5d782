"""A gate transition, a deciding vote and a bulk tick each issue at most a budgeted number
of SQL statements (counted, never timed), and a transition's or decision's reminder work,
done for its subjects only, leaves exactly the reminders a re-plan from scratch makes.

The budgets, on SQLite (PostgreSQL has no BEGIN statement, so one less), with what the
use case issued before the lean path of issue 14 in brackets:

- pass_gate, 15 (20): BEGIN; one SELECT of the project, locked, with the actor's roles,
  admin flag and whether anyone subscribes (`standing.locked_with_standing`); the gate's
  items with its target date, the risks (the gate judges them) and the open conditions
  (named decisions only for a gate that asks for them); the phase change's INSERT and the
  project's UPDATE; the audit chain's three; the passed gate's open item reminders
  cancelled (one UPDATE: the items were read with the verdict); the meetings that follow
  the phase re-planned (members, phase entries, their reminders, one INSERT).
- deciding vote whose go waits for its effective date, 17 (29): BEGIN; the project and
  the review, both locked, in one SELECT with whether anyone subscribes
  (`review.project_and_review`); the readiness (items, risks, conditions) whose risks also make the
  snapshot; the seats with their jäv in one SELECT; the vote's INSERT and audit event;
  the review's votes; the decision's INSERT, the review's one UPDATE (status and version)
  and audit event; one UPDATE cancelling the review's reminders (the voter's own need
  none of their own). A go re-plans no conditions (only a conditional go brings any).
- deciding vote that moves the phase at once, 27 (the above and the phase change, its
  audit event and reminder work as for pass_gate).
- bulk tick of one item for 8 units, 10 (11): the lookup; the unit tree with each unit's
  row of the item in one SELECT; one UPDATE of the rows; the readiness read models:
  one UPDATE of the cells (shifted alike for every unit) and one of the open items
  per wave the units are in (two here); the audit chain's three.

A change that adds a statement to one of these must say here why.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ItemStatus
from gatekeeper.definitions import load_catalog, shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import project as projects
from gatekeeper.services.reminders.planning import replan_project
from gatekeeper.services.rollout import bulk_tick
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.database import Database
from gatekeeper.store.reminders.tables import Reminder
from tests import rollout_factories as rollouts
from tests.factories import (
    AT_ONCE,
    IBIC_MEMBERS,
    IBIC_TARGETS,
    PROJEKTLEDARE,
    start_ibic,
    tick_gate,
)
from tests.reminder_rows import open_reminders
from tests.services.test_gate_pass import WORKFLOW, _without_approval
from tests.statement_count import budget, counted

PASS_BUDGET = 15
DECIDE_BUDGET = 17
DECIDE_AT_ONCE_BUDGET = 27
BULK_TICK_BUDGET = 10

KEY = "ibic-alingsas"
GATE = "forstudie-klar"
MOTIVATION = "Underlaget är genomgånget på styrgruppsmötet."


@pytest.fixture
def free(database: Database, clock: FixedClock, tmp_path: Path) -> Context:
    """A project on the inforande workflow whose förstudie gate has no approval policy."""
    catalog = load_catalog(
        [shipped_workflows_dir(), _without_approval(tmp_path, None)], [shipped_checklists_dir()]
    )
    ctx = Context(db=database, catalog=catalog, clock=clock)
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=KEY,
        name="Införande av IBIC",
        workflow_id=WORKFLOW,
        started_on=date(2026, 9, 1),
        gate_targets=IBIC_TARGETS,
        members=IBIC_MEMBERS,
    )
    return ctx


def _events(ctx: Context) -> int:
    with ctx.db.read() as session:
        return len(session.exec(select(AuditEvent.seq)).all())


def _as_if_planned_from_scratch(ctx: Context) -> set[tuple[Any, ...]]:
    """The reminders the daily full re-plan makes for the project with no rows at all."""
    with ctx.db.write() as session:
        session.execute(delete(Reminder))
    replan_project(ctx, KEY)
    return open_reminders(ctx)


def _seats(ctx: Context, review_id: int) -> list[str]:
    return [seat.member for seat in review_views.review_seats(ctx, KEY, review_id).seats]


def _vote(ctx: Context, member: str, review_id: int, **terms: Any) -> voting.VoteResult:
    return voting.cast_vote(
        ctx,
        Actor.user(member),
        project_key=KEY,
        review_id=review_id,
        motivation=MOTIVATION,
        **({"outcome": Outcome.GO} | terms),
    )


def test_a_gate_transition_stays_within_its_statement_budget(free: Context) -> None:
    tick_gate(free, KEY, GATE)
    before = _events(free)
    with counted(free) as statements:
        gates.pass_gate(free, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, motivation="Klar.")
    assert len(statements) <= budget(free, PASS_BUDGET), "\n".join(statements)
    assert _events(free) == before + 1
    assert any(s.startswith("INSERT INTO reminder") for s in statements)  # the meetings


def test_a_transition_leaves_the_reminders_a_replan_from_scratch_would(free: Context) -> None:
    """Passed with nothing ticked (an override): the gate's open items were reminded and
    are no more, the meetings of the new phase are; nothing else was re-planned, and a
    full re-plan of a project with no reminder rows makes the same set."""
    reminded = {
        str(item.row.id) for item in gates.gate_readiness(free, KEY, GATE).items if item.due_on
    }
    assert reminded & {r[6] for r in open_reminders(free)}
    gates.pass_gate(
        free,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id=GATE,
        motivation="Vi går vidare.",
        override_motivation="Styrgruppen tar risken.",
    )
    after = open_reminders(free)
    assert not reminded & {r[6] for r in after if r[5] == "checklist_item"}
    assert after == _as_if_planned_from_scratch(free)


def test_a_deciding_vote_stays_within_its_statement_budget(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, GATE)
    review = reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE)
    assert review.id is not None
    seats = _seats(ctx, review.id)
    for member in seats[:-1]:
        assert _vote(ctx, member, review.id).decision is None
    before = _events(ctx)
    with counted(ctx) as statements:
        decided = _vote(ctx, seats[-1], review.id).decision
    assert decided is not None and decided.effective_at is None  # the go waits for its day
    assert len(statements) <= budget(ctx, DECIDE_BUDGET), "\n".join(statements)
    assert _events(ctx) == before + 2  # the vote and the decision
    assert not [r for r in open_reminders(ctx) if r[5] == "review"]


def test_a_deciding_vote_that_moves_the_phase_stays_within_its_budget(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, GATE)
    review = reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, **AT_ONCE)
    assert review.id is not None
    seats = _seats(ctx, review.id)
    for member in seats[:-1]:
        _vote(ctx, member, review.id)
    with counted(ctx) as statements:
        decided = _vote(ctx, seats[-1], review.id).decision
    assert decided is not None and decided.to_phase != decided.from_phase
    assert len(statements) <= budget(ctx, DECIDE_AT_ONCE_BUDGET), "\n".join(statements)


def test_a_conditional_go_leaves_the_reminders_a_replan_from_scratch_would(
    ctx: Context,
) -> None:
    """A decision that moves the phase at once, with conditions, on a gate with open
    items: the items are handed over or cancelled, the conditions and the new phase's
    meetings reminded, all by the decision's subjects alone, as a re-plan from scratch."""
    start_ibic(ctx)
    tick_gate(ctx, KEY, GATE, mandatory_only=True)
    review = reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, **AT_ONCE)
    assert review.id is not None
    condition = voting.ConditionSpec(
        text="Utbildningsplanen kompletteras med nyanställda",
        owner=PROJEKTLEDARE.id,
        due_on=date(2027, 1, 29),
    )
    decided = None
    for member in _seats(ctx, review.id):
        decided = _vote(
            ctx,
            member,
            review.id,
            outcome=Outcome.CONDITIONAL_GO,
            conditions=[condition],
            override_motivation="Styrgruppen tar risken.",
        ).decision
        if decided is not None:
            break
    assert decided is not None and decided.to_phase != decided.from_phase
    after = open_reminders(ctx)
    assert {r[5] for r in after} >= {"condition"}
    assert after == _as_if_planned_from_scratch(ctx)


def test_a_bulk_tick_stays_within_its_statement_budget(ctx: Context) -> None:
    rollouts.start_rollout(ctx, kommuner=2, units_per_kommun=4)
    keys = rollouts.enhet_keys(rollouts.ROLLOUT_KEY, ctx)
    with counted(ctx) as statements:
        result = bulk_tick.bulk_update_items(
            ctx,
            rollouts.PROJEKTLEDARE,
            project_key=rollouts.ROLLOUT_KEY,
            item_id="utbildning-genomford",
            unit_keys=keys,
            status=ItemStatus.DONE,
            evidence="Dnr 2026/0412, utbildningsintyg",
        )
    assert result.done == tuple(keys) and not result.refused
    assert len(statements) <= budget(ctx, BULK_TICK_BUDGET), "\n".join(statements)
