"""API schemas of goals, the nyttoregister and measurements (`GoalCreate`, `GoalPublic`, …).

A goal is named by its `key` in paths and in gate criteria. Values are text:
a numeric indicator's are numbers written either way ("72,5" or "72.5") and
answered the Swedish way; a non-numeric value for a numeric indicator is
refused with 422 naming the field.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.core.followup.goal import GOAL_KIND_SV, GoalKind
from gatekeeper.services.followup.goal_fields import GOAL_KEY_PATTERN, MAX_POINTS
from gatekeeper.store.followup.goal_tables import Goal, Measurement
from gatekeeper.web.bounds import Day, Input


class _Input(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _GoalText(_Input):
    purpose: str = Field(default="", max_length=4000, description="Formål / syfte.")
    indicator: str = Field(default="", max_length=500, description="Mätetal / indikator.")
    method: str = Field(default="", max_length=4000, description="Metod / mätmetod.")
    unit: str = Field(default="", max_length=50, examples=["%"])
    numeric: bool = Field(default=True, description="Whether the indicator's values are numbers.")
    baseline: str = Field(default="", max_length=200, description="Nuläge / utgångsvärde.")
    baseline_on: Day | None = None
    target: str = Field(default="", max_length=200, description="Målvärde.")
    target_on: Day | None = Field(default=None, description="Tidpunkt; not before baseline_on.")
    responsible: str = Field(default="", max_length=200, description="Ansvarig (a name).")
    organisation: str = Field(
        default="", max_length=300, description="The nyttoansvariges förvaltning, say."
    )
    measure_points: list[Day] = Field(
        default_factory=list, max_length=MAX_POINTS, description="Mätpunkter (dates)."
    )


class GoalCreate(_GoalText):
    kind: GoalKind = Field(examples=["effektmal"])
    title: str = Field(min_length=1, max_length=500, description="The goal, or the nytta.")
    key: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Made from the title when not given; "
        "a–z or a digit first, then a–z, digits, '-' and '_' (422 `key`).",
        json_schema_extra={"pattern": GOAL_KEY_PATTERN},
    )
    parent: str | None = Field(
        default=None, max_length=100, description="The key of the goal above a delmål."
    )


class GoalUpdate(_Input):
    """Only given fields change; `parent` null takes a delmål out from under its goal."""

    kind: GoalKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=500)
    parent: str | None = Field(default=None, max_length=100)
    purpose: str | None = Field(default=None, max_length=4000)
    indicator: str | None = Field(default=None, max_length=500)
    method: str | None = Field(default=None, max_length=4000)
    unit: str | None = Field(default=None, max_length=50)
    numeric: bool | None = None
    baseline: str | None = Field(default=None, max_length=200)
    baseline_on: Day | None = None
    target: str | None = Field(default=None, max_length=200)
    target_on: Day | None = None
    responsible: str | None = Field(default=None, max_length=200)
    organisation: str | None = Field(default=None, max_length=300)
    measure_points: list[Day] | None = Field(default=None, max_length=MAX_POINTS)


class GoalPublic(BaseModel):
    """An effektmål, projektmål, delmål or nytta with its indicator and mätpunkter."""

    key: str
    kind: GoalKind
    kind_sv: str
    parent: str | None
    title: str
    purpose: str
    indicator: str
    method: str
    unit: str
    numeric: bool
    baseline: str
    baseline_on: date | None
    target: str
    target_on: date | None
    responsible: str
    organisation: str
    measure_points: list[date]
    created_at: datetime
    updated_at: datetime
    row_version: int

    @classmethod
    def of(cls, goal: Goal, parent: str | None) -> GoalPublic:
        return cls(
            key=goal.key,
            kind=goal.kind,
            kind_sv=GOAL_KIND_SV[goal.kind],
            parent=parent,
            title=goal.title,
            purpose=goal.purpose,
            indicator=goal.indicator,
            method=goal.method,
            unit=goal.unit,
            numeric=goal.numeric,
            baseline=goal.baseline,
            baseline_on=goal.baseline_on,
            target=goal.target,
            target_on=goal.target_on,
            responsible=goal.responsible,
            organisation=goal.organisation,
            measure_points=[date.fromisoformat(p) for p in goal.measure_points],
            created_at=goal.created_at,
            updated_at=goal.updated_at,
            row_version=goal.row_version,
        )


class MeasurementCreate(_Input):
    goal: str = Field(min_length=1, max_length=100, description="The goal's key (422 `goal`).")
    measured_on: Day = Field(description="Not in the future (422 `measured_on`).")
    value: str = Field(
        min_length=1, max_length=200, description="A number for a numeric indicator (422 `value`)."
    )
    source: str = Field(default="", max_length=500, description="Källa.")
    comment: str = Field(default="", max_length=4000)


class MeasurementUpdate(_Input):
    measured_on: Day | None = None
    value: str | None = Field(default=None, min_length=1, max_length=200)
    source: str | None = Field(default=None, max_length=500)
    comment: str | None = Field(default=None, max_length=4000)


class MeasurementPublic(BaseModel):
    """A value measured for a goal, with its källa and comment."""

    id: int
    goal: str
    measured_on: date
    value: str
    source: str
    comment: str
    created_at: datetime
    updated_at: datetime
    row_version: int

    @classmethod
    def of(cls, measurement: Measurement, goal: str) -> MeasurementPublic:
        return cls(
            id=measurement.id or 0,
            goal=goal,
            measured_on=measurement.measured_on,
            value=measurement.value,
            source=measurement.source,
            comment=measurement.comment,
            created_at=measurement.created_at,
            updated_at=measurement.updated_at,
            row_version=measurement.row_version,
        )
