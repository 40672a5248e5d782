"""Tables of a regional rollout: waves, units (kommun → förvaltning → enhet) and unit checklists.

A project that rolls one system out to many receivers groups its units in
waves (vågor), each with a go-live date (driftstart). Units nest: a kommun
holds förvaltningar, which hold enheter. Every unit gets its own copy of the
workflow's unit-level cut-over checklists (`UnitItem` rows), with deadlines
relative to its wave's go-live date, so readiness can be read per unit, wave
and kommun. Copies are kept in their own table so that a project's own gate
checklists and their readiness are untouched by the number of units.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from gatekeeper.core.status import ItemStatus, UnitKind, WaveStatus
from gatekeeper.store.types import TextEnum, UTCDateTime

# Done without the evidence the item demands (writes trim evidence, so blank is ''): the
# condition of the partial index `ix_unit_item_lacking`, and of the readiness review's
# query, which must say it in the same words for SQLite to use the index.
LACKING_EVIDENCE = (
    "unit_item.status = 'done' AND unit_item.evidence_required "
    "AND (unit_item.evidence IS NULL OR unit_item.evidence = '')"
)
_LACKING_INDEXED = LACKING_EVIDENCE.replace("unit_item.", "")
# Mandatory and done: the condition of the partial index `ix_unit_item_done_recent` (the
# items the review's pace counts, by when they were done), in the same words as above.
DONE_MANDATORY = "unit_item.status = 'done' AND unit_item.mandatory"
_DONE_MANDATORY_INDEXED = DONE_MANDATORY.replace("unit_item.", "")
LACKING_COLUMNS = (
    "project_id",
    "status",
    "unit_id",
    "category",
    "checklist_id",
    "item_id",
    "mandatory",
    "due_offset_days",
)


class Wave(SQLModel, table=True):
    """A wave (våg) of a rollout: units that go live together on one date."""

    __tablename__ = "wave"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=100)
    name: str = Field(max_length=200)
    go_live_on: date
    position: int = 0
    status: WaveStatus = Field(default=WaveStatus.PLANNED, sa_type=TextEnum(WaveStatus))
    created_at: datetime = Field(sa_type=UTCDateTime)
    row_version: int = Field(default=1)


class Unit(SQLModel, table=True):
    """A receiver of the rollout: a kommun, a förvaltning or an enhet."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("project_id", "key"),
        Index("ix_unit_project_wave", "project_id", "wave_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    key: str = Field(max_length=100)
    name: str = Field(max_length=300)
    kind: UnitKind = Field(sa_type=TextEnum(UnitKind))
    parent_id: int | None = Field(default=None, foreign_key="unit.id", nullable=True, index=True)
    wave_id: int | None = Field(default=None, foreign_key="wave.id", nullable=True)
    responsible_email: str = Field(default="", max_length=320)  # införandeansvarig
    responsible_name: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    row_version: int = Field(default=1)


class UnitItem(SQLModel, table=True):
    """One item of one unit's cut-over checklist."""

    __tablename__ = "unit_item"
    __table_args__ = (
        UniqueConstraint("unit_id", "checklist_id", "item_id"),
        # The readiness review's day-bound counts (`services/rollout/readiness_count.py`):
        # open items by deadline offset, done items by when; both cover what they count.
        Index(
            "ix_unit_item_open_due",
            "project_id",
            "status",
            "due_offset_days",
            "mandatory",
            "unit_id",
            "category",
        ),
        Index(  # the columns it reads too, so SQLite prefers it to the two above
            "ix_unit_item_lacking",
            *LACKING_COLUMNS,
            sqlite_where=text(_LACKING_INDEXED),
            postgresql_where=text(_LACKING_INDEXED),
        ),
        Index(
            "ix_unit_item_done_recent",
            "project_id",
            "updated_at",
            "unit_id",
            "category",
            sqlite_where=text(_DONE_MANDATORY_INDEXED),
            postgresql_where=text(_DONE_MANDATORY_INDEXED),
        ),
        Index("ix_unit_item_project_item", "project_id", "item_id"),
        # Covers the readiness review's counting (services/rollout_review.py): every
        # column it groups or filters on, so 40,000 items are counted without a table read.
        Index(
            "ix_unit_item_review",
            "unit_id",
            "category",
            "status",
            "mandatory",
            "evidence_required",
            "due_offset_days",
            "updated_at",
            "position",
            "checklist_id",
            "item_id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    project_id: int = Field(foreign_key="project.id")
    checklist_id: str = Field(max_length=100)
    checklist_version: int
    item_id: str = Field(max_length=100)
    position: int
    text: str
    category: str = Field(max_length=100)
    responsible: str = Field(max_length=100)
    mandatory: bool = True
    evidence_required: bool = False
    due_offset_days: int | None = None
    status: ItemStatus = Field(default=ItemStatus.OPEN, sa_type=TextEnum(ItemStatus))
    evidence: str | None = None
    comment: str | None = None
    updated_by: str | None = Field(default=None, max_length=200)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    row_version: int = Field(default=1)
