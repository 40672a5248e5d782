"""The aktivitetsplan: activities with start, slut, ansvarig, status and kommentar.

The seeds' plans write a postponed activity as "Skjuts till 2024": the status
`postponed` carries the date it is moved to (`postponed_to`), and only that
status does. Dates stay in order: an activity never ends before it starts.
"""

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
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.projects.tables import Activity, Project

COMMENT_LENGTH = 2000


def _state(activity: Activity) -> ActivityState:
    return ActivityState(
        title=activity.title,
        start=activity.start.isoformat() if activity.start else None,
        end=activity.end.isoformat() if activity.end else None,
        responsible=activity.responsible,
        status=activity.status.value,
        comment=activity.comment,
        postponed_to=activity.postponed_to.isoformat() if activity.postponed_to else None,
    )


def _check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationFailed(
            f"Aktiviteten slutar ({end.isoformat()}) före den börjar ({start.isoformat()}).",
            field="end",
        )


def _check_postponement(status: ActivityStatus, postponed_to: date | None) -> None:
    if status is ActivityStatus.POSTPONED and postponed_to is None:
        raise ValidationFailed(
            "Ange datumet aktiviteten skjuts till (status Skjuts till …).", field="postponed_to"
        )
    if status is not ActivityStatus.POSTPONED and postponed_to is not None:
        raise ValidationFailed(
            "Ett datum att skjuta till anges bara med status Skjuts till …", field="postponed_to"
        )


@audits_refusal("activity.create", object_type="project")
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
    comment: str = "",
    postponed_to: date | None = None,
) -> Activity:
    """Add an activity to the project's aktivitetsplan (the projektledare or an administrator)."""
    title = validation.text(title, field="title", label="Aktiviteten", max_length=300)
    status = ActivityStatus(status)
    _check_dates(start, end)
    _check_postponement(status, postponed_to)
    comment = validation.text(
        comment, field="comment", label="Kommentaren", max_length=COMMENT_LENGTH, required=False
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_leader(session=session, project=project, actor=actor, what="ändra aktivitetsplanen")
        require_active(project)
        assert project.id is not None
        activity = Activity(
            project_id=project.id,
            title=title,
            start=start,
            end=end,
            responsible=responsible.strip(),
            status=status,
            comment=comment,
            postponed_to=postponed_to,
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


@audits_refusal("activity.update", object_type="activity", object_id="{activity_id}")
def update_activity(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    activity_id: int,
    title: str | None = None,
    status: ActivityStatus | None = None,
    start: date | None = None,
    end: date | None = None,
    responsible: str | None = None,
    comment: str | None = None,
    postponed_to: date | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Change an activity's status, dates, owner or kommentar; only given fields change.

    A new status other than `postponed` clears the date a postponed activity
    was moved to; `postponed_to` is refused with any other status.
    """
    if title is not None:
        title = validation.text(title, field="title", label="Aktiviteten", max_length=300)
    if comment is not None:
        comment = validation.text(
            comment, field="comment", label="Kommentaren", max_length=COMMENT_LENGTH, required=False
        )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_leader(session=session, project=project, actor=actor, what="ändra aktivitetsplanen")
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
        if title is not None:
            activity.title = title
        if status is not None:
            activity.status = ActivityStatus(status)
            if activity.status is not ActivityStatus.POSTPONED and postponed_to is None:
                activity.postponed_to = None
        if postponed_to is not None:
            activity.postponed_to = postponed_to
        if start is not None:
            activity.start = start
        if end is not None:
            activity.end = end
        if responsible is not None:
            activity.responsible = responsible.strip()
        if comment is not None:
            activity.comment = comment
        _check_dates(activity.start, activity.end)
        if status is not None or postponed_to is not None:
            _check_postponement(activity.status, activity.postponed_to)
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
        return activity_in(session=session, project=project, activity_id=activity_id)


def activity_in(*, session: Session, project: Project, activity_id: int) -> Activity:
    """`get_activity` inside the caller's transaction."""
    activity = session.exec(
        select(Activity).where(Activity.id == activity_id, Activity.project_id == project.id)
    ).one_or_none()
    if activity is None:
        raise NotFound(f"Aktiviteten {activity_id} finns inte i projektet {project.name}.")
    return activity
