"""Walks of a rollout's unit tree (kommun → förvaltning → enhet) inside a transaction.

The units below a unit, parents before children, as moving a unit to another
wave (its followers) and removing a unit with its children need them. The way
up, a unit's ancestors, lives with the unit checklists that need it first
(`gatekeeper.services.rollout.unit_checklist.ancestors_of`).
"""

from __future__ import annotations

from sqlmodel import Session, select

from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit


def descendants(*, session: Session, project: Project, unit: Unit) -> list[Unit]:
    """Every unit below `unit`, parents before children."""
    rows = session.exec(select(Unit).where(Unit.project_id == project.id)).all()
    children: dict[int | None, list[Unit]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    found: list[Unit] = []
    frontier = [unit.id]
    while frontier:
        current = frontier.pop(0)
        for child in children.get(current, []):
            found.append(child)
            frontier.append(child.id)
    return found
