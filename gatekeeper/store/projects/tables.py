"""The SQLModel tables: the database schema of gatekeeper.

Statuses are stored as their `StrEnum` words; datetimes as UTC. Every table
that users change carries `row_version`, bumped on each change, for optimistic
concurrency (ETag / If-Match). The audit chain's tables live in `audit.py`'s
companion `audit_tables.py`. Schema changes go through Alembic
(`gatekeeper/store/migrations`), never `create_all` outside tests of it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.core.status import ActivityStatus, ItemStatus, ProjectStatus, RiskStatus
from gatekeeper.store.types import TextEnum, UTCDateTime


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class DefinitionSnapshot(SQLModel, table=True):
    """A workflow or checklist version as it was when a project first used it."""

    __tablename__ = "definition_snapshot"
    __table_args__ = (UniqueConstraint("kind", "definition_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    definition_id: str = Field(max_length=100)
    version: int
    content_hash: str = Field(max_length=64)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    registered_at: datetime = _utc()


class Project(SQLModel, table=True):
    """An införandeprojekt: one instance of one workflow version."""

    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100, unique=True)
    name: str = Field(max_length=300)
    organisation: str = Field(default="", max_length=300)
    description: str = Field(default="")
    workflow_id: str = Field(max_length=100)
    workflow_version: int
    workflow_hash: str = Field(max_length=64)
    phase: str = Field(max_length=100)
    status: ProjectStatus = Field(default=ProjectStatus.ACTIVE, sa_type=TextEnum(ProjectStatus))
    started_on: date
    # The lap (varv) of a cyclic workflow the project is in: 1 until it takes the
    # loop-closing gate (`gatekeeper.core.lap`); gate dates and decisions carry theirs.
    lap: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    row_version: int = Field(default=1)
    # Delprojekt: the project this one is part of, and the förvaltning it hands over to.
    parent_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    receiving_unit: str = Field(default="", max_length=300)


class ProjectMember(SQLModel, table=True):
    """A person holding a role in a project (one row per role)."""

    __tablename__ = "project_member"
    __table_args__ = (UniqueConstraint("project_id", "email", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    role: str = Field(max_length=100)
    substitute_for: str | None = Field(default=None, max_length=320)
    added_at: datetime = _utc()


class GateTarget(SQLModel, table=True):
    """The planned date of a gate in one lap; relative checklist deadlines hang on it.

    The current lap's rows are the live ones; earlier laps' stay as they were."""

    __tablename__ = "gate_target"
    __table_args__ = (
        UniqueConstraint("project_id", "gate_id", "lap", name="uq_gate_target_project_gate_lap"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    gate_id: str = Field(max_length=100)
    target_date: date
    lap: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    row_version: int = Field(default=1)


class PhaseChange(SQLModel, table=True):
    """One step of a project's phase history (the first row is its start)."""

    __tablename__ = "phase_change"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    gate_id: str | None = Field(default=None, max_length=100)
    from_phase: str | None = Field(default=None, max_length=100)
    to_phase: str = Field(max_length=100)
    at: datetime = _utc()
    actor: str = Field(max_length=200)
    motivation: str = Field(default="")
    override_motivation: str | None = None
    verdict: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class ChecklistInstance(SQLModel, table=True):
    """A checklist template copied into a project for one gate."""

    __tablename__ = "checklist_instance"
    __table_args__ = (UniqueConstraint("project_id", "gate_id", "checklist_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    gate_id: str = Field(max_length=100)
    checklist_id: str = Field(max_length=100)
    checklist_version: int
    checklist_hash: str = Field(max_length=64)
    name: str = Field(max_length=300)


class ChecklistItem(SQLModel, table=True):
    """One item of a project's checklist, with who ticked it, when and on what evidence."""

    __tablename__ = "checklist_item"
    __table_args__ = (
        UniqueConstraint("instance_id", "item_id"),
        Index("ix_checklist_item_project_status", "project_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    instance_id: int = Field(foreign_key="checklist_instance.id", index=True)
    project_id: int = Field(foreign_key="project.id")
    item_id: str = Field(max_length=100)
    position: int
    text: str
    category: str = Field(max_length=100)
    responsible: str = Field(max_length=100)
    mandatory: bool = True
    evidence_required: bool = False
    due_offset_days: int | None = None
    guidance: str | None = None
    status: ItemStatus = Field(default=ItemStatus.OPEN, sa_type=TextEnum(ItemStatus))
    evidence: str | None = None
    comment: str | None = None
    updated_by: str | None = Field(default=None, max_length=200)
    updated_at: datetime | None = _utc(default=None, nullable=True)
    restlista: bool = Field(default=False)
    # The roles that may tick the item, from its definition's `may_tick`; None: the
    # default (the responsible role and the projektledare), see core.checklist.tick_roles.
    may_tick: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    row_version: int = Field(default=1)


class Risk(SQLModel, table=True):
    """A risk scored as the seeds do: probability 1–4 × consequence 1–4."""

    __tablename__ = "risk"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    title: str = Field(max_length=300)
    description: str = Field(default="")
    probability: int
    consequence: int
    score: int
    mitigation: str = Field(default="")
    owner: str = Field(default="", max_length=200)
    status: RiskStatus = Field(default=RiskStatus.OPEN, sa_type=TextEnum(RiskStatus))
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    row_version: int = Field(default=1)


class Activity(SQLModel, table=True):
    """A line of the aktivitetsplan: start, slut, ansvarig, status, kommentar.

    A postponed activity ("Skjuts till 1 mars 2027") carries the date in `postponed_to`.
    """

    __tablename__ = "activity"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    title: str = Field(max_length=300)
    start: date | None = None
    end: date | None = None
    responsible: str = Field(default="", max_length=200)
    status: ActivityStatus = Field(
        default=ActivityStatus.NOT_STARTED, sa_type=TextEnum(ActivityStatus)
    )
    comment: str = Field(default="")
    postponed_to: date | None = None
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    row_version: int = Field(default=1)


class NamedDecision(SQLModel, table=True):
    """A named decision on a project (e.g. finansiering), with its diarienummer.

    Named decisions belong to a lap: the sigtepunkter of lap 2 are lap 2's."""

    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("project_id", "key", "lap", name="uq_decision_project_key_lap"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=100)
    lap: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    title: str = Field(max_length=300)
    decided_on: date
    reference: str = Field(default="", max_length=200)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = _utc()
    row_version: int = Field(default=1)  # a diarienummer registered later bumps it
