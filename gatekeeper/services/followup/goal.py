"""Goals and nyttor: add and revise them (the projektledare or an administrator).

A goal is an effektmål, projektmål or delmål (a delmål may belong to a goal
above it) or a nytta of the nyttoregister, whose nyttoansvarig is named with
an organisation since he or she usually sits in the receiving förvaltning.
Writes are allowed whatever the project's status: benefits are followed up
after the project has ended.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.followup import GoalCreated, GoalUpdated, GoalValues
from gatekeeper.core.followup.goal import GoalKind, parse_number
from gatekeeper.errors import Conflict, NotFound, ValidationFailed
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.followup.goal_fields import GoalFields, checked, goal_key, key_from
from gatekeeper.services.lookup import check_version, project_by_key
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.followup.goal_tables import Goal, Measurement
from gatekeeper.store.projects.tables import Project


def goal_values(goal: Goal, parent_key: str | None) -> GoalValues:
    """The goal as its events publish it."""
    return GoalValues(
        kind=goal.kind.value,
        parent=parent_key,
        title=goal.title,
        purpose=goal.purpose,
        indicator=goal.indicator,
        method=goal.method,
        unit=goal.unit,
        numeric=goal.numeric,
        baseline=goal.baseline,
        baseline_on=goal.baseline_on.isoformat() if goal.baseline_on else None,
        target=goal.target,
        target_on=goal.target_on.isoformat() if goal.target_on else None,
        responsible=goal.responsible,
        organisation=goal.organisation,
        measure_points=tuple(goal.measure_points),
    )


def fields_of(goal: Goal) -> GoalFields:
    """What a person stated about the goal, as the checks take it."""
    return GoalFields(
        kind=goal.kind,
        title=goal.title,
        purpose=goal.purpose,
        indicator=goal.indicator,
        method=goal.method,
        unit=goal.unit,
        numeric=goal.numeric,
        baseline=goal.baseline,
        baseline_on=goal.baseline_on,
        target=goal.target,
        target_on=goal.target_on,
        responsible=goal.responsible,
        organisation=goal.organisation,
        measure_points=tuple(date.fromisoformat(p) for p in goal.measure_points),
    )


def _apply(goal: Goal, fields: GoalFields) -> None:
    goal.kind = fields.kind
    goal.title = fields.title
    goal.purpose = fields.purpose
    goal.indicator = fields.indicator
    goal.method = fields.method
    goal.unit = fields.unit
    goal.numeric = fields.numeric
    goal.baseline = fields.baseline
    goal.baseline_on = fields.baseline_on
    goal.target = fields.target
    goal.target_on = fields.target_on
    goal.responsible = fields.responsible
    goal.organisation = fields.organisation
    goal.measure_points = [p.isoformat() for p in fields.measure_points]


def _parent(
    *,
    session: Session,
    project: Project,
    parent_key: str | None,
    kind: GoalKind,
    own_id: int | None,
) -> Goal | None:
    """The goal above a delmål, checked: the project's, not the goal itself, no circle."""
    if parent_key is None or parent_key == "":
        return None
    if kind is GoalKind.NYTTA:
        raise ValidationFailed("En nytta hör inte till något mål ovanför.", field="parent")
    parent = goal_by_key_in(session=session, project=project, key=parent_key, field="parent")
    seen: set[int | None] = set()
    above: Goal | None = parent
    while above is not None:
        if above.id == own_id or above.id in seen:
            raise ValidationFailed(
                "Ett mål kan inte ligga under sig självt eller under ett av sina delmål.",
                field="parent",
            )
        seen.add(above.id)
        above = session.get(Goal, above.parent_id) if above.parent_id is not None else None
    return parent


def goal_by_key_in(
    *, session: Session, project: Project, key: str, field: str | None = None, lock: bool = False
) -> Goal:
    """The project's goal `key`: NotFound, or with `field` a ValidationFailed naming it."""
    statement = select(Goal).where(Goal.project_id == project.id, Goal.key == key)
    if lock:
        statement = statement.with_for_update()
    goal = session.exec(statement).one_or_none()
    if goal is None:
        message = f"Målet '{key}' finns inte i projektet {project.name}."
        if field is not None:
            raise ValidationFailed(message, field=field)
        raise NotFound(message)
    return goal


def _parent_key(session: Session, goal: Goal) -> str | None:
    if goal.parent_id is None:
        return None
    parent = session.get(Goal, goal.parent_id)
    return parent.key if parent is not None else None


@audits_refusal("goal.create", object_type="project")
def add_goal(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    fields: GoalFields,
    key: str | None = None,
    parent: str | None = None,
) -> tuple[Goal, str | None]:
    """Add a goal or nytta (its key made from the title when none is given); answers the
    goal and the key of the goal above it."""
    fields = checked(fields)
    if key:
        key = goal_key(key)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="registrera mål")
        assert project.id is not None
        taken = session.exec(select(Goal.key).where(Goal.project_id == project.id)).all()
        if key and key in taken:
            raise Conflict(f"Det finns redan ett mål med nyckeln '{key}' i projektet.")
        above = _parent(
            session=session, project=project, parent_key=parent, kind=fields.kind, own_id=None
        )
        goal = Goal(
            project_id=project.id,
            key=key or key_from(fields.title, taken),
            kind=fields.kind,
            parent_id=above.id if above else None,
            title=fields.title,
            created_at=now,
            updated_at=now,
        )
        _apply(goal, fields)
        session.add(goal)
        session.flush()
        change.record(
            session,
            GoalCreated(object_id=goal.key, after=goal_values(goal, above.key if above else None)),
            by=actor,
            at=now,
            project=project,
        )
        return goal, above.key if above else None


_UNSET: Any = object()


@audits_refusal("goal.update", object_type="goal", object_id="{project_key}/{key}")
def update_goal(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    key: str,
    changes: dict[str, Any],
    parent: str | None = _UNSET,
    expected_version: int | None = None,
) -> tuple[Goal, str | None]:
    """Revise a goal: `changes` maps GoalFields names to new values (absent: unchanged);
    `parent` "" or None takes a delmål out from under its goal."""
    unknown = set(changes) - set(GoalFields.__dataclass_fields__)
    if unknown:
        raise ValidationFailed(f"Okänt fält: {', '.join(sorted(unknown))}.", field=min(unknown))
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="ändra mål")
        goal = goal_by_key_in(session=session, project=project, key=key, lock=True)
        check_version(goal.row_version, expected_version, f"Målet '{goal.title}'")
        fields = checked(replace(fields_of(goal), **changes))
        if fields.numeric and not goal.numeric:
            _require_numeric_measurements(session, goal)
        before = goal_values(goal, _parent_key(session, goal))
        if parent is not _UNSET:
            above = _parent(
                session=session,
                project=project,
                parent_key=parent,
                kind=fields.kind,
                own_id=goal.id,
            )
            goal.parent_id = above.id if above else None
        elif fields.kind is GoalKind.NYTTA:
            goal.parent_id = None
        _apply(goal, fields)
        after = goal_values(goal, _parent_key(session, goal))
        if after == before:
            return goal, after.parent
        change.record(
            session,
            GoalUpdated(object_id=goal.key, before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=goal,
        )
        return goal, after.parent


def _require_numeric_measurements(session: Session, goal: Goal) -> None:
    """A text indicator made numeric keeps only if every value measured is a number."""
    values = session.exec(select(Measurement.value).where(Measurement.goal_id == goal.id)).all()
    if any(parse_number(v) is None for v in values):
        raise ValidationFailed(
            "Mätetalet kan inte bli numeriskt: några mätningar är inte tal.", field="numeric"
        )


def list_goals_in(*, session: Session, project: Project) -> list[Goal]:
    """The project's goals and nyttor in the order they were added."""
    return list(
        session.exec(select(Goal).where(Goal.project_id == project.id).order_by(col(Goal.id))).all()
    )


def list_goals(ctx: Context, project_key: str) -> list[tuple[Goal, str | None]]:
    """The project's goals, each with the key of the goal above it."""
    with ctx.db.read() as session:
        goals = list_goals_in(
            session=session, project=project_by_key(session=session, key=project_key)
        )
        keys = {goal.id: goal.key for goal in goals}
        return [(goal, keys.get(goal.parent_id)) for goal in goals]


def get_goal(ctx: Context, project_key: str, key: str) -> tuple[Goal, str | None]:
    """One goal of the project and the key of the goal above it (NotFound otherwise)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        goal = goal_by_key_in(session=session, project=project, key=key)
        return goal, _parent_key(session, goal)
