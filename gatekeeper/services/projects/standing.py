"""Where a person stands in a project: the roles they hold there, and whether they
are an administrator (an active account with the admin flag).

The rules of who may do what (lead the weekly work, tick an item, move gate
dates, ask for a review, manage a rollout) each read this one answer instead
of asking the database again in their own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Exists, Select, String, and_, bindparam, exists
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.audit import outbox
from gatekeeper.store.projects.tables import Project, ProjectMember


@dataclass(frozen=True)
class Standing:
    """The roles a person holds in one project (as member or ersättare), and the admin flag."""

    roles: frozenset[str]
    is_admin: bool

    def holds(self, role: str) -> bool:
        return role in self.roles


def standing_in(*, session: Session, project: Project, email: str) -> Standing:
    """`email`'s standing in `project`, inside the caller's transaction."""
    roles = session.exec(
        select(ProjectMember.role).where(
            ProjectMember.project_id == project.id, ProjectMember.email == email
        )
    ).all()
    admin = session.execute(core_select(active_admin(bindparam("email", email)))).scalar_one()
    return Standing(roles=frozenset(roles), is_admin=bool(admin))


def active_admin(email: ColumnElement[str]) -> Exists:
    """Whether `email` is an administrator whose account is not disabled, as a clause."""
    return exists().where(
        col(UserAccount.email) == email,
        col(UserAccount.is_admin).is_(True),
        col(UserAccount.disabled_at).is_(None),
    )


def _locked_with_standing_statement() -> Select[Project, str, bool, bool]:
    """Built once (bound parameters): building a statement costs more than running it."""
    email = bindparam("email", type_=String)
    admin = active_admin(email)
    return (
        core_select(
            Project,
            col(ProjectMember.role),
            admin.label("is_admin"),
            outbox.any_subscription(Project.id).label("subscribed"),
        )
        .outerjoin(
            ProjectMember,
            and_(col(ProjectMember.project_id) == Project.id, col(ProjectMember.email) == email),
        )
        .where(col(Project.key) == bindparam("key"))
        .with_for_update(of=Project)
    )


_LOCKED_WITH_STANDING = _locked_with_standing_statement()
_EVERYTHING = Standing(roles=frozenset(), is_admin=True)


def locked_with_standing(*, session: Session, key: str, actor: Actor) -> tuple[Project, Standing]:
    """The project `key`, locked, and `actor`'s standing in it: one statement.

    The same answer as `project_by_key(lock=True)` and `standing_in` (gatekeeper itself
    stands as an administrator), read in one round trip along with whether the project
    has webhook subscribers (handed to the outbox, which then need not ask). An unknown
    project is refused by `project_by_key`, in its words.
    """
    system = actor.kind is ActorKind.SYSTEM
    rows = session.execute(
        _LOCKED_WITH_STANDING, {"key": key, "email": "" if system else actor.id}
    ).all()
    if not rows:  # refused here, with the sentence that says what is missing
        project = project_by_key(session=session, key=key, lock=True)
        return project, standing_in(session=session, project=project, email=actor.id)
    project = rows[0][0]
    assert project.id is not None
    outbox.note_subscribed(session=session, project_id=project.id, subscribed=bool(rows[0][3]))
    if system:
        return project, _EVERYTHING
    roles = frozenset(row[1] for row in rows if row[1] is not None)
    return project, Standing(roles=roles, is_admin=bool(rows[0][2]))
