"""The readiness read model of a rollout: one unit's items of one category, counted.

A readiness review of 49 kommuner × 20 units × 40 items would otherwise count
45,000 item states on every read. `ReadinessCell` keeps, per unit × category,
the counts that do not depend on the day: items that count (not marked not
applicable), done, mandatory, mandatory done, and the category's first
position. Every write of a unit item updates its cell in the same transaction
(`gatekeeper.services.rollout.readiness_model`), so what a reader sees right
after a tick is what is stored. What depends on the day (items past their
deadline, items done lately) and on the evidence text (done without the
evidence demanded) is read from the items themselves, few rows through
narrow indexes. A unit's wave is not part of the key (a unit that moves to
another wave keeps its cells); its kommun (top-level ancestor) is kept on the
row, so a kommun's heatmap row is one GROUP BY: a unit's parent is set when
it is added and never changes.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel


class ReadinessCell(SQLModel, table=True):
    """Counts of one unit's items of one category (items not applicable left out)."""

    __tablename__ = "readiness_cell"
    __table_args__ = (Index("ix_readiness_cell_project_kommun", "project_id", "kommun_id"),)

    unit_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    category: str = Field(primary_key=True, max_length=100)
    project_id: int = Field(foreign_key="project.id")
    kommun_id: int  # the unit's top-level ancestor (itself at the top)
    total: int = 0  # items that count (status other than not applicable)
    done: int = 0
    mandatory: int = 0  # mandatory items that count
    mandatory_done: int = 0  # mandatory and done (evidence not judged here)
    position: int = 0  # the category's first item's position in the checklist


class ReadinessItem(SQLModel, table=True):
    """One checklist item across the units of one wave: how many units have it open (the
    readiness review's blockers and kritisk linje count these)."""

    __tablename__ = "readiness_item"
    __table_args__ = (Index("ix_readiness_item_project", "project_id", "wave_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    wave_id: int | None = Field(default=None, nullable=True)  # units without a wave: None
    checklist_id: str = Field(max_length=100)
    item_id: str = Field(max_length=100)
    category: str = Field(max_length=100)
    mandatory: bool
    due_offset_days: int | None = None
    open: int = 0  # units where it is open
    open_evidence: int = 0  # of those, where it demands evidence
    first_id: int  # one of its unit items (the lowest id), for its text
