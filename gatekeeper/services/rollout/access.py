"""Who may change a rollout: managers of units and waves, and the införandeansvariga.

Waves and units are managed by the project's projektledare and by
administrators (and by gatekeeper itself, e.g. the demo). A unit's checklist
may also be ticked by its införandeansvarig, or by the införandeansvarig of a
unit above it (a kommun's införandeansvarig answers for its förvaltningar and
enheter). These rules live here once, so that single ticks, bulk ticks and the
web pages agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlmodel import Session

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.checklist import MANAGER_ROLE
from gatekeeper.errors import PermissionDenied
from gatekeeper.services.projects.standing import Standing, standing_in
from gatekeeper.store.projects.tables import Project


def may_manage(*, session: Session, project: Project, actor: Actor) -> bool:
    """Whether the actor manages the project's waves and units."""
    if actor.kind is ActorKind.SYSTEM:
        return True
    return manages(standing_in(session=session, project=project, email=actor.id))


def manages(standing: Standing) -> bool:
    """Whether one standing so (as `locked_with_standing` reads it) manages waves and units."""
    return standing.is_admin or standing.holds(MANAGER_ROLE)


def require_manager(*, session: Session, project: Project, actor: Actor) -> None:
    """Refuse anyone but the projektledare (or an administrator)."""
    if not may_manage(session=session, project=project, actor=actor):
        raise PermissionDenied(
            f"Bara projektledaren eller en administratör kan ändra vågor och enheter "
            f"i projektet {project.name}."
        )


def responsible_chain(
    unit_id: int, *, parents: Mapping[int, int | None], responsible: Mapping[int, str]
) -> Iterable[str]:
    """The e-mail of the införandeansvarig of the unit and of every unit above it."""
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:
        seen.add(current)
        email = responsible.get(current, "")
        if email:
            yield email
        current = parents.get(current)
