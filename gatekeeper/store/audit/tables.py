"""Tables of the audit chain: the events and the chain head.

The head row (always id 1) is locked by every writer before it appends, which
serialises appends across processes on PostgreSQL; on SQLite `BEGIN IMMEDIATE`
already does. `seq` is assigned from the head, so the chain has no gaps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from gatekeeper.store.types import UTCDateTime


class AuditEvent(SQLModel, table=True):
    """One change: who, when, what, on which object, before and after."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_project_seq", "project_id", "seq"),
        Index("ix_audit_event_actor", "actor"),
    )

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=100)
    project_id: int | None = Field(default=None)
    object_type: str = Field(max_length=50)
    object_id: str = Field(max_length=200)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The newest link of the chain: how many events and the last hash."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    count: int = Field(default=0)
    hash: str = Field(max_length=64)
