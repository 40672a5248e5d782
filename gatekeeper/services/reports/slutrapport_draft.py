"""The slutrapport drafted from the project's own record, never typed again.

`draft_in` reads, in the caller's transaction: plan vs actual per gate (the
first target date the project gave each gate, from the audit log, against the
day its go decision took effect), every gate decision with its outcome,
conditions (met or not), reservations and late votes, the named decisions,
the risk register as it stands at the end, the restlista handed over to
förvaltningen (`gates/item_handover`), the activities not done, the lessons
learned and the written sections.

Other capabilities add sections through `SECTION_PROVIDERS`: each provider
is called with the session, the project and its workflow and gives a
`ReportSection` (or None when it has nothing to say): "Mål och uppmätt utfall"
(followup's goals and measurements) and "Avslutningsmöte" (meetings' exit
meeting), both in `slutrapport_sections`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.events.names import EventName
from gatekeeper.core.outcome import APPROVALS, OUTCOME_SV, Outcome
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.reports.slutrapport import (
    CATEGORY_SV,
    SECTION_HEADINGS,
    ActivityLine,
    ConditionLine,
    DecisionLine,
    FinalReport,
    LessonLine,
    NamedDecisionLine,
    ReportSection,
    RestItem,
    RiskLine,
    SectionKey,
    TextSection,
    plan_vs_actual,
)
from gatekeeper.core.status import ActivityStatus, RiskStatus, label_sv
from gatekeeper.services.context import LOCAL_ZONE
from gatekeeper.services.gates.register import register_in
from gatekeeper.services.projects.activity import list_activities_in
from gatekeeper.services.projects.named_decision import list_named_decisions_in
from gatekeeper.services.projects.risk import list_risks_in
from gatekeeper.services.reports.slutrapport_sections import exit_meeting, goals_against_outcome
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.gates.tables import DecisionReservation, GateDecision, ReviewVote
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    Project,
    ProjectMember,
)
from gatekeeper.store.reports.lesson_tables import Lesson
from gatekeeper.store.reports.slutrapport_tables import FinalReportSection

SectionProvider = Callable[[Session, Project, Workflow], ReportSection | None]

# Sections other capabilities add, in the order they are shown after the drafted ones.
SECTION_PROVIDERS: list[SectionProvider] = [goals_against_outcome, exit_meeting]

CONDITION_SV = {"open": "Ej uppfyllt", "closed": "Uppfyllt", "waived": "Efterskänkt"}
# Risks at the end: those still open first, then the accepted ones, then those handled.
_RISK_ORDER = {RiskStatus.OPEN: 0, RiskStatus.ACCEPTED: 1, RiskStatus.CLOSED: 2}


def draft_in(*, session: Session, project: Project, workflow: Workflow, today: date) -> FinalReport:
    """The project's slutrapport as its record reads today, inside the caller's transaction."""
    names = {
        m.email: m.name
        for m in session.exec(
            select(ProjectMember).where(ProjectMember.project_id == project.id)
        ).all()
    }
    return FinalReport(
        project_key=project.key,
        project_name=project.name,
        organisation=project.organisation,
        phase=_phase_name(workflow, project.phase),
        started_on=project.started_on,
        drafted_on=today,
        texts=texts_in(session=session, project=project, names=names),
        phases=plan_vs_actual(
            workflow,
            planned=_first_plans(session, project),
            targets={
                t.gate_id: t.target_date
                for t in session.exec(
                    select(GateTarget).where(GateTarget.project_id == project.id)
                ).all()
            },
            took_effect=_took_effect(session, project),
        ),
        decisions=_decisions(session, project, workflow, names),
        named_decisions=tuple(
            NamedDecisionLine(title=d.title, decided_on=d.decided_on, reference=d.reference)
            for d in list_named_decisions_in(session=session, project=project)
        ),
        risks=tuple(
            RiskLine(
                title=r.title,
                score=r.score,
                status=r.status.value,
                status_sv=label_sv(r.status),
                owner=r.owner,
                mitigation=r.mitigation,
            )
            for r in sorted(
                list_risks_in(session=session, project=project),
                key=lambda r: (_RISK_ORDER[r.status], -r.score),
            )
        ),
        restlista=_restlista(session, project, workflow),
        activities_not_done=tuple(
            ActivityLine(
                title=a.title,
                end=a.end,
                responsible=a.responsible,
                status=a.status.value,
                status_sv=label_sv(a.status),
                comment=a.comment,
                postponed_to=a.postponed_to,
            )
            for a in list_activities_in(session=session, project=project)
            if a.status is not ActivityStatus.DONE
        ),
        lessons=lessons_in(session=session, project=project),
        extra=tuple(
            section
            for provider in SECTION_PROVIDERS
            if (section := provider(session, project, workflow)) is not None
        ),
    )


def texts_in(
    *, session: Session, project: Project, names: dict[str, str]
) -> tuple[TextSection, ...]:
    """The six written sections in order, empty (version 0) where nothing is written yet."""
    stored = {
        s.section: s
        for s in session.exec(
            select(FinalReportSection).where(FinalReportSection.project_id == project.id)
        ).all()
    }
    out: list[TextSection] = []
    for key in SectionKey:
        row = stored.get(key.value)
        out.append(
            TextSection(
                key=key,
                heading=SECTION_HEADINGS[key],
                text=row.text if row else "",
                updated_by=_who(row.updated_by, names) if row else None,
                updated_at=row.updated_at if row else None,
                row_version=row.row_version if row else 0,
            )
        )
    return tuple(out)


def _who(stamp: str | None, names: dict[str, str]) -> str | None:
    """The name behind an `updated_by` stamp (`user:e-post`, `token:id/e-post`, `system:job`)."""
    if not stamp:
        return None
    kind, _, rest = stamp.partition(":")
    if kind == "system":
        return "gatekeeper"
    email = rest.rsplit("/", 1)[-1]
    return names.get(email, email)


def lessons_in(*, session: Session, project: Project) -> tuple[LessonLine, ...]:
    """The project's lessons learned, in the order they were recorded."""
    rows = session.exec(
        select(Lesson).where(Lesson.project_id == project.id).order_by(col(Lesson.id))
    ).all()
    return tuple(lesson_line(row) for row in rows)


def lesson_line(row: Lesson) -> LessonLine:
    assert row.id is not None
    return LessonLine(
        id=row.id,
        lesson=row.lesson,
        category=row.category,
        category_sv=CATEGORY_SV[row.category],
        recommendation=row.recommendation,
        recorded_by=row.recorded_by_name,
        row_version=row.row_version,
    )


def _phase_name(workflow: Workflow, phase: str) -> str:
    try:
        return workflow.phase(phase).name
    except KeyError:
        return phase


def _first_plans(session: Session, project: Project) -> dict[str, date]:
    """The first target date each gate was given: at the start, or when first dated."""
    events = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.project_id == project.id,
            col(AuditEvent.action).in_(
                [EventName.PROJECT_CREATED.value, EventName.GATE_TARGET_CHANGED.value]
            ),
        )
        .order_by(col(AuditEvent.seq))
    ).all()
    first: dict[str, date] = {}
    for event in events:
        after = event.after or {}
        if event.action == EventName.PROJECT_CREATED.value:
            for gate_id, day in (after.get("gate_targets") or {}).items():
                first.setdefault(gate_id, date.fromisoformat(str(day)))
        elif after.get("target_date"):
            gate_id = event.object_id.split("/", 1)[-1]
            first.setdefault(gate_id, date.fromisoformat(str(after["target_date"])))
    return first


def _took_effect(session: Session, project: Project) -> dict[str, date]:
    """The day each gate's (last) go took effect: the project moved on that day."""
    decisions = session.exec(
        select(GateDecision)
        .where(
            GateDecision.project_id == project.id,
            col(GateDecision.outcome).in_(list(APPROVALS)),
            col(GateDecision.effective_at).is_not(None),
            col(GateDecision.wave_id).is_(None),
        )
        .order_by(col(GateDecision.effective_at), col(GateDecision.id))
    ).all()
    return {
        d.gate_id: d.effective_at.astimezone(LOCAL_ZONE).date()
        for d in decisions
        if d.effective_at is not None
    }


def _decisions(
    session: Session, project: Project, workflow: Workflow, names: dict[str, str]
) -> tuple[DecisionLine, ...]:
    lines: list[DecisionLine] = []
    for entry in register_in(session=session, project=project, workflow=workflow):
        decision = entry.decision
        reservations = session.exec(
            select(DecisionReservation)
            .where(DecisionReservation.decision_id == decision.id)
            .order_by(col(DecisionReservation.id))
        ).all()
        late = session.exec(
            select(ReviewVote)
            .where(ReviewVote.review_id == decision.review_id, col(ReviewVote.late).is_(True))
            .order_by(col(ReviewVote.id))
        ).all()
        lines.append(
            DecisionLine(
                gate=entry.gate_name,
                outcome=decision.outcome.value,
                outcome_sv=OUTCOME_SV[Outcome(decision.outcome)],
                decided_on=decision.decided_on or decision.decided_at.date(),
                reference=decision.reference,
                reason=decision.reason,
                override=decision.override,
                lapsed=decision.lapsed_at is not None,
                conditions=tuple(
                    ConditionLine(
                        text=c.text,
                        owner=names.get(c.owner, c.owner),
                        due_on=c.due_on,
                        status=c.status.value,
                        status_sv=CONDITION_SV[c.status.value],
                    )
                    for c in entry.conditions
                ),
                reservations=tuple(
                    f"{names.get(r.member, r.member)}: {r.text}" for r in reservations
                ),
                late_votes=tuple(
                    f"{names.get(v.member, v.member)}: {OUTCOME_SV[Outcome(v.outcome)]}"
                    for v in late
                ),
            )
        )
    return tuple(lines)


def _restlista(session: Session, project: Project, workflow: Workflow) -> tuple[RestItem, ...]:
    """The items handed over on the restlista, to the role that received them."""
    role_names = {role.id: role.name for role in workflow.roles}
    rows = session.exec(
        select(ChecklistItem, ChecklistInstance)
        .join(ChecklistInstance)
        .where(ChecklistInstance.project_id == project.id, col(ChecklistItem.restlista).is_(True))
        .order_by(col(ChecklistItem.id))
    ).all()
    out: list[RestItem] = []
    for item, instance in rows:
        try:
            gate = workflow.gate(instance.gate_id).name
        except KeyError:
            gate = instance.gate_id
        out.append(
            RestItem(
                text=item.text,
                gate=gate,
                responsible=role_names.get(item.responsible, item.responsible),
                status=item.status.value,
                status_sv=label_sv(item.status),
                comment=item.comment or "",
            )
        )
    return tuple(out)
