"""Tables of goals, benefits (the nyttoregister) and their measurements.

One `goal` table holds effektmål, projektmål, delmål and the nyttoregister's
nyttor (its `kind` says which); one `measurement` table holds the values
measured for any of them. Values are stored as the text the person gave, a
numeric indicator's normalised ("72,5"); the mätpunkter as ISO dates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.core.followup.goal import GoalKind
from gatekeeper.store.types import TextEnum, UTCDateTime


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Goal(SQLModel, table=True):
    """An effektmål, projektmål, delmål or nytta with its indicator (mätetal)."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=100)  # what gate criteria name it by
    kind: GoalKind = Field(sa_type=TextEnum(GoalKind))
    parent_id: int | None = Field(default=None, foreign_key="goal.id")
    title: str = Field(max_length=500)  # the goal (målet) or the nytta
    purpose: str = Field(default="")  # formål / syfte
    indicator: str = Field(default="", max_length=500)  # mätetal / indikator
    method: str = Field(default="")  # metod / mätmetod
    unit: str = Field(default="", max_length=50)  # %, antal, dagar, 1–5
    numeric: bool = Field(default=True)
    baseline: str = Field(default="", max_length=200)  # nuläge / utgångsvärde
    baseline_on: date | None = None
    target: str = Field(default="", max_length=200)  # målvärde
    target_on: date | None = None  # tidpunkt
    responsible: str = Field(default="", max_length=200)  # ansvarig / nyttoansvarig
    organisation: str = Field(default="", max_length=300)  # the nyttoansvariges förvaltning
    measure_points: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )  # ISO dates
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    row_version: int = Field(default=1)


class Measurement(SQLModel, table=True):
    """A value of a goal's indicator on a date, with its källa and a comment."""

    __tablename__ = "measurement"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    measured_on: date
    value: str = Field(max_length=200)
    source: str = Field(default="", max_length=500)  # källa
    comment: str = Field(default="")
    recorded_by: str = Field(default="", max_length=320)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    row_version: int = Field(default=1)
