"""Who leads a project's weekly work: the projektledare, or an administrator.

Risks, the aktivitetsplan and the diarienummer of decisions are kept by the
project's projektledare (or an administrator, or gatekeeper itself, e.g. the
demo). A workflow without a projektledare role (the Danish forankring model
has a forankringsteam instead) leaves them to every member, as before. The
rule lives here once, so that the API, the pages and the controls the pages
show agree; everyone else reads.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.errors import PermissionDenied
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.projects.tables import Project, ProjectMember

LEADER_ROLE = "projektledare"


def may_lead_in(*, session: Session, project: Project, email: str) -> bool:
    """Whether the person with `email` is the project's projektledare or an administrator."""
    roles = [role.id for role in project_workflow(session=session, project=project).roles]
    member = select(ProjectMember.id).where(
        ProjectMember.project_id == project.id, ProjectMember.email == email
    )
    if LEADER_ROLE in roles:
        member = member.where(ProjectMember.role == LEADER_ROLE)
    leader = session.exec(member).first()
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


def may_lead(ctx: Context, project_key: str, email: str) -> bool:
    """`may_lead_in` in a read transaction of its own."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return may_lead_in(session=session, project=project, email=email)


def require_leader(*, session: Session, project: Project, actor: Actor, what: str) -> None:
    """Refuse anyone but the projektledare or an administrator (gatekeeper itself passes)."""
    if actor.kind is ActorKind.SYSTEM:
        return
    if not may_lead_in(session=session, project=project, email=actor.id):
        raise PermissionDenied(
            f"Bara projektledaren eller en administratör kan {what} i projektet {project.name}."
        )
