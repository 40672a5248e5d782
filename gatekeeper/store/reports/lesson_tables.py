"""The lessons-learned register (lärdomar) of a project."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from gatekeeper.core.reports.slutrapport import LessonCategory
from gatekeeper.store.types import TextEnum, UTCDateTime


class Lesson(SQLModel, table=True):
    """One lärdom: what was learnt, its kategori, the rekommendation, and who recorded it."""

    __tablename__ = "lesson"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    lesson: str
    category: LessonCategory = Field(sa_type=TextEnum(LessonCategory))
    recommendation: str = Field(default="")
    recorded_by: str = Field(max_length=320)  # e-mail (or system id) of who recorded it
    recorded_by_name: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    row_version: int = Field(default=1)
