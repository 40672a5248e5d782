"""Every shipped workflow runs end to end, read back from the database after every step."""

from __future__ import annotations

from datetime import date

import pytest

from gatekeeper.core.criteria.decisions_taken import DecisionsTaken
from gatekeeper.core.criteria.goals_measured import GoalsMeasured
from gatekeeper.core.followup.goal import GoalKind
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.definitions import (
    Catalog,
    load_catalog,
    shipped_checklists_dir,
    shipped_workflows_dir,
)
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.followup import goal as goals
from gatekeeper.services.followup import measurement as measurements
from gatekeeper.services.followup.goal_fields import GoalFields
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import project as projects
from tests.factories import BESTALLARE, PROJEKTLEDARE, approve_gate, tick_gate

SHIPPED = load_catalog([shipped_workflows_dir()], [shipped_checklists_dir()])


def _route(workflow: Workflow, laps: int) -> list[Gate]:
    """Gates in order from the initial phase: to the final phase, or `laps` times round a cycle."""
    route: list[Gate] = []
    phase = workflow.initial
    while len(route) < len(workflow.gates) * laps:
        leaving = workflow.gates_from(phase)
        if not leaving:
            break
        route.append(leaving[0])
        phase = leaving[0].dest
    return route


def _members(workflow: Workflow) -> list[projects.MemberSpec]:
    """The requester in a non-deciding role, and two people in each role that decides."""
    deciding = {g.approval.deciders for g in workflow.gates if g.approval}
    deciding |= {role for g in workflow.gates if g.approval for role in g.approval.required_roles}
    # The one who ticks: the projektledare where the workflow has one (the items' default
    # may_tick), else the first role that does not decide (the Danish forankringsteam).
    ids = [r.id for r in workflow.roles]
    leader_role = (
        "projektledare" if "projektledare" in ids else next(r for r in ids if r not in deciding)
    )
    members = [projects.MemberSpec(PROJEKTLEDARE.name, PROJEKTLEDARE.id, leader_role)]
    for role in sorted(deciding):
        for n in (1, 2):
            members.append(projects.MemberSpec(f"{role} {n}", f"{role}{n}@alingsas.se", role))
    return members


def _measure_what_the_gate_needs(ctx: Context, key: str, criterion: GoalsMeasured) -> None:
    """An effektmål of each kind asked for, measured at its passed mätpunkt."""
    for kind in criterion.kinds or (GoalKind.EFFEKTMAL,):
        goal_key = f"mal-{kind}"
        goals.add_goal(
            ctx,
            PROJEKTLEDARE,
            project_key=key,
            key=goal_key,
            fields=GoalFields(
                kind=GoalKind(kind),
                title=f"Målet ({kind}) följs upp",
                indicator="Andel anställda som gått utbildningen",
                unit="%",
                baseline="0",
                target="90",
                measure_points=(date(2026, 11, 1),),
            ),
        )
        measurements.record_measurement(
            ctx,
            PROJEKTLEDARE,
            project_key=key,
            goal=goal_key,
            measured_on=date(2026, 11, 2),
            value="64",
        )


def _decide_what_the_gate_needs(ctx: Context, key: str, gate: Gate, taken: set[str]) -> None:
    for criterion in gate.criteria:
        if isinstance(criterion, GoalsMeasured):
            _measure_what_the_gate_needs(ctx, key, criterion)
        if isinstance(criterion, DecisionsTaken):
            for needed in set(criterion.decisions) - taken:
                decisions.record_named_decision(
                    ctx,
                    BESTALLARE,
                    project_key=key,
                    key=needed,
                    title=f"Beslut: {needed}",
                    decided_on=date(2026, 11, 2),
                    reference="Dnr 2026.042 VON",
                )
                taken.add(needed)


@pytest.mark.parametrize("workflow_id", sorted({w.id for w in SHIPPED.workflows()}))
def test_shipped_workflow_runs_to_its_end(ctx: Context, catalog: Catalog, workflow_id: str) -> None:
    workflow = catalog.workflow(workflow_id)
    key = f"scenario-{workflow_id}"
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=key,
        name=f"Scenario {workflow.name}",
        workflow_id=workflow_id,
        organisation="Vård- och omsorgsförvaltningen, Alingsås kommun",
        members=_members(workflow),
    )
    cyclic = not any(phase.final for phase in workflow.phases)
    route = _route(workflow, laps=2 if cyclic else 1)
    taken: set[str] = set()
    visited = [workflow.initial]

    for lap_step, gate in enumerate(route):
        assert overviews.project_overview(ctx, key).project.phase == gate.source
        if lap_step % len(workflow.gates) == 0:
            taken = set()  # named decisions (the sigtepunkter) are per lap
        if gate.criteria:  # every lap starts with its checklists open
            assert not gates.gate_readiness(ctx, key, gate.id).verdict.passed
        tick_gate(ctx, key, gate.id)
        _decide_what_the_gate_needs(ctx, key, gate, taken)
        readiness = gates.gate_readiness(ctx, key, gate.id)
        assert readiness.verdict.passed, readiness.verdict.summary_sv()
        approve_gate(ctx, key, gate.id)
        visited.append(gate.dest)
        reloaded = overviews.project_overview(ctx, key)
        assert reloaded.project.phase == gate.dest
        assert [change.to_phase for change in reloaded.history] == visited

    if cyclic:
        assert visited[0] == visited[len(workflow.gates)] == visited[-1]
        assert overviews.project_overview(ctx, key).project.lap == 3  # two laps taken
    else:
        assert workflow.phase(visited[-1]).final
        assert not workflow.gates_from(visited[-1])
    assert audit_log.verify(ctx).ok
