"""A person's in-app inbox (Inkorg): their reminders as messages, read and unread.

The dispatcher writes one `InboxMessage` per reminder (exactly once); here
its recipient lists them (unread first, then newest), counts the unread ones
for the site header, and marks them read. A person sees and marks only their
own messages: someone else's message id is `NotFound`, exactly like one that
does not exist. A caller limited to some projects (an API token) sees only
those projects' messages. Marking a message read is the person's own state,
not a change to a project, so it writes no audit event.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import case, func, update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.reminders.tables import InboxMessage

DEFAULT_LIMIT = 500


@dataclass(frozen=True)
class InboxEntry:
    """A message and the project it concerns."""

    message: InboxMessage
    project_key: str
    project_name: str

    @property
    def unread(self) -> bool:
        return self.message.read_at is None


def _project_ids(session: Session, projects: Collection[str] | None) -> list[int] | None:
    if projects is None:
        return None
    ids = session.exec(select(Project.id).where(col(Project.key).in_(sorted(projects)))).all()
    return [i for i in ids if i is not None]


def _mine(
    statement: SelectOfScalar[InboxMessage], email: str, project_ids: list[int] | None
) -> SelectOfScalar[InboxMessage]:
    statement = statement.where(InboxMessage.recipient_email == email.strip().lower())
    if project_ids is not None:
        statement = statement.where(col(InboxMessage.project_id).in_(project_ids))
    return statement


def messages(
    ctx: Context,
    email: str,
    *,
    unread_only: bool = False,
    projects: Collection[str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[InboxEntry]:
    """The person's messages: unread first, then newest first (at most `limit`)."""
    with ctx.db.read() as session:
        statement = _mine(select(InboxMessage), email, _project_ids(session, projects))
        if unread_only:
            statement = statement.where(col(InboxMessage.read_at).is_(None))
        unread_first = case((col(InboxMessage.read_at).is_(None), 0), else_=1)
        rows = session.exec(
            statement.order_by(
                unread_first, col(InboxMessage.created_at).desc(), col(InboxMessage.id).desc()
            ).limit(max(1, limit))
        ).all()
        names = {
            project.id: project
            for project in session.exec(
                select(Project).where(col(Project.id).in_({row.project_id for row in rows}))
            )
        }
    return [InboxEntry(row, names[row.project_id].key, names[row.project_id].name) for row in rows]


def unread_count(ctx: Context, email: str, *, projects: Collection[str] | None = None) -> int:
    """How many of the person's messages are unread (the header's "Inkorg (3)")."""
    with ctx.db.read() as session:
        project_ids = _project_ids(session, projects)
        statement = select(func.count()).select_from(InboxMessage)
        statement = statement.where(
            InboxMessage.recipient_email == email.strip().lower(),
            col(InboxMessage.read_at).is_(None),
        )
        if project_ids is not None:
            statement = statement.where(col(InboxMessage.project_id).in_(project_ids))
        return int(session.exec(statement).one())


def mark_read(
    ctx: Context, email: str, message_id: int, *, projects: Collection[str] | None = None
) -> InboxEntry:
    """Mark one of the person's messages read (again: keeps the first time it was read)."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        statement = _mine(
            select(InboxMessage).where(InboxMessage.id == message_id),
            email,
            _project_ids(session, projects),
        )
        message = session.exec(statement).one_or_none()
        if message is None:
            raise NotFound(f"Meddelandet {message_id} finns inte i din inkorg.")
        if message.read_at is None:
            message.read_at = now
            session.add(message)
            session.flush()
        project = session.get(Project, message.project_id)
        assert project is not None
        return InboxEntry(message, project.key, project.name)


def mark_all_read(ctx: Context, email: str, *, projects: Collection[str] | None = None) -> int:
    """Mark every unread message of the person read; how many were."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project_ids = _project_ids(session, projects)
        statement = update(InboxMessage).where(
            col(InboxMessage.recipient_email) == email.strip().lower(),
            col(InboxMessage.read_at).is_(None),
        )
        if project_ids is not None:
            statement = statement.where(col(InboxMessage.project_id).in_(project_ids))
        result = session.exec(
            statement.values(read_at=now).execution_options(synchronize_session=False)
        )
        return int(result.rowcount)
