"""Tables of the project registers: the kommunikationsplan and the intressentanalys.

Each row belongs to one project and carries `row_version` for If-Match. A
kommunikationsplan row's ansvarig is kept as a name (as the seeds write it)
and, when that person is a member of the project, their e-mail address too:
the reminder planner reminds members only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Field, SQLModel

from gatekeeper.core.followup.register import CommunicationStatus, Influence
from gatekeeper.store.types import TextEnum, UTCDateTime


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Communication(SQLModel, table=True):
    """A row of the kommunikationsplan: målgrupp, budskap, kanal, tidpunkt, ansvarig."""

    __tablename__ = "communication"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    audience: str = Field(max_length=300)
    message: str = Field(default="")
    channel: str = Field(default="", max_length=300)
    planned_on: date | None = None
    responsible: str = Field(default="", max_length=200)
    responsible_email: str | None = Field(default=None, max_length=320)
    status: CommunicationStatus = Field(
        default=CommunicationStatus.PLANNED, sa_type=TextEnum(CommunicationStatus)
    )
    comment: str = Field(default="")
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    row_version: int = Field(default=1)


class Stakeholder(SQLModel, table=True):
    """A row of the intressentanalys: intressent, intresse, påverkan, förväntningar, strategi."""

    __tablename__ = "stakeholder"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    name: str = Field(max_length=300)
    interest: str = Field(default="")
    influence: Influence = Field(default=Influence.MEDIUM, sa_type=TextEnum(Influence))
    expectations: str = Field(default="")
    strategy: str = Field(default="")
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    row_version: int = Field(default=1)
