"""Who leads a project's weekly work: the projektledare, or an administrator.

Risks, the aktivitetsplan and the diarienummer of decisions are kept by the
project's projektledare (or an administrator, or gatekeeper itself, e.g. the
demo). A workflow without a projektledare role (the Danish forankring model
has a forankringsteam instead) leaves them to every member, as before. The
rule lives here once, so that the API, the pages and the controls the pages
show agree; everyone else reads.
"""

from __future__ import annotations

from sqlmodel import Session

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.errors import PermissionDenied
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.standing import standing_in
from gatekeeper.store.projects.tables import Project

LEADER_ROLE = "projektledare"


def may_lead_in(*, session: Session, project: Project, email: str) -> bool:
    """Whether the person with `email` is the project's projektledare or an administrator
    (any member, in a workflow without a projektledare role)."""
    standing = standing_in(session=session, project=project, email=email)
    if standing.is_admin:
        return True
    roles = [role.id for role in project_workflow(session=session, project=project).roles]
    return standing.holds(LEADER_ROLE) if LEADER_ROLE in roles else bool(standing.roles)


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
