"""Measurements: record and correct the values measured for a goal or nytta.

A measurement names its goal by key; a goal the project does not have, a
value that is no number for a numeric indicator, or a date in the future is
refused with a Swedish sentence naming the field, and nothing is saved.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.followup import (
    MeasurementRecorded,
    MeasurementUpdated,
    MeasurementValues,
)
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.followup.goal import goal_by_key_in
from gatekeeper.services.followup.goal_fields import measured_number
from gatekeeper.services.lookup import check_version, project_by_key
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.followup.goal_tables import Goal, Measurement
from gatekeeper.store.projects.tables import Project


def _values(measurement: Measurement, goal: Goal) -> MeasurementValues:
    return MeasurementValues(
        goal=goal.key,
        measured_on=measurement.measured_on.isoformat(),
        value=measurement.value,
        source=measurement.source,
        comment=measurement.comment,
    )


def _value(goal: Goal, value: str) -> str:
    cleaned = validation.text(value, field="value", label="Värdet", max_length=200)
    if goal.numeric:
        return measured_number(cleaned, field="value", label="Värdet")
    return cleaned


def _day(measured_on: date, today: date) -> date:
    if measured_on > today:
        raise ValidationFailed(
            f"Mätdatumet {measured_on.isoformat()} har inte kommit än: en mätning "
            "registreras när den är gjord.",
            field="measured_on",
        )
    return measured_on


def _text(value: str, field: str, label: str, max_length: int) -> str:
    return validation.text(value, field=field, label=label, max_length=max_length, required=False)


@audits_refusal("measurement.create", object_type="project")
def record_measurement(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    goal: str,
    measured_on: date,
    value: str,
    source: str = "",
    comment: str = "",
) -> Measurement:
    """Record a value measured for the project's goal `goal` (its key)."""
    today = ctx.today()
    measured_on = _day(measured_on, today)
    source = _text(source, "source", "Källan", 500)
    comment = _text(comment, "comment", "Kommentaren", 4000)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="registrera mätningar")
        row = goal_by_key_in(session=session, project=project, key=goal, field="goal")
        assert project.id is not None and row.id is not None
        measurement = Measurement(
            project_id=project.id,
            goal_id=row.id,
            measured_on=measured_on,
            value=_value(row, value),
            source=source,
            comment=comment,
            recorded_by=actor.id,
            created_at=now,
            updated_at=now,
        )
        session.add(measurement)
        session.flush()
        change.record(
            session,
            MeasurementRecorded(
                object_id=f"{row.key}/{measurement.id}", after=_values(measurement, row)
            ),
            by=actor,
            at=now,
            project=project,
        )
        return measurement


@audits_refusal(
    "measurement.update", object_type="measurement", object_id="{project_key}/{measurement_id}"
)
def update_measurement(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    measurement_id: int,
    measured_on: date | None = None,
    value: str | None = None,
    source: str | None = None,
    comment: str | None = None,
    expected_version: int | None = None,
) -> tuple[Measurement, Goal]:
    """Correct a measurement (only given fields change); answers it with its goal."""
    if measured_on is not None:
        measured_on = _day(measured_on, ctx.today())
    if source is not None:
        source = _text(source, "source", "Källan", 500)
    if comment is not None:
        comment = _text(comment, "comment", "Kommentaren", 4000)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="ändra mätningar")
        measurement, goal = _measurement_in(
            session=session, project=project, measurement_id=measurement_id, lock=True
        )
        check_version(measurement.row_version, expected_version, "Mätningen")
        before = _values(measurement, goal)
        if measured_on is not None:
            measurement.measured_on = measured_on
        if value is not None:
            measurement.value = _value(goal, value)
        if source is not None:
            measurement.source = source
        if comment is not None:
            measurement.comment = comment
        after = _values(measurement, goal)
        if after == before:
            return measurement, goal
        change.record(
            session,
            MeasurementUpdated(
                object_id=f"{goal.key}/{measurement.id}", before=before, after=after
            ),
            by=actor,
            at=now,
            project=project,
            row=measurement,
        )
        return measurement, goal


def _measurement_in(
    *, session: Session, project: Project, measurement_id: int, lock: bool = False
) -> tuple[Measurement, Goal]:
    statement = (
        select(Measurement, Goal)
        .join(Goal)
        .where(Measurement.id == measurement_id, Measurement.project_id == project.id)
    )
    if lock:
        statement = statement.with_for_update()
    row = session.exec(statement).one_or_none()
    if row is None:
        raise NotFound(f"Mätningen {measurement_id} finns inte i projektet {project.name}.")
    return row[0], row[1]


def get_measurement(
    ctx: Context, project_key: str, measurement_id: int
) -> tuple[Measurement, Goal]:
    """One measurement of the project with its goal (NotFound otherwise)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return _measurement_in(session=session, project=project, measurement_id=measurement_id)


def measurements_in(
    *, session: Session, project: Project, goal: str | None = None
) -> list[tuple[Measurement, Goal]]:
    """The project's measurements (of one goal, by key) by goal, then date."""
    statement = select(Measurement, Goal).join(Goal).where(Measurement.project_id == project.id)
    if goal is not None:
        statement = statement.where(Goal.key == goal)
    statement = statement.order_by(col(Goal.id), col(Measurement.measured_on), col(Measurement.id))
    return [(m, g) for m, g in session.exec(statement).all()]


def list_measurements(
    ctx: Context, project_key: str, goal: str | None = None
) -> list[tuple[Measurement, Goal]]:
    """`measurements_in` in a read transaction of its own (a goal it lacks: NotFound)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        if goal is not None:
            goal_by_key_in(session=session, project=project, key=goal)
        return measurements_in(session=session, project=project, goal=goal)
