"""The slutrapport's sections from the other capabilities: goals against their measured
outcome and the avslutningsmöte, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from gatekeeper.core.meetings.meeting import MeetingKind
from gatekeeper.services.context import Context
from gatekeeper.services.followup import goal as goals
from gatekeeper.services.followup import measurement as measurements
from gatekeeper.services.meetings import meeting as meetings
from gatekeeper.services.reports import slutrapport as reports
from tests.factories import PROJEKTLEDARE
from tests.services.test_goals import NYTTA, UTBILDADE
from tests.slutrapport_factories import KEY, closing_project


def _sections(ctx: Context) -> dict[str, object]:
    report = reports.final_report(ctx, KEY, PROJEKTLEDARE.id).report
    return {section.key: section for section in report.extra}


def test_without_goals_or_an_exit_meeting_the_report_has_neither_section(ctx: Context) -> None:
    closing_project(ctx)
    assert _sections(ctx) == {}


def test_goals_stand_against_their_latest_measurement_reached_or_not(ctx: Context) -> None:
    closing_project(ctx)
    goals.add_goal(ctx, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE, key="utbildade")
    goals.add_goal(ctx, PROJEKTLEDARE, project_key=KEY, fields=NYTTA, key="dubbel")
    for on, value in ((date(2026, 8, 31), "38"), (date(2026, 11, 16), "91,5")):
        measurements.record_measurement(
            ctx, PROJEKTLEDARE, project_key=KEY, goal="utbildade", measured_on=on, value=value
        )

    section = _sections(ctx)["goals"]

    assert section.heading == "Mål och uppmätt utfall"  # type: ignore[attr-defined]
    assert section.note == "1 av 2 mål och nyttor har nått sitt målvärde."  # type: ignore[attr-defined]
    rows = {row[0]: row for row in section.rows}  # type: ignore[attr-defined]
    trained = rows["Alla som arbetar med IBIC har gått utbildningen"]
    assert trained[1:] == (
        "Effektmål",
        "Andel anställda som gått utbildning i IBIC",
        "0 %",
        "90 %",
        "91,5 % (2026-11-16)",
        "Ja",
    )
    assert rows["Mindre dubbeldokumentation"][5:] == ("inte mätt", "–")


def test_the_exit_meeting_is_named_with_its_place_and_participants(ctx: Context) -> None:
    closing_project(ctx)
    meetings.create_meeting(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        kind=MeetingKind.EXIT,
        starts_at=datetime(2027, 2, 10, 13, 0, tzinfo=UTC),
        place="Stadshuset, sal Mjörn",
    )

    section = _sections(ctx)["exit-meeting"]

    assert section.heading == "Avslutningsmöte"  # type: ignore[attr-defined]
    assert section.note.startswith("2027-02-10 14:00, Stadshuset, sal Mjörn: planerat")  # type: ignore[attr-defined]
    names = [row[0] for row in section.rows]  # type: ignore[attr-defined]
    assert "Anita Lindqvist" in names
    assert all(row[2] == "Kallad" for row in section.rows)  # type: ignore[attr-defined]
