"""The reminder log of a project: what was planned, sent, failed or missed, and putting a
failure back.

A `Reminder` row is its own delivery log (attempts, last error, channels), so
this module only reads those rows for the project's members (newest first,
paged by id), counts them by status for the project page ("2 misslyckade
påminnelser"), lists the ones still to come and the missed ones (planned
after their day, so never sent), and lets a projektledare (or an
administrator) put a failed reminder back in the queue: pending now, attempts
from zero, with an audit event. The dispatcher (`services.reminder_dispatch`)
does the sending; nothing here sends anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.reminders import FailedState, ReminderRequeued, RequeuedState
from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.errors import Conflict, NotFound, PermissionDenied
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.projects.tables import Project, ProjectMember
from gatekeeper.store.reminders.tables import Reminder

MAX_PAGE = 500
REQUEUE_ROLE = "projektledare"
UPCOMING_SHOWN = 10  # on the project page
FAILED_SHOWN = 20
MISSED_SHOWN = 10
# Still to come: planned, being sent, waiting for another try, or paused with the project.
UPCOMING = (
    ReminderStatus.PENDING,
    ReminderStatus.CLAIMED,
    ReminderStatus.RETRYING,
    ReminderStatus.PAUSED,
)


def list_reminders(
    ctx: Context,
    project_key: str,
    *,
    status: ReminderStatus | None = None,
    kind: ReminderKind | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> tuple[list[Reminder], bool]:
    """One page of the project's reminders, newest first, and whether more follow.

    Pass the last row's id as `before_id` for the next page.
    """
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list_reminders_in(
            session=session,
            project=project,
            status=status,
            kind=kind,
            limit=limit,
            before_id=before_id,
        )


def list_reminders_in(
    *,
    session: Session,
    project: Project,
    status: ReminderStatus | None = None,
    kind: ReminderKind | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> tuple[list[Reminder], bool]:
    """`list_reminders` inside the caller's transaction."""
    limit = max(1, min(limit, MAX_PAGE))
    statement = select(Reminder).where(Reminder.project_id == project.id)
    if status is not None:
        statement = statement.where(Reminder.status == ReminderStatus(status))
    if kind is not None:
        statement = statement.where(Reminder.kind == ReminderKind(kind))
    if before_id is not None:
        statement = statement.where(col(Reminder.id) < before_id)
    rows = list(session.exec(statement.order_by(col(Reminder.id).desc()).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def upcoming(ctx: Context, project_key: str, *, limit: int = 20) -> list[Reminder]:
    """The project's reminders still to go out, the soonest first."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return upcoming_in(session=session, project=project, limit=limit)


def upcoming_in(*, session: Session, project: Project, limit: int = 20) -> list[Reminder]:
    """`upcoming` inside the caller's transaction."""
    return list(
        session.exec(
            select(Reminder)
            .where(Reminder.project_id == project.id, col(Reminder.status).in_(UPCOMING))
            .order_by(col(Reminder.next_attempt_at), col(Reminder.id))
            .limit(max(1, limit))
        )
    )


def status_counts(ctx: Context, project_key: str) -> dict[ReminderStatus, int]:
    """How many of the project's reminders are in each status (every status, zeros too)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return status_counts_in(session=session, project=project)


def status_counts_in(*, session: Session, project: Project) -> dict[ReminderStatus, int]:
    """`status_counts` inside the caller's transaction."""
    rows = session.exec(
        select(Reminder.status, func.count())
        .where(Reminder.project_id == project.id)
        .group_by(Reminder.status)
    ).all()
    counts = {status: 0 for status in ReminderStatus}
    for status, count in rows:
        counts[ReminderStatus(status)] = int(count)
    return counts


def may_requeue(ctx: Context, project_key: str, email: str) -> bool:
    """Whether `email` may put the project's failed reminders back (projektledare or admin)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return may_requeue_in(session=session, project=project, email=email)


@dataclass(frozen=True)
class ReminderSection:
    """What the project page shows of its reminders."""

    upcoming: tuple[Reminder, ...]
    failed: tuple[Reminder, ...]
    failed_count: int
    may_requeue: bool
    missed: tuple[Reminder, ...] = ()  # planned after their day: logged, never sent
    missed_count: int = 0


def reminder_section_in(*, session: Session, project: Project, viewer: str) -> ReminderSection:
    """The project page's Påminnelser section for `viewer` (an e-mail address)."""
    failed, _more = list_reminders_in(
        session=session, project=project, status=ReminderStatus.FAILED, limit=FAILED_SHOWN
    )
    missed, _more = list_reminders_in(
        session=session, project=project, status=ReminderStatus.MISSED, limit=MISSED_SHOWN
    )
    counts = status_counts_in(session=session, project=project)
    return ReminderSection(
        upcoming=tuple(upcoming_in(session=session, project=project, limit=UPCOMING_SHOWN)),
        failed=tuple(failed),
        failed_count=counts[ReminderStatus.FAILED],
        may_requeue=may_requeue_in(session=session, project=project, email=viewer),
        missed=tuple(sorted(missed, key=lambda r: (r.due_at, r.id or 0), reverse=True)),
        missed_count=counts[ReminderStatus.MISSED],
    )


def may_requeue_in(*, session: Session, project: Project, email: str) -> bool:
    """`may_requeue` inside the caller's transaction."""
    leader = session.exec(
        select(ProjectMember.id).where(
            ProjectMember.project_id == project.id,
            ProjectMember.email == email,
            ProjectMember.role == REQUEUE_ROLE,
        )
    ).first()
    if leader is not None:
        return True
    admin = session.exec(
        select(UserAccount.id).where(
            UserAccount.email == email,
            col(UserAccount.is_admin).is_(True),
            col(UserAccount.disabled_at).is_(None),
        )
    ).first()
    return admin is not None


def requeue(ctx: Context, actor: Actor, *, project_key: str, reminder_id: int) -> Reminder:
    """Put a failed reminder back in the queue: pending now, attempts from zero.

    Only the project's projektledare or an administrator may; a reminder that
    has not failed (or is being requeued by someone else at the same moment)
    is refused with `Conflict`.
    """
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        if not may_requeue_in(session=session, project=project, email=actor.id):
            raise PermissionDenied(
                "Bara projektledaren eller en administratör kan skicka en påminnelse igen."
            )
        reminder = session.exec(
            select(Reminder)
            .where(Reminder.id == reminder_id, Reminder.project_id == project.id)
            .with_for_update()
        ).one_or_none()
        if reminder is None:
            raise NotFound(f"Påminnelsen {reminder_id} finns inte i projektet {project.name}.")
        if reminder.status is not ReminderStatus.FAILED:
            raise Conflict(
                f"Påminnelsen {reminder_id} har inte misslyckats "
                f"(status: {reminder.status.value}); bara misslyckade påminnelser kan skickas igen."
            )
        before = FailedState(
            status=reminder.status.value,
            attempts=reminder.attempts,
            last_error=reminder.last_error,
        )
        reminder.status = ReminderStatus.PENDING
        reminder.attempts = 0
        reminder.next_attempt_at = now
        reminder.claimed_by = None
        reminder.claimed_until = None
        reminder.last_error = None
        reminder.updated_at = now
        session.add(reminder)
        session.flush()
        change.record(
            session,
            ReminderRequeued(
                object_id=str(reminder.id),
                before=before,
                after=RequeuedState(
                    status=ReminderStatus.PENDING.value, attempts=0, next_attempt_at=now.isoformat()
                ),
            ),
            by=actor,
            at=now,
            project_id=project.id,
        )
        return reminder
