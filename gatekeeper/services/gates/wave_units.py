"""A project's waves and units as a wave decision sees them.

The waves in their order (position, go-live, id), the wave a review decides,
and the units that move with a unit: those below it in the same wave.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from gatekeeper.store.gates.tables import GateReview
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit, Wave


def wave_of(session: Session, review: GateReview) -> Wave:
    """The wave a wave review decides."""
    wave = session.get(Wave, review.wave_id)
    assert wave is not None
    return wave


def waves_of(session: Session, project: Project) -> list[Wave]:
    """The project's waves in their order."""
    return list(
        session.exec(
            select(Wave)
            .where(Wave.project_id == project.id)
            .order_by(col(Wave.position), col(Wave.go_live_on), col(Wave.id))
        ).all()
    )


def with_followers(units: Sequence[Unit], chosen: Sequence[Unit], wave_id: int) -> list[Unit]:
    """The chosen units and every unit below them that sits in the same wave."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    found: dict[int | None, Unit] = {}
    frontier = list(chosen)
    while frontier:
        unit = frontier.pop(0)
        if unit.id in found or unit.wave_id != wave_id:
            continue
        found[unit.id] = unit
        frontier.extend(children.get(unit.id, []))
    return list(found.values())
