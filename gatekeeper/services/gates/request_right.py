"""Who may ask the deciders for a review of a gate: the one rule for the pages and the API.

The roles a gate's approval policy names (`requested_by` in the workflow's
YAML) may ask; without that key, the projektledare. A workflow without a
projektledare role (the Danish forankring model) leaves it to the roles the
gate's checklists let tick (`may_tick`: the forankringsteam), and, failing
those too, to every member, as before. Administrators always may, and so does
gatekeeper itself. An ersättare asks in the stead of the member they stand in
for. Everybody else, an advisory referensgrupp or a styrgrupp member, reads:
the page shows them no request form and the use case refuses them.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.checklist import MANAGER_ROLE
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.errors import PermissionDenied
from gatekeeper.services.projects.standing import standing_in
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    Project,
)


def requester_roles(
    *, session: Session, project: Project, workflow: Workflow, gate: Gate
) -> frozenset[str] | None:
    """The roles that may ask for a review of `gate` (None: every member may)."""
    if gate.approval is not None and gate.approval.requested_by:
        return frozenset(gate.approval.requested_by)
    if any(role.id == MANAGER_ROLE for role in workflow.roles):
        return frozenset({MANAGER_ROLE})
    tickers: set[str] = set()
    for may_tick in session.exec(
        select(ChecklistItem.may_tick)
        .join(ChecklistInstance, col(ChecklistInstance.id) == col(ChecklistItem.instance_id))
        .where(ChecklistInstance.project_id == project.id, ChecklistInstance.gate_id == gate.id)
    ).all():
        tickers.update(may_tick or ())
    return frozenset(tickers) or None


def may_request(
    *, session: Session, project: Project, workflow: Workflow, gate: Gate, actor: Actor
) -> bool:
    """Whether `actor` may ask for a review of `gate` in `project`."""
    if actor.kind is ActorKind.SYSTEM:
        return True
    standing = standing_in(session=session, project=project, email=actor.id)
    if standing.is_admin:
        return True
    held = standing.roles
    roles = requester_roles(session=session, project=project, workflow=workflow, gate=gate)
    return bool(held) if roles is None else bool(held & roles)


def requester_names(*, session: Session, project: Project, workflow: Workflow, gate: Gate) -> str:
    """The roles that may ask, by their names (`Projektledare`), for a refusal's wording."""
    roles = requester_roles(session=session, project=project, workflow=workflow, gate=gate)
    if roles is None:
        return "projektets medlemmar"
    names = [role.name for role in workflow.roles if role.id in roles]
    return ", ".join(names) if names else ", ".join(sorted(roles))


def require_requester(
    *, session: Session, project: Project, workflow: Workflow, gate: Gate, actor: Actor
) -> None:
    """Refuse (403) anyone who may not ask for a review of `gate`."""
    if not may_request(session=session, project=project, workflow=workflow, gate=gate, actor=actor):
        who = requester_names(session=session, project=project, workflow=workflow, gate=gate)
        raise PermissionDenied(
            f"{actor.name} får inte begära granskning av grinden '{gate.name}': "
            f"det gör {who} eller en administratör."
        )
