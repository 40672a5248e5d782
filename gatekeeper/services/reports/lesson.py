"""The lessons-learned register (lärdomar): record and revise what the project learnt.

A lärdom has its text, a kategori (styrning, kommunikation, samverkan, teknik,
utbildning, upphandling, övrigt), a rekommendation for coming projects and the
name of who recorded it. The projektledare (or an administrator) keeps the
register; every member reads it, in the slutrapport too. Once the slutrapport
is fastställd the register is frozen with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.reports import LessonCreated, LessonState, LessonUpdated
from gatekeeper.core.reports.slutrapport import CATEGORY_SV, LessonCategory
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.lookup import check_version, project_by_key
from gatekeeper.services.projects.leader import may_lead_in, require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.services.reports.slutrapport import is_approved_in, refuse_if_approved
from gatekeeper.store.projects.tables import Project, ProjectMember
from gatekeeper.store.reports.lesson_tables import Lesson

BAD_CATEGORY = "Välj en kategori: " + ", ".join(CATEGORY_SV.values()) + "."


def lesson_category(value: str | LessonCategory) -> LessonCategory:
    """The kategori `value` names, or a refusal naming the field."""
    try:
        return LessonCategory(value)
    except ValueError:
        raise ValidationFailed(BAD_CATEGORY, field="category") from None


def _state(row: Lesson) -> LessonState:
    return LessonState(
        lesson=row.lesson,
        category=row.category.value,
        recommendation=row.recommendation,
        recorded_by=row.recorded_by_name,
    )


def _lesson_text(value: str) -> str:
    return validation.text(value, field="lesson", label="Lärdomen", max_length=4000)


def _recommendation(value: str) -> str:
    return validation.text(
        value, field="recommendation", label="Rekommendationen", max_length=4000, required=False
    )


@audits_refusal("lesson.create", object_type="project")
def add_lesson(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    lesson: str,
    category: str | LessonCategory,
    recommendation: str = "",
) -> Lesson:
    """Record a lärdom (the projektledare or an administrator)."""
    text = _lesson_text(lesson)
    kind = lesson_category(category)
    advice = _recommendation(recommendation)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="registrera lärdomar")
        refuse_if_approved(session=session, project=project)
        assert project.id is not None
        row = Lesson(
            project_id=project.id,
            lesson=text,
            category=kind,
            recommendation=advice,
            recorded_by=actor.id,
            recorded_by_name=_name(session, project, actor),
            created_at=now,
            updated_by=str(actor),
            updated_at=now,
        )
        session.add(row)
        session.flush()
        change.record(
            session,
            LessonCreated(object_id=str(row.id), after=_state(row)),
            by=actor,
            at=now,
            project=project,
        )
        return row


@audits_refusal("lesson.update", object_type="lesson", object_id="{lesson_id}")
def update_lesson(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    lesson_id: int,
    lesson: str | None = None,
    category: str | LessonCategory | None = None,
    recommendation: str | None = None,
    expected_version: int | None = None,
) -> Lesson:
    """Re-word, re-categorise or change the rekommendation of a lärdom; only given fields change."""
    text = _lesson_text(lesson) if lesson is not None else None
    kind = lesson_category(category) if category is not None else None
    advice = _recommendation(recommendation) if recommendation is not None else None
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="ändra lärdomar")
        refuse_if_approved(session=session, project=project)
        row = _lesson(session, project, lesson_id, lock=True)
        check_version(row.row_version, expected_version, "Lärdomen")
        before = _state(row)
        if text is not None:
            row.lesson = text
        if kind is not None:
            row.category = kind
        if advice is not None:
            row.recommendation = advice
        after = _state(row)
        if after == before:
            return row
        change.record(
            session,
            LessonUpdated(object_id=str(row.id), before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=row,
        )
        return row


def list_lessons(ctx: Context, project_key: str) -> list[Lesson]:
    """The project's lessons, in the order they were recorded."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list(
            session.exec(
                select(Lesson).where(Lesson.project_id == project.id).order_by(col(Lesson.id))
            ).all()
        )


def get_lesson(ctx: Context, project_key: str, lesson_id: int) -> Lesson:
    """One lesson of the project (NotFound when it is another project's)."""
    with ctx.db.read() as session:
        return _lesson(session, project_by_key(session=session, key=project_key), lesson_id)


def _lesson(session: Session, project: Project, lesson_id: int, *, lock: bool = False) -> Lesson:
    statement = select(Lesson).where(Lesson.id == lesson_id, Lesson.project_id == project.id)
    if lock:
        statement = statement.with_for_update()
    row = session.exec(statement).one_or_none()
    if row is None:
        raise NotFound(f"Lärdomen {lesson_id} finns inte i projektet {project.name}.")
    return row


def _name(session: Session, project: Project, actor: Actor) -> str:
    member = session.exec(
        select(ProjectMember.name).where(
            ProjectMember.project_id == project.id, ProjectMember.email == actor.id
        )
    ).first()
    return member or actor.name or actor.id


LESSON_HEADER = ("Lärdom", "Kategori", "Rekommendation", "Registrerad av", "Registrerad")


def lesson_table(ctx: Context, project_key: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The register as a table for CSV and XLSX: a header and one row per lärdom."""
    rows: list[tuple[str, ...]] = [
        (
            row.lesson,
            CATEGORY_SV[row.category],
            row.recommendation,
            row.recorded_by_name,
            row.created_at.astimezone(LOCAL_ZONE).date().isoformat(),
        )
        for row in list_lessons(ctx, project_key)
    ]
    return LESSON_HEADER, rows


@dataclass(frozen=True)
class LessonView:
    """The lessons page: the register and whether the viewer may change it."""

    project: Project
    lessons: tuple[Lesson, ...]
    may_write: bool  # the projektledare or an administrator, until the slutrapport is fastställd
    approved: bool

    def lesson(self, lesson_id: int) -> Lesson:
        for row in self.lessons:
            if row.id == lesson_id:
                return row
        raise NotFound(f"Lärdomen {lesson_id} finns inte i projektet {self.project.name}.")


def lesson_view(ctx: Context, project_key: str, viewer: str) -> LessonView:
    """Everything the lessons page shows `viewer` (an e-mail), read at one moment."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        approved = is_approved_in(session=session, project=project)
        rows = session.exec(
            select(Lesson).where(Lesson.project_id == project.id).order_by(col(Lesson.id))
        ).all()
        return LessonView(
            project=project,
            lessons=tuple(rows),
            may_write=not approved and may_lead_in(session=session, project=project, email=viewer),
            approved=approved,
        )
