"""The agenda gatekeeper drafts for a meeting from what is due at its date.

`due_points_in` reads the project as it stands and answers the points a
styrgrupp meeting on `on` should take up, each with the lines of underlag it
shows: open gate reviews (a decision to take), gates whose target date is
within two months (a decision wanted soon, with their readiness), conditions
of a conditional go due by then, open risks at or over the project's
threshold (the lowest `max_open_risk_score` limit its next gates set, else
the matrix's "hög" band), mandatory items past their deadline, and the
aktivitetsplan's changes since the last meeting (from the audit log). A
drafted point is known by its kind and `ref`, so an agenda the projektledare
has edited still shows each point's current underlag until the kallelse
freezes it (`describe`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.events.names import EventName
from gatekeeper.core.meetings.meeting import HIGH_RISK_SCORE, NEAR_DAYS, MeetingKind, PointKind
from gatekeeper.core.status import ActivityStatus, ItemStatus, ReviewStatus, RiskStatus, label_sv
from gatekeeper.core.wording import date_sv
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.readiness import GateReadiness, next_gates_in
from gatekeeper.services.gates.register import open_conditions_in
from gatekeeper.services.projects.risk import list_risks_in
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.gates.tables import GateReview
from gatekeeper.store.projects.tables import Project, ProjectMember

GONE = "Inte längre aktuellt: läget har ändrats sedan punkten lades till."


@dataclass(frozen=True)
class DuePoint:
    """A point of the agenda with the underlag it shows."""

    kind: PointKind
    ref: str
    title: str
    details: tuple[str, ...] = ()
    text: str = ""  # the projektledare's own words (a free point, or a note on a drafted one)

    def as_dict(self, point_id: str) -> dict[str, Any]:
        return {"id": point_id, "kind": self.kind.value, "ref": self.ref, "title": self.title}


def _opening() -> DuePoint:
    return DuePoint(PointKind.OPENING, "", "Mötets öppnande, val av justerare")


def _closing(kind: MeetingKind) -> tuple[DuePoint, ...]:
    if kind is MeetingKind.EXIT:  # seed 004: the project is closed at its exit meeting
        return (
            DuePoint(PointKind.FREE, "", "Slutrapport: mål och utfall, plan och utfall"),
            DuePoint(PointKind.FREE, "", "Överlämning till förvaltningen och restlista"),
            DuePoint(PointKind.FREE, "", "Erfarenheter (lessons learned)"),
            DuePoint(PointKind.FREE, "", "Beslut om att avsluta projektet"),
            DuePoint(PointKind.FREE, "", "Övriga frågor"),
        )
    return (
        DuePoint(PointKind.FREE, "", "Övriga frågor"),
        DuePoint(PointKind.FREE, "", "Nästa möte"),
    )


def _status_word(value: str | None) -> str:
    try:
        return label_sv(ActivityStatus(value or ""))
    except ValueError:
        return value or ""


def _activity_lines(events: Iterable[AuditEvent]) -> tuple[str, ...]:
    lines: list[str] = []
    for event in events:
        after = event.after or {}
        before = event.before or {}
        title = str(after.get("title", ""))
        day = date_sv(event.at.date())
        if event.action == EventName.ACTIVITY_CREATED:
            lines.append(f"{title}: ny aktivitet ({_status_word(after.get('status'))}), {day}")
        elif before.get("status") != after.get("status"):
            change = f"{_status_word(before.get('status'))} → {_status_word(after.get('status'))}"
            if after.get("postponed_to"):
                change += f", skjuts till {date_sv(date.fromisoformat(after['postponed_to']))}"
            lines.append(f"{title}: {change}, {day}")
        else:
            lines.append(f"{title}: ändrad, {day}")
    return tuple(lines)


def risk_threshold(readiness: Sequence[GateReadiness]) -> int:
    """The risk value from which a risk is taken up: the lowest limit the next gates set."""
    limits = [
        int(limit) + 1
        for gate in readiness
        for criterion in gate.gate.criteria
        if isinstance(limit := getattr(criterion, "max_score", None), int)
    ]
    return min(limits, default=HIGH_RISK_SCORE)


def due_points_in(
    *,
    session: Session,
    project: Project,
    on: date,
    since: datetime | None,
    today: date,
    kind: MeetingKind = MeetingKind.STEERING,
) -> list[DuePoint]:
    """What a meeting on `on` should take up, each point with its underlag, in agenda order."""
    workflow = project_workflow(session=session, project=project)
    names = {
        m.email: m.name
        for m in session.exec(
            select(ProjectMember).where(ProjectMember.project_id == project.id)
        ).all()
    }
    readiness = next_gates_in(session=session, project=project, workflow=workflow, today=today)
    points: list[DuePoint] = [_opening()]
    reviews = session.exec(
        select(GateReview)
        .where(GateReview.project_id == project.id, GateReview.status == ReviewStatus.OPEN)
        .order_by(col(GateReview.id))
    ).all()
    reviewed = {review.gate_id for review in reviews}
    by_gate = {r.gate.id: r for r in readiness}
    for review in reviews:
        gate = by_gate.get(review.gate_id)
        name = gate.gate.name if gate else review.gate_id
        lines = [
            f"Begärd av {names.get(review.requested_by, review.requested_by)} "
            f"{date_sv(review.requested_at.date())}."
        ]
        if gate is not None:
            lines.append(gate.verdict.summary_sv())
        points.append(DuePoint(PointKind.REVIEW, str(review.id), f"Beslut: {name}", tuple(lines)))
    for gate in readiness:
        target = gate.target_date
        if gate.gate.id in reviewed or target is None or target > on + timedelta(days=NEAR_DAYS):
            continue
        counted = [s for s in (i.state() for i in gate.items) if s.counts]
        done = sum(1 for s in counted if s.done)
        lines = [
            f"Måldatum {date_sv(target)}.",
            f"{done} av {len(counted)} punkter klara.",
            gate.verdict.summary_sv(),
        ]
        points.append(
            DuePoint(
                PointKind.GATE, gate.gate.id, f"Kommande beslut: {gate.gate.name}", tuple(lines)
            )
        )
    for condition in open_conditions_in(session=session, project=project):
        if condition.due_on is not None and condition.due_on > on + timedelta(days=NEAR_DAYS):
            continue
        due = f"senast {date_sv(condition.due_on)}" if condition.due_on else "utan datum"
        owner = names.get(condition.owner, condition.owner)
        points.append(
            DuePoint(
                PointKind.CONDITION,
                str(condition.id),
                f"Villkor: {condition.text}",
                (f"Ansvarig {owner}, {due}.",),
            )
        )
    threshold = risk_threshold(readiness)
    for risk in list_risks_in(session=session, project=project):
        if risk.status is RiskStatus.OPEN and risk.score >= threshold:
            lines = [
                f"Riskvärde {risk.score} (sannolikhet {risk.probability} × konsekvens "
                f"{risk.consequence}); tas upp från riskvärde {threshold}."
            ]
            if risk.mitigation:
                lines.append(f"Åtgärd: {risk.mitigation}")
            if risk.owner:
                lines.append(f"Ansvarig: {risk.owner}")
            points.append(
                DuePoint(PointKind.RISK, str(risk.id), f"Risk: {risk.title}", tuple(lines))
            )
    late = [
        (gate, item)
        for gate in readiness
        for item in gate.items
        if item.row.mandatory
        and item.row.status is ItemStatus.OPEN
        and item.due_on is not None
        and item.due_on < on
    ]
    if late:
        late_lines = tuple(
            f"{item.row.text} ({gate.gate.name}, {item.checklist_name}): "
            f"skulle vara klar {date_sv(item.due_on)}"
            for gate, item in late
            if item.due_on is not None
        )
        points.append(
            DuePoint(
                PointKind.LATE_ITEMS,
                "",
                f"Försenade obligatoriska punkter ({len(late)})",
                late_lines,
            )
        )
    query = select(AuditEvent).where(
        AuditEvent.project_id == project.id,
        col(AuditEvent.action).in_([EventName.ACTIVITY_CREATED, EventName.ACTIVITY_UPDATED]),
    )
    if since is not None:
        query = query.where(AuditEvent.at > since)
    changes = _activity_lines(session.exec(query.order_by(col(AuditEvent.seq))).all())
    if changes:
        title = "Aktivitetsplanen: ändringar sedan förra mötet" if since else "Aktivitetsplanen"
        points.append(DuePoint(PointKind.ACTIVITIES, "", title, changes))
    points.extend(_closing(kind))
    return points


def numbered(points: Sequence[DuePoint]) -> list[dict[str, Any]]:
    """The drafted points as the agenda stores them, each with its own id."""
    return [point.as_dict(f"p{n}") for n, point in enumerate(points, start=1)]


def describe(agenda: Sequence[Mapping[str, Any]], due: Sequence[DuePoint]) -> list[dict[str, Any]]:
    """The stored agenda with each point's underlag as it stands (`due`: `due_points_in`)."""
    current = {(p.kind.value, p.ref): p for p in due}
    out: list[dict[str, Any]] = []
    for point in agenda:
        kind = str(point.get("kind", PointKind.FREE.value))
        found = current.get((kind, str(point.get("ref", ""))))
        if kind in (PointKind.FREE.value, PointKind.OPENING.value):
            details: tuple[str, ...] = ()
        elif found is None:
            details = (GONE,)
        else:
            details = found.details
        out.append({**point, "details": list(details)})
    return out
