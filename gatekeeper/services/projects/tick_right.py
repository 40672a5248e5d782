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

from sqlalchemy import Select, String, and_, bindparam, select
from sqlmodel import Session, col

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.checklist import tick_roles
from gatekeeper.services.lookup import checklist_item, project_by_key, require_active
from gatekeeper.services.projects.standing import active_admin, standing_in
from gatekeeper.store.audit import outbox
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    Project,
    ProjectMember,
)


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


def _item_to_tick_statement() -> Select[Project, ChecklistItem, str, bool, bool]:
    """Built once (bound parameters): building a statement costs more than running it."""
    email = bindparam("email", type_=String)
    admin = active_admin(email)
    return (
        select(
            Project,
            ChecklistItem,
            col(ProjectMember.role),
            admin.label("is_admin"),
            outbox.any_subscription(Project.id).label("subscribed"),
        )
        .join(
            ChecklistInstance,
            and_(
                col(ChecklistInstance.project_id) == Project.id,
                col(ChecklistInstance.gate_id) == bindparam("gate_id"),
                col(ChecklistInstance.checklist_id) == bindparam("checklist_id"),
            ),
        )
        .join(
            ChecklistItem,
            and_(
                col(ChecklistItem.instance_id) == ChecklistInstance.id,
                col(ChecklistItem.item_id) == bindparam("item_id"),
            ),
        )
        .outerjoin(
            ProjectMember,
            and_(col(ProjectMember.project_id) == Project.id, col(ProjectMember.email) == email),
        )
        .where(col(Project.key) == bindparam("key"))
        .with_for_update(of=[Project, ChecklistItem])
    )


_ITEM_TO_TICK = _item_to_tick_statement()


def item_to_tick(
    *, session: Session, key: str, gate_id: str, checklist_id: str, item_id: str, actor: Actor
) -> tuple[Project, ChecklistItem, TickRight]:
    """The project `key` and its checklist item, both locked, and what `actor` may tick
    there: one statement.

    The same answer as `project_by_key(lock=True)`, `checklist_item(lock=True)` and
    `tick_right`, read in one round trip: the project and item rows with one row per role
    the person holds, the admin flag, and whether the project has webhook subscribers
    (which the outbox then need not ask). When nothing matches, the lookups run one by
    one, so an unknown project, an inactive one or an unknown item is refused as before.
    """
    system = actor.kind is ActorKind.SYSTEM
    rows = session.execute(
        _ITEM_TO_TICK,
        {
            "key": key,
            "gate_id": gate_id,
            "checklist_id": checklist_id,
            "item_id": item_id,
            "email": "" if system else actor.id,
        },
    ).all()
    if not rows:  # refused below, with the sentence that says what is missing
        project = project_by_key(session=session, key=key, lock=True)
        require_active(project)
        item = checklist_item(
            session=session,
            project=project,
            gate_id=gate_id,
            checklist_id=checklist_id,
            item_id=item_id,
            lock=True,
        )
        return project, item, tick_right(session=session, project=project, actor=actor)
    project, item = rows[0][0], rows[0][1]
    assert project.id is not None
    outbox.note_subscribed(session=session, project_id=project.id, subscribed=bool(rows[0][4]))
    if system:
        return project, item, TickRight(everything=True, roles=frozenset())
    roles = frozenset(row[2] for row in rows if row[2] is not None)
    return project, item, TickRight(everything=bool(rows[0][3]), roles=roles)
