"""The members page's data: a project's members by name with their role labels and
ersättare, the workflow's roles, and whether the reader may change them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.phase_model import Role
from gatekeeper.core.status import ProjectStatus
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.member import may_manage
from gatekeeper.store.projects.tables import Project, ProjectMember


@dataclass(frozen=True)
class MemberRow:
    """One role a person holds (an ersättare names the member they stand in for)."""

    name: str
    email: str
    role: str
    role_name: str
    substitute_for: str | None  # e-mail of the ordinary member
    substitute_for_name: str | None


@dataclass(frozen=True)
class MembersView:
    project: Project
    roles: tuple[Role, ...]
    members: tuple[MemberRow, ...]  # ordinary members first, each followed by their ersättare
    may_manage: bool
    active: bool

    @property
    def seats(self) -> tuple[MemberRow, ...]:
        """The ordinary members an ersättare can be named for."""
        return tuple(m for m in self.members if m.substitute_for is None)


def members_view(ctx: Context, principal: Principal, project_key: str) -> MembersView:
    """Everything the members page shows, read in one transaction."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        rows = session.exec(
            select(ProjectMember)
            .where(ProjectMember.project_id == project.id)
            .order_by(col(ProjectMember.name), col(ProjectMember.id))
        ).all()
        names = {row.email: row.name for row in rows}
        order = {role.id: position for position, role in enumerate(workflow.roles)}
        ordinary = sorted(
            (r for r in rows if r.substitute_for is None),
            key=lambda r: (order.get(r.role, len(order)), r.name),
        )
        members: list[MemberRow] = []
        placed: set[int | None] = set()
        for row in ordinary:
            members.append(_row(row, workflow.roles, names))
            placed.add(row.id)
            for sub in rows:
                if sub.substitute_for == row.email and sub.role == row.role:
                    members.append(_row(sub, workflow.roles, names))
                    placed.add(sub.id)
        members += [_row(r, workflow.roles, names) for r in rows if r.id not in placed]
        return MembersView(
            project=project,
            roles=workflow.roles,
            members=tuple(members),
            may_manage=may_manage(session=session, project=project, principal=principal),
            active=project.status is ProjectStatus.ACTIVE,
        )


def _row(row: ProjectMember, roles: tuple[Role, ...], names: dict[str, str]) -> MemberRow:
    label = next((r.name for r in roles if r.id == row.role), row.role)
    return MemberRow(
        name=row.name,
        email=row.email,
        role=row.role,
        role_name=label,
        substitute_for=row.substitute_for,
        substitute_for_name=names.get(row.substitute_for or "", row.substitute_for),
    )
