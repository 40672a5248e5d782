"""Request and response models of the slutrapport and the lessons-learned register.

The composed report answers the core's `FinalReport` as it is (it is also the
frozen snapshot of a fastställd report), inside `FinalReportPublic` with the
caller's rights.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.core.reports.slutrapport import CATEGORY_SV, FinalReport, LessonCategory
from gatekeeper.services.reports.slutrapport import MAX_TEXT, FinalReportView
from gatekeeper.store.reports.lesson_tables import Lesson
from gatekeeper.web.bounds import Input


class _Input(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SectionUpdate(_Input):
    """A written section's new text (send `If-Match` with the ETag you read)."""

    text: str = Field(
        max_length=MAX_TEXT,
        examples=["Projektet inleddes 1 september 2026 och avslutas 31 december 2027."],
    )


class LessonCreate(_Input):
    lesson: str = Field(
        min_length=1, max_length=4000, examples=["Börja alla projekt med en förstudie"]
    )
    category: LessonCategory = Field(examples=["styrning"])
    recommendation: str = Field(
        default="", max_length=4000, examples=["Skapa samsyn innan genomförandet startar."]
    )


class LessonUpdate(_Input):
    lesson: str | None = Field(default=None, min_length=1, max_length=4000)
    category: LessonCategory | None = None
    recommendation: str | None = Field(default=None, max_length=4000)


class LessonPublic(BaseModel):
    """One lärdom of the register, with the name of who recorded it."""

    id: int
    lesson: str
    category: LessonCategory
    category_sv: str
    recommendation: str
    recorded_by: str
    created_at: datetime
    updated_at: datetime
    row_version: int

    @classmethod
    def of(cls, row: Lesson) -> LessonPublic:
        return cls(
            id=row.id or 0,
            lesson=row.lesson,
            category=row.category,
            category_sv=CATEGORY_SV[row.category],
            recommendation=row.recommendation,
            recorded_by=row.recorded_by_name,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row_version=row.row_version,
        )


class FinalReportPublic(BaseModel):
    """The slutrapport: `draft` (read from the record now) or `approved` (frozen)."""

    status: str = Field(description="draft or approved (fastställd)")
    may_write: bool
    may_approve: bool
    report: FinalReport

    @classmethod
    def of(cls, view: FinalReportView) -> FinalReportPublic:
        return cls(
            status="approved" if view.approved else "draft",
            may_write=view.may_write,
            may_approve=view.may_approve,
            report=view.report,
        )
