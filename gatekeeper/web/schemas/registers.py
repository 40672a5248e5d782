"""API schemas of the project registers: kommunikationsplan rows and intressenter.

Request bodies (`…Create`, `…Update`) derive from `web/bounds.Input`: unknown
fields, NUL and dates outside what the database keeps are 422s naming the
field. Statuses are the API words (`planned`, `done`, `cancelled`; `low`,
`medium`, `high`), each with its Swedish label beside it (`…_sv`).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.core.followup.register import (
    COMMUNICATION_STATUS_SV,
    INFLUENCE_SV,
    CommunicationStatus,
    Influence,
)
from gatekeeper.store.followup.register_tables import Communication, Stakeholder
from gatekeeper.web.bounds import Day, Input


class _Input(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


_RESPONSIBLE = (
    "Ansvarig: a member of the project (by name or e-mail; then reminded of the tidpunkt) "
    "or any other name."
)


class CommunicationCreate(_Input):
    audience: str = Field(min_length=1, max_length=300, examples=["Fackliga organisationer"])
    message: str = Field(default="", max_length=4000, description="Syfte/budskap.")
    channel: str = Field(default="", max_length=300, examples=["Information i FSG"])
    planned_on: Day | None = Field(default=None, description="Tidpunkt.")
    responsible: str = Field(default="", max_length=200, description=_RESPONSIBLE)
    status: CommunicationStatus = CommunicationStatus.PLANNED
    comment: str = Field(default="", max_length=2000)


class CommunicationUpdate(_Input):
    audience: str | None = Field(default=None, min_length=1, max_length=300)
    message: str | None = Field(default=None, max_length=4000)
    channel: str | None = Field(default=None, max_length=300)
    planned_on: Day | None = Field(default=None, description="null clears the tidpunkt.")
    responsible: str | None = Field(default=None, max_length=200, description=_RESPONSIBLE)
    status: CommunicationStatus | None = None
    comment: str | None = Field(default=None, max_length=2000)


class StakeholderCreate(_Input):
    name: str = Field(min_length=1, max_length=300, examples=["Vård- och omsorgsnämnden"])
    interest: str = Field(default="", max_length=4000, description="Relation to the project.")
    influence: Influence = Field(default=Influence.MEDIUM, description="Påverkan.")
    expectations: str = Field(default="", max_length=4000)
    strategy: str = Field(default="", max_length=4000)


class StakeholderUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    interest: str | None = Field(default=None, max_length=4000)
    influence: Influence | None = None
    expectations: str | None = Field(default=None, max_length=4000)
    strategy: str | None = Field(default=None, max_length=4000)


class CommunicationPublic(BaseModel):
    """A row of the kommunikationsplan."""

    id: int
    audience: str = Field(description="Målgrupp.")
    message: str = Field(description="Syfte/budskap.")
    channel: str = Field(description="Kanal.")
    planned_on: date | None = Field(description="Tidpunkt.")
    responsible: str = Field(description="Ansvarig, by name.")
    responsible_is_member: bool = Field(description="Reminded of the tidpunkt when planned.")
    status: CommunicationStatus
    status_sv: str
    comment: str
    created_at: datetime
    updated_at: datetime
    row_version: int

    @classmethod
    def of(cls, row: Communication) -> CommunicationPublic:
        return cls(
            id=row.id or 0,
            audience=row.audience,
            message=row.message,
            channel=row.channel,
            planned_on=row.planned_on,
            responsible=row.responsible,
            responsible_is_member=row.responsible_email is not None,
            status=row.status,
            status_sv=COMMUNICATION_STATUS_SV[row.status],
            comment=row.comment,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row_version=row.row_version,
        )


class StakeholderPublic(BaseModel):
    """An intressent of the intressentanalys."""

    id: int
    name: str = Field(description="Intressent.")
    interest: str = Field(description="Intresse: the relation to the project.")
    influence: Influence = Field(description="Påverkan: low, medium or high.")
    influence_sv: str = Field(description="Liten, Medel or Stor.")
    expectations: str = Field(description="Förväntningar.")
    strategy: str = Field(description="Strategi.")
    created_at: datetime
    updated_at: datetime
    row_version: int

    @classmethod
    def of(cls, row: Stakeholder) -> StakeholderPublic:
        return cls(
            id=row.id or 0,
            name=row.name,
            interest=row.interest,
            influence=row.influence,
            influence_sv=INFLUENCE_SV[row.influence],
            expectations=row.expectations,
            strategy=row.strategy,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row_version=row.row_version,
        )
