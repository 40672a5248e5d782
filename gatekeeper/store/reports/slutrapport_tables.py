"""Tables of the slutrapport: its written sections and, once fastställd, its frozen copy.

The drafted parts (plan vs actual, decisions, risks, restlista…) are read from
the record each time and not stored, until the report is approved: then the
whole report is frozen in `final_report_approval.snapshot`, and that is what
is shown and printed from then on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.store.types import UTCDateTime


class FinalReportSection(SQLModel, table=True):
    """One written section of a project's slutrapport (sammanfattning, ekonomi, …)."""

    __tablename__ = "final_report_section"
    __table_args__ = (UniqueConstraint("project_id", "section"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    section: str = Field(max_length=50)
    text: str = Field(default="")
    updated_by: str | None = Field(default=None, max_length=200)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    row_version: int = Field(default=1)


class FinalReportApproval(SQLModel, table=True):
    """The slutrapport fastställd: by whom, when, and the report as it was (frozen)."""

    __tablename__ = "final_report_approval"
    __table_args__ = (UniqueConstraint("project_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    approved_on: date
    approved_at: datetime = Field(sa_type=UTCDateTime)
    approved_by: str = Field(max_length=320)
    approved_by_name: str = Field(max_length=200)
    snapshot: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    snapshot_hash: str = Field(max_length=64)
