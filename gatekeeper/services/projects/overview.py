"""The read side of projects: which projects a person sees, and one project in full.

`list_projects` answers who sees what (an administrator everything, anyone
else the projects they are a member of, narrowed by a token's project list);
`project_overview` gives one project with its workflow, members, gate target
dates and phase history, and `overview_in` the same inside a caller's read
transaction (the gate page and the project page build on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.phase_model import Workflow
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.projects.tables import GateTarget, PhaseChange, Project, ProjectMember


@dataclass(frozen=True)
class ProjectOverview:
    """A project with what a reader needs next to it."""

    project: Project
    workflow: Workflow
    members: tuple[ProjectMember, ...]
    gate_targets: dict[str, date]
    history: tuple[PhaseChange, ...]


def list_projects(ctx: Context, visible_to: Principal | None = None) -> list[Project]:
    """Every project (or those `visible_to` may see), newest first."""
    with ctx.db.read() as session:
        return list_projects_in(session=session, visible_to=visible_to)


def list_projects_in(*, session: Session, visible_to: Principal | None = None) -> list[Project]:
    """`list_projects` inside the caller's transaction."""
    statement = select(Project).order_by(col(Project.created_at).desc(), col(Project.id).desc())
    if visible_to is not None and not visible_to.is_admin:
        statement = statement.where(
            col(Project.id).in_(
                select(ProjectMember.project_id).where(ProjectMember.email == visible_to.email)
            )
        )
    if visible_to is not None and visible_to.projects is not None:
        statement = statement.where(col(Project.key).in_(sorted(visible_to.projects)))
    return list(session.exec(statement).all())


def project_overview(ctx: Context, project_key: str) -> ProjectOverview:
    """One project with its workflow, members, gate dates and phase history."""
    with ctx.db.read() as session:
        return overview_in(
            session=session, project=project_by_key(session=session, key=project_key)
        )


def overview_in(*, session: Session, project: Project) -> ProjectOverview:
    """`project_overview` inside the caller's transaction."""
    workflow = project_workflow(session=session, project=project)
    members = session.exec(
        select(ProjectMember)
        .where(ProjectMember.project_id == project.id)
        .order_by(col(ProjectMember.role), col(ProjectMember.name))
    ).all()
    targets = session.exec(
        select(GateTarget).where(GateTarget.project_id == project.id, GateTarget.lap == project.lap)
    ).all()
    history = session.exec(
        select(PhaseChange)
        .where(PhaseChange.project_id == project.id)
        .order_by(col(PhaseChange.at), col(PhaseChange.id))
    ).all()
    return ProjectOverview(
        project=project,
        workflow=workflow,
        members=tuple(members),
        gate_targets={target.gate_id: target.target_date for target in targets},
        history=tuple(history),
    )
