"""Where a person stands in a project: the roles they hold there, and whether they
are an administrator (an active account with the admin flag).

The rules of who may do what (lead the weekly work, tick an item, move gate
dates, ask for a review, manage a rollout) each read this one answer instead
of asking the database again in their own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from gatekeeper.store.access.tables import UserAccount
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
    admin = session.exec(
        select(UserAccount.id).where(
            UserAccount.email == email,
            col(UserAccount.is_admin).is_(True),
            col(UserAccount.disabled_at).is_(None),
        )
    ).first()
    return Standing(roles=frozenset(roles), is_admin=admin is not None)
