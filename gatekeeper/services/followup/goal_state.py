"""The project's goals as gate criteria see them (`GoalState`), for the gates' readiness."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import Session

from gatekeeper.core.criteria import GOAL_CRITERIA
from gatekeeper.core.followup.goal import GoalState, Reading
from gatekeeper.core.phase_model import Gate
from gatekeeper.services.followup.goal import list_goals_in
from gatekeeper.services.followup.measurement import measurements_in
from gatekeeper.store.projects.tables import Project


def goal_states_in(*, session: Session, project: Project) -> tuple[GoalState, ...]:
    """Every goal and nytta of the project with its measurements in date order."""
    readings: dict[int, list[Reading]] = defaultdict(list)
    for measurement, goal in measurements_in(session=session, project=project):
        assert goal.id is not None
        readings[goal.id].append(Reading(measurement.measured_on, measurement.value))
    return tuple(
        GoalState(
            key=goal.key,
            title=goal.title,
            kind=goal.kind,
            numeric=goal.numeric,
            baseline=goal.baseline,
            target=goal.target,
            measure_points=tuple(date.fromisoformat(p) for p in goal.measure_points),
            readings=tuple(readings.get(goal.id or 0, ())),
        )
        for goal in list_goals_in(session=session, project=project)
    )


def judges_goals(gate: Gate) -> bool:
    """Whether any criterion of the gate looks at the project's goals."""
    return any(getattr(c, "kind", "") in GOAL_CRITERIA for c in gate.criteria)
