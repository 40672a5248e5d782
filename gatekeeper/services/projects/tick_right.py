"""Who may tick a checklist item of a project: the one rule for the pages and the API.

An item's responsible role may tick it, and so may the roles its checklist's
YAML names (`may_tick`, copied onto the item when the project started) or, by
default, the projektledare. Administrators always may, and so
does gatekeeper itself (the demo, a gate decision's handover). Everybody else,
an advisory referensgrupp or a styrgrupp member not named, reads only: the page
shows them no form and the use case refuses them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.checklist import tick_roles
from gatekeeper.services.projects.standing import standing_in
from gatekeeper.store.projects.tables import ChecklistItem, Project


class TickRight:
    """What one person may tick in one project (worked out once per request)."""

    def __init__(self, *, everything: bool, roles: frozenset[str]) -> None:
        self.everything = everything
        self.roles = roles

    def allows(self, item: ChecklistItem) -> bool:
        """Whether the person may tick, untick or set `item` not applicable."""
        return self.everything or bool(self.roles & tick_roles(item.responsible, item.may_tick))

    def of(self, items: Iterable[ChecklistItem]) -> frozenset[int]:
        """The row ids of the `items` the person may tick."""
        return frozenset(item.id for item in items if item.id is not None and self.allows(item))


def tick_right(*, session: Session, project: Project, actor: Actor) -> TickRight:
    """The roles `actor` holds in `project` (as member or ersättare), or all rights for
    an administrator and for gatekeeper itself."""
    if actor.kind is ActorKind.SYSTEM:
        return TickRight(everything=True, roles=frozenset())
    standing = standing_in(session=session, project=project, email=actor.id)
    return TickRight(everything=standing.is_admin, roles=standing.roles)
