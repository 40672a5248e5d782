"""A project's members: give a person a role (or make them ersättare), change it, take it away.

Roles are the workflow's; a person may hold several roles, once each. An
ersättare stands in for an ordinary member with the same role, so
`add_member` refuses a substitute for someone who does not hold it. Changes
are recorded (`MemberAdded`, `MemberRemoved`) with the project locked. Who
may change members: administrators, and holders of a role the workflow marks
`manages_members` (the projektledare unless the workflow says otherwise).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import (
    MemberAdded,
    MemberAddedState,
    MemberEntry,
    MemberRemoved,
)
from gatekeeper.core.phase_model import Workflow
from gatekeeper.errors import Conflict, NotFound, PermissionDenied, StaleVersion, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.projects.project import role_or_invalid
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.projects.tables import Project, ProjectMember

REFUSED = "Bara en administratör eller projektledaren får ändra projektets medlemmar."


def may_manage(*, session: Session, project: Project, principal: Principal) -> bool:
    """Whether `principal` may add, change and remove the project's members: admins, and
    holders of a role the workflow lets manage members (projektledare unless it says not).
    An admin's token limited to other projects is no admin here."""
    if principal.administers(project.key):
        return True
    workflow = project_workflow(session=session, project=project)
    managing = {role.id for role in workflow.roles if role.manages_members}
    return bool(managing) and (
        session.exec(
            select(ProjectMember.id).where(
                ProjectMember.project_id == project.id,
                ProjectMember.email == principal.email,
                col(ProjectMember.role).in_(sorted(managing)),
            )
        ).first()
        is not None
    )


def require_manager(*, session: Session, project: Project, principal: Principal | None) -> None:
    """Refuse (403) a caller who may not manage members; None is a trusted caller (the CLI)."""
    if principal is not None and not may_manage(
        session=session, project=project, principal=principal
    ):
        raise PermissionDenied(REFUSED)


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
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        return add_member_in(
            session,
            actor,
            project=project,
            name=name,
            email=email,
            role=role,
            substitute_for=substitute_for,
            now=ctx.clock.now(),
        )


def add_member_in(
    session: Session,
    actor: Actor,
    *,
    project: Project,
    name: str,
    email: str,
    role: str,
    substitute_for: str | None,
    now: datetime,
) -> ProjectMember:
    """`add_member` in the caller's transaction, on the project it has locked."""
    name = validation.text(name, field="name", label="Namnet", max_length=200)
    email = validation.email(email)
    if substitute_for is not None:
        substitute_for = validation.email(substitute_for, field="substitute_for")
    require_active(project)
    workflow = project_workflow(session=session, project=project)
    role_or_invalid(workflow, role)
    label = role_label(workflow, role)
    assert project.id is not None
    duplicate = session.exec(
        select(ProjectMember.id).where(
            ProjectMember.project_id == project.id,
            ProjectMember.email == email,
            ProjectMember.role == role,
        )
    ).first()
    if duplicate is not None:
        raise Conflict(f"{name} har redan rollen {label} i projektet.")
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
                f"Den du anger ersättare för har inte rollen {label} i projektet; en "
                "ersättare ersätter en ordinarie ledamot med samma roll.",
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


def role_label(workflow: Workflow, role: str) -> str:
    """The name of a role as people read it (the id if the workflow lacks it)."""
    return next((r.name for r in workflow.roles if r.id == role), role)


def _held(session: Session, project: Project, email: str, role: str) -> ProjectMember | None:
    return session.exec(
        select(ProjectMember).where(
            ProjectMember.project_id == project.id,
            ProjectMember.email == email,
            ProjectMember.role == role,
        )
    ).one_or_none()


@audits_refusal("member.remove", object_type="member", object_id="{email}:{role}")
def remove_member(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    email: str,
    role: str,
    manager: Principal | None = None,
) -> None:
    """Take a role away from a person in the project (`manager`: the caller, checked)."""
    email = validation.email(email)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_manager(session=session, project=project, principal=manager)
        require_active(project)
        member = _held(session, project, email, role)
        if member is None:
            raise NotFound(f"{email} har inte rollen {role} i projektet {project.name}.")
        _remove(session, actor, project, member, now)


def _remove(
    session: Session, actor: Actor, project: Project, member: ProjectMember, now: datetime
) -> None:
    session.delete(member)
    session.flush()
    change.record(
        session,
        MemberRemoved(
            object_id=f"{member.email}:{member.role}",
            before=MemberEntry(name=member.name, email=member.email, role=member.role),
        ),
        by=actor,
        at=now,
        project=project,
    )


@audits_refusal("member.change_role", object_type="member", object_id="{email}:{role}")
def change_role(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    email: str,
    role: str,
    new_role: str,
    manager: Principal | None = None,
) -> ProjectMember:
    """Give a member another role in place of `role` (recorded as a removal and an addition).

    `StaleVersion` when the person no longer holds `role` (the form was made
    before someone else changed it); an ersättare keeps standing in for the same
    member, so the new role must be that member's too.
    """
    email = validation.email(email)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_manager(session=session, project=project, principal=manager)
        require_active(project)
        member = _held(session, project, email, role)
        if member is None:
            raise StaleVersion(
                "Medlemmen har inte längre den rollen; någon annan har ändrat den. "
                "Ladda om sidan och försök igen."
            )
        if new_role == role:
            return member
        if (
            member.substitute_for is None
            and session.exec(
                select(ProjectMember.id).where(
                    ProjectMember.project_id == project.id,
                    ProjectMember.substitute_for == email,
                    ProjectMember.role == role,
                )
            ).first()
        ):
            label = role_label(project_workflow(session=session, project=project), role)
            raise ValidationFailed(
                f"{member.name} har en ersättare som {label}; ta bort ersättaren först.",
                field="role",
            )
        name, substitute_for = member.name, member.substitute_for
        _remove(session, actor, project, member, now)
        return add_member_in(
            session,
            actor,
            project=project,
            name=name,
            email=email,
            role=new_role,
            substitute_for=substitute_for,
            now=now,
        )
