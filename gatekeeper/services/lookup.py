"""Finding rows by the keys users and tools know, inside a transaction.

Each helper takes `session` as a keyword-only argument, raises `NotFound` with
a sentence a user understands, and never commits. `lock=True` takes a row lock
(`SELECT … FOR UPDATE` on PostgreSQL) so that two people changing the same
thing at once are serialised rather than one silently overwriting the other.
"""

from __future__ import annotations

from sqlmodel import Session, select

from gatekeeper.core.status import ProjectStatus, label_sv
from gatekeeper.errors import Conflict, NotFound, StaleVersion
from gatekeeper.store.projects.tables import ChecklistInstance, ChecklistItem, Project


def project_by_key(*, session: Session, key: str, lock: bool = False) -> Project:
    statement = select(Project).where(Project.key == key)
    if lock:
        statement = statement.with_for_update()
    project = session.exec(statement).one_or_none()
    if project is None:
        raise NotFound(f"Projektet '{key}' finns inte.")
    return project


def check_version(current: int, expected: int | None, what: str) -> None:
    """Refuse a change made on a stale copy (someone else changed it since it was read)."""
    if expected is not None and expected != current:
        raise StaleVersion(
            f"{what} har ändrats av någon annan sedan du läste den "
            f"(version {current}, du hade {expected}). Läs om och försök igen."
        )


def require_active(project: Project) -> None:
    """Refuse changes to a project that is paused, terminated or closed."""
    if project.status is not ProjectStatus.ACTIVE:
        raise Conflict(
            f"Projektet {project.name} är {label_sv(project.status).lower()} och kan inte ändras."
        )


def checklist_item(
    *,
    session: Session,
    project: Project,
    gate_id: str,
    checklist_id: str,
    item_id: str,
    lock: bool = False,
) -> ChecklistItem:
    statement = (
        select(ChecklistItem)
        .join(ChecklistInstance)
        .where(
            ChecklistInstance.project_id == project.id,
            ChecklistInstance.gate_id == gate_id,
            ChecklistInstance.checklist_id == checklist_id,
            ChecklistItem.item_id == item_id,
        )
    )
    if lock:
        statement = statement.with_for_update()
    item = session.exec(statement).one_or_none()
    if item is None:
        raise NotFound(
            f"Punkten '{item_id}' finns inte i checklistan '{checklist_id}' "
            f"för grinden '{gate_id}' i projektet {project.name}."
        )
    return item
