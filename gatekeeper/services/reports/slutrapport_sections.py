"""The slutrapport's sections from other capabilities: goals against their measured
outcome (followup) and the avslutningsmöte (meetings).

Each is a `SectionProvider` of `slutrapport_draft`: given the session, the project and
its workflow, a `ReportSection` (a heading, a note and a table of text cells), or None
when the project has nothing to say there (no goals; no exit meeting yet).
"""

from __future__ import annotations

from sqlmodel import Session

from gatekeeper.core.followup.goal import GOAL_KIND_SV, GoalKind, compare
from gatekeeper.core.meetings.meeting import MeetingStatus, participants_of
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.reports.slutrapport import ReportSection
from gatekeeper.services.followup.goal import list_goals_in
from gatekeeper.services.followup.measurement import measurements_in
from gatekeeper.services.meetings.meeting import exit_meeting_in, local_start
from gatekeeper.store.projects.tables import Project

REACHED_SV = {True: "Ja", False: "Nej", None: "–"}
MEETING_STATUS_SV = {
    MeetingStatus.DRAFT: "planerat, kallelsen inte skickad",
    MeetingStatus.SENT: "kallelsen skickad",
    MeetingStatus.HELD: "hållet, protokollet inte justerat",
    MeetingStatus.JUSTERAD: "hållet, protokollet justerat",
}


def goals_against_outcome(
    session: Session, project: Project, workflow: Workflow
) -> ReportSection | None:
    """Every goal and nytta with its target and the latest measured value, reached or not."""
    goals = list_goals_in(session=session, project=project)
    if not goals:
        return None
    latest: dict[int, tuple[str, str, str | None]] = {}  # goal id → (value, date, previous)
    for measurement, goal in measurements_in(session=session, project=project):
        assert goal.id is not None
        before = latest.get(goal.id)
        latest[goal.id] = (
            measurement.value,
            measurement.measured_on.isoformat(),
            before[0] if before else None,
        )
    rows: list[tuple[str, ...]] = []
    reached_count = 0
    for goal in goals:
        unit = f" {goal.unit}" if goal.unit else ""
        last = latest.get(goal.id or 0)
        if last is None:
            outcome, reached = "inte mätt", None
        else:
            value, on, previous = last
            comparison = compare(
                value,
                previous=previous,
                baseline=goal.baseline,
                target=goal.target,
                numeric=goal.numeric,
            )
            outcome, reached = f"{value}{unit} ({on})", comparison.reached
        reached_count += reached is True
        rows.append(
            (
                goal.title,
                GOAL_KIND_SV[GoalKind(goal.kind)],
                goal.indicator,
                f"{goal.baseline}{unit}" if goal.baseline else "–",
                f"{goal.target}{unit}" if goal.target else "–",
                outcome,
                REACHED_SV[reached],
            )
        )
    return ReportSection(
        key="goals",
        heading="Mål och uppmätt utfall",
        note=f"{reached_count} av {len(goals)} mål och nyttor har nått sitt målvärde.",
        columns=("Mål", "Typ", "Mätetal", "Nuläge", "Målvärde", "Senast uppmätt", "Uppnått"),
        rows=tuple(rows),
    )


def exit_meeting(session: Session, project: Project, workflow: Workflow) -> ReportSection | None:
    """The project's avslutningsmöte: when, where, who was there and where it stands."""
    meeting = exit_meeting_in(session=session, project=project)
    if meeting is None:
        return None
    starts = local_start(meeting.starts_at)
    present = set((meeting.protocol or {}).get("present", []))
    people = participants_of(meeting.participants)
    rows = tuple(
        (p.name, p.role, "Närvarande" if p.name in present else "Kallad")
        for p in people
        if not present or p.name in present
    )
    where = f", {meeting.place}" if meeting.place else ""
    return ReportSection(
        key="exit-meeting",
        heading="Avslutningsmöte",
        note=(
            f"{starts:%Y-%m-%d %H:%M}{where}: {MEETING_STATUS_SV[MeetingStatus(meeting.status)]}."
        ),
        columns=("Namn", "Roll", "Deltagande"),
        rows=rows,
    )
