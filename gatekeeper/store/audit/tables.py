"""Tables of the audit log: the events and one head per chain.

The log is split into chains: one per project (`project:<id>`), one for the
changes outside any project (`global`: accounts, definitions, settings) and,
in a database that was in use before the split (migration 0021), the frozen
`legacy` chain of everything written until then. A writer locks only its own
chain's head row before it appends, so changes to different projects do not
wait on each other on PostgreSQL (on SQLite `BEGIN IMMEDIATE` serialises every
writer anyway). `chain_seq` is assigned from the head, so a chain has no gaps.

`seq` is the event's number in the whole log (the audit page's #, the API's
cursor, a webhook's id), assigned by the database when the event is inserted.
Within a chain it rises with `chain_seq` (the head is locked before the insert),
which `verify` checks; across chains it is only the order the inserts happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.store.types import UTCDateTime


class AuditEvent(SQLModel, table=True):
    """One change: who, when, what, on which object, before and after."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_project_seq", "project_id", "seq"),
        Index("ix_audit_event_actor", "actor"),
        UniqueConstraint("chain", "chain_seq", name="uq_audit_event_chain_seq"),
    )

    seq: int | None = Field(default=None, primary_key=True)
    chain: str = Field(max_length=40)
    chain_seq: int
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


class ChainHead(SQLModel, table=True):
    """The newest link of one chain: how many events it holds and the last hash."""

    __tablename__ = "audit_chain_head"

    chain: str = Field(primary_key=True, max_length=40)
    count: int = Field(default=0)
    hash: str = Field(max_length=64)
