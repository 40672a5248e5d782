"""Scenario `gate_transition`: gate transitions through the service layer, one per transaction.

The headline figure is `services.gates.pass_gate` on a gate without an
approval policy: lock the project row, judge every criterion of the gate from
the project's rows (items with deadlines, risks, decisions, open conditions),
ask the phase engine to move, write the phase change with its verdict and the
`phase.changed` audit event (hash chain), commit. Every shipped gate has an
approval policy, so the project runs on a copy of the shipped `inforande`
workflow whose first gate has none (`inforande-utan-beslut`). Projects are
prepared beforehand (created through the use case, their items ticked with
one UPDATE); only the transitions are timed, one project after another.

Goals (issue 14): at least 0.25× the plain SQLModel one-row add+commit of the
same run, and at least 2× the ~550 persisted gate steps/s of a peer BPMN
engine on the same machine (1,100/s). Next to it: a gate decided by its
deciding vote (`voting.cast_vote` → `outcomes.decide`: the vote, the tally,
the register entry, the phase change and their audit events, one
transaction) on the shipped workflow, goal ≥ 0.2× the same add+commit.
Reminder rows written by the timed part are counted. Diagnostics on further,
untimed transitions and votes: statements per operation and where the time
goes (`benchmarks.diagnose`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from benchmarks import diagnose
from benchmarks.harness import Bench, Figure, Goal, goal14, scenario, time_each
from benchmarks.scenarios.common import context, tick_everything
from gatekeeper.core.actor import Actor
from gatekeeper.core.outcome import Outcome
from gatekeeper.definitions import shipped_workflows_dir
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import project as projects
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.projects.tables import PhaseChange
from gatekeeper.store.reminders.tables import Reminder
from tests.factories import IBIC_MEMBERS, IBIC_TARGETS, PROJEKTLEDARE, STYRGRUPP

WORKFLOW = "inforande-utan-beslut"
GATE = "forstudie-klar"
PEER_STEPS = 550.0  # persisted gate steps/s of the peer BPMN engine (issue 14)
WARMUP = 3
STATEMENTS = 5  # untimed operations whose statements are counted


def workflow_without_approval(folder: Path) -> Path:
    """The shipped inforande workflow, renamed, with no approval policy on its first gate."""
    source = (shipped_workflows_dir() / "inforande.yaml").read_text(encoding="utf-8")
    source = source.replace("id: inforande\n", f"id: {WORKFLOW}\n", 1)
    gate_at = source.index(f"  - id: {GATE}\n")
    approval = re.compile(r"    approval:\n(?:      .*\n)+")
    found = approval.search(source, gate_at)
    assert found is not None, "the shipped workflow's first gate has no approval block"
    source = source[: found.start()] + source[found.end() :]
    directory = folder / "workflows"
    directory.mkdir()
    (directory / f"{WORKFLOW}.yaml").write_text(source, encoding="utf-8")
    return directory


def start_projects(ctx: Context, prefix: str, workflow_id: str, count: int) -> list[str]:
    """`count` IBIC-shaped projects on `workflow_id`; their keys."""
    keys = [f"{prefix}-{n:04d}" for n in range(count)]
    for n, key in enumerate(keys):
        projects.create_project(
            ctx,
            PROJEKTLEDARE,
            key=key,
            name=f"Införande av IBIC, kommun {n + 1}",
            workflow_id=workflow_id,
            organisation=f"Vård- och omsorgsförvaltningen, kommun {n + 1}",
            started_on=date(2026, 9, 1),
            gate_targets=IBIC_TARGETS,
            members=IBIC_MEMBERS,
        )
    return keys


def _count(ctx: Context, table: type[AuditEvent] | type[Reminder]) -> int:
    with ctx.db.read() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def _passed(ctx: Context) -> int:
    with ctx.db.read() as session:
        return session.exec(
            select(func.count()).select_from(PhaseChange).where(PhaseChange.gate_id == GATE)
        ).one()


def _transition(ctx: Context, keys: list[str]) -> Callable[[int], object]:
    def transition(n: int) -> None:
        gates.pass_gate(
            ctx,
            PROJEKTLEDARE,
            project_key=keys[n],
            gate_id=GATE,
            motivation="Förstudien är klar; alla kriterier uppfyllda.",
        )

    return transition


def pass_gates(bench: Bench, ctx: Context, count: int) -> list[Figure]:
    """pass_gate on prepared projects: the headline figure."""
    sampled = bench.count(20, 2)
    keys = start_projects(ctx, "grind", WORKFLOW, count + WARMUP + 1 + STATEMENTS + sampled)
    tick_everything(ctx, GATE)
    reminders_before, events_before = _count(ctx, Reminder), _count(ctx, AuditEvent)
    transition = _transition(ctx, keys)

    samples = time_each(transition, count, warmup=WARMUP)
    reminders = _count(ctx, Reminder) - reminders_before
    events = _count(ctx, AuditEvent) - events_before
    bench.heap(lambda: transition(count + WARMUP))
    done = count + WARMUP + 1
    statements = diagnose.statements(ctx.db.engine, lambda n: transition(done + n), STATEMENTS)
    shares = diagnose.time_shares(lambda n: transition(done + STATEMENTS + n), sampled)
    if _passed(ctx) != len(keys):
        raise AssertionError("not every prepared project passed the gate")
    bench.note(
        f"pass_gate: {events / (count + WARMUP):.1f} audit events and "
        f"{reminders / (count + WARMUP):.1f} reminder rows written per transition"
        + ("" if reminders else " (reminder planning is not part of pass_gate yet)")
    )
    return [
        Figure(
            "gate transitions/s (pass_gate: criteria, phase change, audit)",
            samples.per_second,
            "/s",
            goal=goal14(
                "≥ 0.25× SQLModel add+commit and ≥ 1,100/s (2× a peer BPMN engine's ~550 steps/s)",
                share_of_limit=0.25,
                at_least=2 * PEER_STEPS,
            ),
            limit="sqlmodel",
            diagnosis=f"{statements:.1f} statements and {reminders / (count + WARMUP):.0f} "
            f"reminder rows per transition; time: {diagnose.describe(shares)}",
        ),
        Figure("statements per transition (cursor executions)", statements, ""),
        Figure("pass_gate: median", samples.median, "ms"),
        Figure("pass_gate: p95", samples.p95, "ms"),
    ]


def without_reminder_planning(ctx: Context, count: int) -> list[Figure]:
    """Diagnostic: pass_gate with all reminder work (`planning.replan`, `forget`,
    `forget_gates`) switched off in this process.

    Not a figure of the product (a transition must plan its reminders); it
    splits the headline into the transition itself and the planning.
    """
    planning = sys.modules.get("gatekeeper.services.reminders.planning")
    switched = ("replan", "forget", "forget_gates")
    if planning is None or not all(hasattr(planning, name) for name in switched):
        return []
    keys = start_projects(ctx, "utan", WORKFLOW, count + WARMUP)
    tick_everything(ctx, GATE)
    kept = {name: getattr(planning, name) for name in switched}
    for name in switched:
        setattr(planning, name, lambda **_: 0)  # patched on purpose
    try:
        samples = time_each(_transition(ctx, keys), count, warmup=WARMUP)
    finally:
        for name, function in kept.items():
            setattr(planning, name, function)
    return [
        Figure(
            "pass_gate without reminder planning (diagnostic): median",
            samples.median,
            "ms",
            note="replan(), forget() and forget_gates() switched off in the benchmark process only",
        ),
        Figure(
            "pass_gate without reminder planning (diagnostic): per second",
            samples.per_second,
            "/s",
            limit="sqlmodel",
        ),
    ]


def _planning_share(with_planning: list[Figure], without: list[Figure]) -> list[Figure]:
    """How much a transition's reminder planning costs: with ÷ without, by the medians.

    The consequences of a phase change re-plan only what it brought into or out
    of reach (issue 12: at most 2×; re-planning the whole project cost ~7×).
    """
    medians = [f.value for f in with_planning if f.label == "pass_gate: median"]
    bare = [f.value for f in without if f.label.endswith("median")]
    if not medians or not bare or bare[0] <= 0:
        return []
    return [
        Figure(
            "pass_gate with reminder planning ÷ without (median)",
            medians[0] / bare[0],
            "×",
            goal=Goal("≤ 2×: a phase change re-plans only its subjects", below=2.0, issue=12),
            note="was ~7× when every transition re-planned the whole project",
        )
    ]


def deciding_votes(bench: Bench, ctx: Context, count: int) -> list[Figure]:
    """The last vote that decides a review on the shipped workflow: context for the headline."""
    sampled = bench.count(10, 2)
    keys = start_projects(ctx, "beslut", "inforande", count + WARMUP + STATEMENTS + sampled)
    tick_everything(ctx, GATE)
    last_seats: list[tuple[str, int, str]] = []
    for key in keys:
        review = reviews.request_review(ctx, PROJEKTLEDARE, project_key=key, gate_id=GATE)
        assert review.id is not None
        seats = [seat.member for seat in review_views.review_seats(ctx, key, review.id).seats]
        for member in seats[:-1]:
            voting.cast_vote(
                ctx,
                Actor.user(member),
                project_key=key,
                review_id=review.id,
                outcome=Outcome.GO,
                motivation="Underlaget är genomgånget på styrgruppsmötet.",
            )
        last_seats.append((key, review.id, seats[-1] if seats else STYRGRUPP.id))

    def decide(n: int) -> None:
        key, review_id, member = last_seats[n]
        result = voting.cast_vote(
            ctx,
            Actor.user(member),
            project_key=key,
            review_id=review_id,
            outcome=Outcome.GO,
            motivation="Underlaget är genomgånget på styrgruppsmötet.",
        )
        if result.decision is None:
            raise AssertionError(f"{key}: the last vote did not decide the review")

    samples = time_each(decide, count, warmup=WARMUP)
    done = count + WARMUP
    statements = diagnose.statements(ctx.db.engine, lambda n: decide(done + n), STATEMENTS)
    shares = diagnose.time_shares(lambda n: decide(done + STATEMENTS + n), sampled)
    return [
        Figure(
            "gate decisions/s by the deciding vote (cast_vote → decide)",
            samples.per_second,
            "/s",
            goal=goal14("≥ 0.2× SQLModel add+commit", share_of_limit=0.2),
            limit="sqlmodel",
            diagnosis=f"{statements:.1f} statements per deciding vote; time: "
            f"{diagnose.describe(shares)}",
        ),
        Figure("deciding vote: p95", samples.p95, "ms"),
        Figure("statements per deciding vote (cursor executions)", statements, ""),
    ]


@scenario("gate_transition", "Gate transitions through the service layer, one per transaction")
def gate_transition(bench: Bench) -> list[Figure]:
    """pass_gate per second against the SQLModel add+commit limit; the deciding vote beside it."""
    ctx = context(bench, workflows=[workflow_without_approval(bench.folder)])
    try:
        figures = pass_gates(bench, ctx, bench.count(60, 10))
        without = without_reminder_planning(ctx, bench.count(30, 3))
        figures += without + _planning_share(figures, without)
        figures += deciding_votes(bench, ctx, bench.count(20, 3))
    finally:
        ctx.db.dispose()
    return figures
