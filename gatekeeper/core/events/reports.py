"""Events of the reports: the slutrapport's text sections, its approval, and the lessons."""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.events.base import Event
from gatekeeper.core.events.names import EventName


@dataclass(frozen=True)
class SectionText:
    heading: str
    text: str


@dataclass(frozen=True, kw_only=True)
class FinalReportSectionSaved(Event):
    """`object.id` is `project/section` (e.g. `ibic-alingsas/ekonomi`); no before the
    first time the section is written."""

    name = EventName.FINAL_REPORT_SECTION_SAVED
    object_type = "final_report_section"
    before: SectionText | None
    after: SectionText


@dataclass(frozen=True)
class ApprovedReport:
    approved_on: str  # ISO date
    approved_by: str  # the name of who fastställde it
    snapshot_hash: str  # SHA-256 of the frozen report


@dataclass(frozen=True, kw_only=True)
class FinalReportApproved(Event):
    """`object.id` is the project's key."""

    name = EventName.FINAL_REPORT_APPROVED
    object_type = "final_report"
    before: None = None
    after: ApprovedReport


@dataclass(frozen=True)
class LessonState:
    lesson: str
    category: str
    recommendation: str
    recorded_by: str  # a name


@dataclass(frozen=True, kw_only=True)
class LessonCreated(Event):
    name = EventName.LESSON_CREATED
    object_type = "lesson"
    before: None = None
    after: LessonState


@dataclass(frozen=True, kw_only=True)
class LessonUpdated(Event):
    name = EventName.LESSON_UPDATED
    object_type = "lesson"
    before: LessonState
    after: LessonState


EVENTS: tuple[type[Event], ...] = (
    FinalReportSectionSaved,
    FinalReportApproved,
    LessonCreated,
    LessonUpdated,
)
