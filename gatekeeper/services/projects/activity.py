"""The aktivitetsplan: activities with start, slut, ansvarig and status."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import ActivityCreated, ActivityState, ActivityUpdated
from gatekeeper.core.status import ActivityStatus
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.store.projects.tables import Activity, Project


def _state(activity: Activity) -> ActivityState:
    return ActivityState(
        title=activity.title,
        start=activity.start.isoformat() if activity.start else None,
        end=activity.end.isoformat() if activity.end else None,
        responsible=activity.responsible,
        status=activity.status.value,
    )


def _check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationFailed(
            f"Aktiviteten slutar ({end.isoformat()}) före den börjar ({start.isoformat()}).",
            field="end",
        )


def add_activity(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    title: str,
    start: date | None = None,
    end: date | None = None,
    responsible: str = "",
    status: ActivityStatus = ActivityStatus.NOT_STARTED,
) -> Activity:
    """Add an activity to the project's aktivitetsplan."""
    title = validation.text(title, field="title", label="Aktiviteten", max_length=300)
    _check_dates(start, end)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_active(project)
        assert project.id is not None
        activity = Activity(
            project_id=project.id,
            title=title,
            start=start,
            end=end,
            responsible=responsible.strip(),
            status=ActivityStatus(status),
            created_at=now,
            updated_at=now,
        )
        session.add(activity)
        session.flush()
        change.record(
            session,
            ActivityCreated(object_id=str(activity.id), after=_state(activity)),
            by=actor,
            at=now,
            project=project,
        )
        return activity


def update_activity(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    activity_id: int,
    status: ActivityStatus | None = None,
    start: date | None = None,
    end: date | None = None,
    responsible: str | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Change an activity's status, dates or owner; only given fields change."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_active(project)
        activity = session.exec(
            select(Activity)
            .where(Activity.id == activity_id, Activity.project_id == project.id)
            .with_for_update()
        ).one_or_none()
        if activity is None:
            raise NotFound(f"Aktiviteten {activity_id} finns inte i projektet {project.name}.")
        check_version(activity.row_version, expected_version, f"Aktiviteten '{activity.title}'")
        before = _state(activity)
        if status is not None:
            activity.status = ActivityStatus(status)
        if start is not None:
            activity.start = start
        if end is not None:
            activity.end = end
        if responsible is not None:
            activity.responsible = responsible.strip()
        _check_dates(activity.start, activity.end)
        after = _state(activity)
        if after == before:
            return activity
        change.record(
            session,
            ActivityUpdated(object_id=str(activity.id), before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=activity,
        )
        return activity


def list_activities(ctx: Context, project_key: str) -> list[Activity]:
    """The aktivitetsplan in date order (undated last)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list_activities_in(session=session, project=project)


def list_activities_in(*, session: Session, project: Project) -> list[Activity]:
    """`list_activities` inside the caller's transaction."""
    rows = session.exec(
        select(Activity).where(Activity.project_id == project.id).order_by(col(Activity.id))
    ).all()
    return sorted(rows, key=lambda a: (a.start is None, a.start or date.min, a.id or 0))


def get_activity(ctx: Context, project_key: str, activity_id: int) -> Activity:
    """One activity of the project (NotFound when it is another project's)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        activity = session.exec(
            select(Activity).where(Activity.id == activity_id, Activity.project_id == project.id)
        ).one_or_none()
        if activity is None:
            raise NotFound(f"Aktiviteten {activity_id} finns inte i projektet {project.name}.")
        return activity
