"""A project's members: give a person a role (or make them ersättare), take it away.

Roles are the workflow's; a person may hold several roles, once each. An
ersättare stands in for an ordinary member with the same role, so
`add_member` refuses a substitute for someone who does not hold it. Both
changes are recorded (`MemberAdded`, `MemberRemoved`) with the project locked.
"""

from __future__ import annotations

from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import (
    MemberAdded,
    MemberAddedState,
    MemberEntry,
    MemberRemoved,
)
from gatekeeper.errors import Conflict, NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.projects.project import role_or_invalid
from gatekeeper.store.projects.tables import ProjectMember


def add_member(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    name: str,
    email: str,
    role: str,
    substitute_for: str | None = None,
) -> ProjectMember:
    """Give a person a role in the project (as ersättare for `substitute_for`, if given)."""
    name = validation.text(name, field="name", label="Namnet", max_length=200)
    email = validation.email(email)
    if substitute_for is not None:
        substitute_for = validation.email(substitute_for, field="substitute_for")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        role_or_invalid(project_workflow(session=session, project=project), role)
        assert project.id is not None
        duplicate = session.exec(
            select(ProjectMember.id).where(
                ProjectMember.project_id == project.id,
                ProjectMember.email == email,
                ProjectMember.role == role,
            )
        ).first()
        if duplicate is not None:
            raise Conflict(f"{email} har redan rollen {role} i projektet.")
        if substitute_for is not None:
            principal = session.exec(
                select(ProjectMember.id).where(
                    ProjectMember.project_id == project.id,
                    ProjectMember.email == substitute_for,
                    ProjectMember.role == role,
                    col(ProjectMember.substitute_for).is_(None),
                )
            ).first()
            if principal is None:
                raise ValidationFailed(
                    f"{substitute_for} har inte rollen {role} i projektet; en ersättare "
                    "ersätter en ordinarie ledamot med samma roll.",
                    field="substitute_for",
                )
        member = ProjectMember(
            project_id=project.id,
            name=name,
            email=email,
            role=role,
            substitute_for=substitute_for,
            added_at=now,
        )
        session.add(member)
        session.flush()
        change.record(
            session,
            MemberAdded(
                object_id=f"{email}:{role}",
                after=MemberAddedState(
                    name=name, email=email, role=role, substitute_for=substitute_for
                ),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return member


def remove_member(ctx: Context, actor: Actor, *, project_key: str, email: str, role: str) -> None:
    """Take a role away from a person in the project."""
    email = validation.email(email)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        member = session.exec(
            select(ProjectMember).where(
                ProjectMember.project_id == project.id,
                ProjectMember.email == email,
                ProjectMember.role == role,
            )
        ).one_or_none()
        if member is None:
            raise NotFound(f"{email} har inte rollen {role} i projektet {project.name}.")
        session.delete(member)
        session.flush()
        change.record(
            session,
            MemberRemoved(
                object_id=f"{email}:{role}",
                before=MemberEntry(name=member.name, email=email, role=role),
            ),
            by=actor,
            at=now,
            project=project,
        )
