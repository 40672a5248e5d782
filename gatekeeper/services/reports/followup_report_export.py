"""The follow-up report of a date as a table, for XLSX: seed 002's columns, in Swedish.

One row per activity of every project in the report: projekt, aktivitet, start,
slutdatum, status in words ("Genomfört", "Pågår", "Ej påbörjat", "Skjuts till
2027-03-01"), the date it is moved to, kommentar, ansvarig and whether it was
late then. Dates are dates (the web layer writes them as XLSX dates), not text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gatekeeper.core.status import ActivityStatus
from gatekeeper.services.reports.followup_report import FollowupReport, ReportActivity

Cell = str | int | float | date | None

COLUMNS = (
    "Projekt",
    "Aktivitet",
    "Start",
    "Slutdatum",
    "Status",
    "Skjuts till",
    "Kommentar",
    "Ansvarig",
    "Försenad",
)
STATUS_WORDS = {
    ActivityStatus.NOT_STARTED: "Ej påbörjat",
    ActivityStatus.IN_PROGRESS: "Pågår",
    ActivityStatus.DONE: "Genomfört",
    ActivityStatus.POSTPONED: "Skjuts upp",
}


def status_words(activity: ReportActivity) -> str:
    """The status as seed 002 writes it: "Skjuts till 2027-03-01" for a postponed one."""
    if activity.status is ActivityStatus.POSTPONED and activity.postponed_to is not None:
        return f"Skjuts till {activity.postponed_to.isoformat()}"
    return STATUS_WORDS[activity.status]


def activity_table(
    reports: Iterable[FollowupReport],
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """The header and one row per activity of each report, in the reports' order."""
    rows: list[tuple[Cell, ...]] = [
        (
            report.project_name,
            a.title,
            a.start,
            a.end,
            status_words(a),
            a.postponed_to,
            a.comment,
            a.responsible,
            "ja" if a.late else "nej",
        )
        for report in reports
        for a in report.activities
    ]
    return COLUMNS, rows
