"""The read of the goals page ("Mål och nytta"): goals by kind, each measurement against
the last one, the baseline and the target, the next mätpunkt and the chart.

One read transaction gives everything the page shows one viewer, and whether
the viewer may add and change goals and measurements (the projektledare or an
administrator; `services/projects/leader`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.followup.chart import Chart, chart
from gatekeeper.core.followup.goal import (
    GOAL_KIND_SV,
    Comparison,
    GoalKind,
    compare,
    next_point,
)
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.followup.goal import list_goals_in
from gatekeeper.services.followup.measurement import measurements_in
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.leader import may_lead_in
from gatekeeper.store.followup.goal_tables import Goal, Measurement
from gatekeeper.store.projects.tables import Project, ProjectMember


@dataclass(frozen=True)
class MeasuredValue:
    """One measurement with what it means against the previous one, baseline and target."""

    row: Measurement
    comparison: Comparison


@dataclass(frozen=True)
class GoalEntry:
    """One goal or nytta as the page shows it."""

    goal: Goal
    parent: Goal | None
    measurements: tuple[MeasuredValue, ...]  # oldest first
    points: tuple[date, ...]
    next_point: date | None
    missed_points: tuple[date, ...]  # passed with no measurement on or after them
    chart: Chart | None

    @property
    def latest(self) -> MeasuredValue | None:
        return self.measurements[-1] if self.measurements else None


@dataclass(frozen=True)
class GoalGroup:
    kind: GoalKind
    label: str
    entries: tuple[GoalEntry, ...]


@dataclass(frozen=True)
class GoalsView:
    """What the goals page shows one viewer."""

    project: Project
    today: date
    may_edit: bool
    member_names: tuple[str, ...]
    groups: tuple[GoalGroup, ...]  # the kinds that have goals, in GoalKind's order

    @property
    def entries(self) -> tuple[GoalEntry, ...]:
        return tuple(entry for group in self.groups for entry in group.entries)

    def entry(self, key: str) -> GoalEntry:
        """One goal of the project (NotFound when it has none by that key)."""
        for entry in self.entries:
            if entry.goal.key == key:
                return entry
        raise NotFound(f"Målet '{key}' finns inte i projektet {self.project.name}.")

    def parents(self, key: str | None = None) -> tuple[Goal, ...]:
        """The goals a delmål may belong to (not nyttor, not `key` itself)."""
        return tuple(
            e.goal for e in self.entries if e.goal.kind is not GoalKind.NYTTA and e.goal.key != key
        )


def _entry(goal: Goal, parent: Goal | None, rows: list[Measurement], today: date) -> GoalEntry:
    measured: list[MeasuredValue] = []
    previous: str | None = None
    for row in rows:
        comparison = compare(
            row.value,
            previous=previous,
            baseline=goal.baseline,
            target=goal.target,
            numeric=goal.numeric,
        )
        measured.append(MeasuredValue(row, comparison))
        previous = row.value
    points = tuple(date.fromisoformat(p) for p in goal.measure_points)
    missed = tuple(p for p in points if p <= today and not any(r.measured_on >= p for r in rows))
    return GoalEntry(
        goal=goal,
        parent=parent,
        measurements=tuple(measured),
        points=points,
        next_point=next_point(points, today),
        missed_points=missed,
        chart=chart(
            [(r.measured_on, r.value) for r in rows],
            baseline=goal.baseline,
            target=goal.target,
            numeric=goal.numeric,
        ),
    )


def goals_view(ctx: Context, project_key: str, viewer: str) -> GoalsView:
    """The project's goals and nyttor with their measurements, as `viewer` (an e-mail) sees them."""
    today = ctx.today()
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        goals = list_goals_in(session=session, project=project)
        by_id = {goal.id: goal for goal in goals}
        rows: dict[int | None, list[Measurement]] = defaultdict(list)
        for measurement, goal in measurements_in(session=session, project=project):
            rows[goal.id].append(measurement)
        entries = [_entry(goal, by_id.get(goal.parent_id), rows[goal.id], today) for goal in goals]
        names = session.exec(
            select(ProjectMember.name).where(ProjectMember.project_id == project.id)
        ).all()
        groups = tuple(
            GoalGroup(kind, GOAL_KIND_SV[kind], tuple(e for e in entries if e.goal.kind is kind))
            for kind in GoalKind
            if any(e.goal.kind is kind for e in entries)
        )
        return GoalsView(
            project=project,
            today=today,
            may_edit=may_lead_in(session=session, project=project, email=viewer),
            member_names=tuple(sorted(set(names), key=swedish_sort_key)),
            groups=groups,
        )
