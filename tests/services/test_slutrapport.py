"""The slutrapport drafted from the record, its sections, approval and lessons, on
SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from gatekeeper.core.actor import Actor
from gatekeeper.core.reports.slutrapport import LessonCategory, SectionKey
from gatekeeper.errors import Conflict, NotFound, PermissionDenied, StaleVersion, ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.reports import lesson as lessons
from gatekeeper.services.reports import slutrapport as reports
from tests.factories import BESTALLARE, PROJEKTLEDARE, STYRGRUPP, start_ibic
from tests.slutrapport_factories import HANDED_OVER, KEY, closing_project

ANITA = PROJEKTLEDARE.id
JONAS = Actor.user("jonas.berg@alingsas.se", "Jonas Berg")


def test_the_draft_reads_plan_against_actual_from_the_record(ctx: Context) -> None:
    closing_project(ctx)

    report = reports.final_report(ctx, KEY, ANITA).report

    by_gate = {line.gate_id: line for line in report.phases}
    assert by_gate["forstudie-klar"].planned_on == date(2026, 12, 15)
    assert by_gate["forstudie-klar"].took_effect_on == date(2026, 11, 25)
    assert by_gate["forstudie-klar"].days_late == -20
    assert by_gate["forstudie-klar"].state == "early"
    assert by_gate["beslut-om-genomforande"].days_late == 7
    assert by_gate["go-live"].days_late == 0 and by_gate["go-live"].state == "on_time"
    assert by_gate["driftoverlamning-godkand"].days_late == 2
    assert by_gate["uppfoljning-klar"].state == "not_passed"
    assert [line.gate_id for line in report.phases][:2] == [
        "forstudie-klar",
        "beslut-om-genomforande",
    ]


def test_the_draft_lists_decisions_with_the_no_go_as_a_deviation(ctx: Context) -> None:
    closing_project(ctx)

    report = reports.final_report(ctx, KEY, ANITA).report

    outcomes = [(d.gate, d.outcome) for d in report.decisions]
    assert outcomes[:3] == [
        ("Förstudie klar", "go"),
        ("Beslut om genomförande", "no_go"),
        ("Beslut om genomförande", "go"),
    ]
    assert [d.deviation for d in report.decisions][:3] == [False, True, False]
    assert {d.title for d in report.named_decisions} >= {"Projektdirektiv fastställt"}


def test_the_draft_holds_the_restlista_risks_and_activities_not_done(ctx: Context) -> None:
    closing_project(ctx)

    report = reports.final_report(ctx, KEY, ANITA).report

    assert [(r.responsible, r.comment) for r in report.restlista] == [
        ("Förvaltningsledare", HANDED_OVER)
    ]
    assert [r.status for r in report.risks] == ["open", "closed"]
    assert [a.title for a in report.activities_not_done] == ["Gemensam kompetensbank"]
    assert report.activities_not_done[0].postponed_to == date(2028, 3, 1)


def test_a_section_is_written_versioned_and_audited(ctx: Context) -> None:
    start_ibic(ctx)

    first = reports.save_section(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        section="ekonomi",
        text="Budget 1,2 mnkr; utfall 1,1 mnkr.",
        expected_version=0,
    )
    second = reports.save_section(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        section="ekonomi",
        text="Budget 1,2 mnkr; utfall 1,15 mnkr.",
        expected_version=first.row_version,
    )

    assert (first.row_version, second.row_version) == (1, 2)
    assert second.updated_by == "Anita Lindqvist"
    view = reports.final_report(ctx, KEY, ANITA)
    assert view.report.text(SectionKey.EKONOMI).text == "Budget 1,2 mnkr; utfall 1,15 mnkr."
    saved = [
        e for e in audit_log.list_events(ctx, limit=50) if e.action == "slutrapport.section_saved"
    ]
    assert len(saved) == 2 and saved[0].object_id == f"{KEY}/ekonomi"


def test_a_stale_section_is_refused_and_nothing_changes(ctx: Context) -> None:
    start_ibic(ctx)
    reports.save_section(ctx, PROJEKTLEDARE, project_key=KEY, section="sammanfattning", text="A")

    with pytest.raises(StaleVersion, match="har ändrats av någon annan"):
        reports.save_section(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            section="sammanfattning",
            text="B",
            expected_version=0,
        )
    assert reports.final_report(ctx, KEY, ANITA).report.text("sammanfattning").text == "A"


def test_bad_section_input_is_refused(ctx: Context) -> None:
    start_ibic(ctx)

    with pytest.raises(NotFound, match="inget avsnitt"):
        reports.save_section(ctx, PROJEKTLEDARE, project_key=KEY, section="budget", text="x")
    with pytest.raises(ValidationFailed) as refused:
        reports.save_section(
            ctx, PROJEKTLEDARE, project_key=KEY, section="ekonomi", text="x" * 20_001
        )
    assert refused.value.field == "text"
    with pytest.raises(PermissionDenied):
        reports.save_section(ctx, STYRGRUPP, project_key=KEY, section="ekonomi", text="x")
    assert reports.final_report(ctx, KEY, ANITA).report.text("ekonomi").row_version == 0


def test_approval_freezes_the_report_and_refuses_later_edits(ctx: Context) -> None:
    start_ibic(ctx)
    reports.save_section(ctx, PROJEKTLEDARE, project_key=KEY, section="sammanfattning", text="A")
    lessons.add_lesson(
        ctx, PROJEKTLEDARE, project_key=KEY, lesson="Börja med en förstudie", category="styrning"
    )
    with pytest.raises(PermissionDenied):
        reports.approve(ctx, PROJEKTLEDARE, project_key=KEY)

    approved = reports.approve(ctx, BESTALLARE, project_key=KEY)

    assert approved.approval is not None and approved.approval.approved_by == "Malin Holmberg"
    with pytest.raises(Conflict, match=r"fastställdes .* av Malin Holmberg"):
        reports.save_section(ctx, PROJEKTLEDARE, project_key=KEY, section="ekonomi", text="B")
    with pytest.raises(Conflict, match="kan inte längre ändras"):
        lessons.add_lesson(ctx, PROJEKTLEDARE, project_key=KEY, lesson="x", category="teknik")
    with pytest.raises(Conflict):
        reports.approve(ctx, STYRGRUPP, project_key=KEY)
    view = reports.final_report(ctx, KEY, ANITA)
    assert view.approved and not view.may_write and not view.may_approve
    assert view.report == approved
    assert [lesson.lesson for lesson in view.report.lessons] == ["Börja med en förstudie"]


def test_lessons_are_added_edited_and_refused(ctx: Context) -> None:
    start_ibic(ctx)

    made = lessons.add_lesson(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        lesson="Digitala möten sparade tid",
        category=LessonCategory.SAMVERKAN,
        recommendation="Var inte rädd för att driva projekt digitalt.",
    )
    assert made.id is not None and made.recorded_by_name == "Anita Lindqvist"
    changed = lessons.update_lesson(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        lesson_id=made.id,
        category="kommunikation",
        expected_version=made.row_version,
    )
    assert changed.category is LessonCategory.KOMMUNIKATION and changed.row_version == 2

    with pytest.raises(ValidationFailed) as bad:
        lessons.add_lesson(ctx, PROJEKTLEDARE, project_key=KEY, lesson="x", category="ekonomi2")
    assert bad.value.field == "category"
    with pytest.raises(ValidationFailed) as empty:
        lessons.add_lesson(ctx, PROJEKTLEDARE, project_key=KEY, lesson="  ", category="teknik")
    assert empty.value.field == "lesson"
    with pytest.raises(StaleVersion):
        lessons.update_lesson(
            ctx, PROJEKTLEDARE, project_key=KEY, lesson_id=made.id, lesson="y", expected_version=1
        )
    with pytest.raises(PermissionDenied):
        lessons.add_lesson(ctx, JONAS, project_key=KEY, lesson="x", category="teknik")
    assert [row.lesson for row in lessons.list_lessons(ctx, KEY)] == ["Digitala möten sparade tid"]


def test_the_demo_project_furthest_along_has_a_drafted_slutrapport(ctx: Context) -> None:
    from gatekeeper.demo.content import demo_projects
    from gatekeeper.demo.project import build_project
    from gatekeeper.demo.slutrapport import LEADER, PROJECT

    build_project(ctx, next(s for s in demo_projects() if s["key"] == PROJECT))

    view = reports.final_report(ctx, PROJECT, LEADER.id)
    assert view.closing and view.may_write and not view.approved
    assert view.report.text("sammanfattning").text.startswith("Förutsättningarna")
    assert [lesson.category for lesson in view.report.lessons] == [
        "styrning",
        "samverkan",
        "styrning",
    ]
    assert {line.gate_id for line in view.report.phases if line.took_effect_on} == {
        "forstudie-klar",
        "beslut-om-genomforande",
        "go-live",
    }


def test_two_people_writing_a_new_section_at_once_one_wins_one_is_told(ctx: Context) -> None:
    """Both read version 0 and save at the same moment: the project row lock serialises
    them, and the second is refused as stale rather than overwriting the first."""
    start_ibic(ctx)
    texts = ("Budget 1,2 mnkr.", "Budget 1,3 mnkr.")

    def save(text: str) -> str:
        try:
            reports.save_section(
                ctx,
                PROJEKTLEDARE,
                project_key=KEY,
                section="ekonomi",
                text=text,
                expected_version=0,
            )
        except StaleVersion:
            return "stale"
        return "saved"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(save, texts))

    assert results == ["saved", "stale"]
    section = reports.section(ctx, KEY, "ekonomi")
    assert section.row_version == 1 and section.text in texts


def test_a_moved_gate_date_keeps_the_first_plan_and_shows_the_last(ctx: Context) -> None:
    from gatekeeper.services.projects import gate_date

    start_ibic(ctx)
    gate_date.set_gate_target(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="go-live", target_date=date(2027, 10, 4)
    )

    line = next(
        p for p in reports.final_report(ctx, KEY, ANITA).report.phases if p.gate_id == "go-live"
    )
    assert (line.planned_on, line.target_on) == (date(2027, 9, 1), date(2027, 10, 4))
    assert line.state == "not_passed"
