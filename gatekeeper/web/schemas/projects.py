"""Pydantic schemas of the JSON API, named by role (`…Public` for what is read)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.core.checklist import ChecklistTemplate
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import ItemStatus, ProjectStatus
from gatekeeper.services.gates.effect import ProjectState
from gatekeeper.services.gates.readiness import GateItem, GateReadiness
from gatekeeper.services.projects.overview import ProjectOverview
from gatekeeper.store.projects.tables import Project
from gatekeeper.web.schemas.members import MemberPublic
from gatekeeper.web.templating import datum


class HealthPublic(BaseModel):
    status: str
    version: str
    database: str
    schema_revision: str | None


class PhasePublic(BaseModel):
    id: str
    name: str
    final: bool


class GateSummaryPublic(BaseModel):
    id: str
    name: str
    from_phase: str
    to_phase: str
    checklists: list[str]
    criteria: list[dict[str, Any]]
    approval: dict[str, Any] | None


class WorkflowPublic(BaseModel):
    id: str
    version: int
    name: str
    description: str | None
    initial: str
    content_hash: str
    phases: list[PhasePublic]
    gates: list[GateSummaryPublic]
    roles: list[dict[str, str | None]]

    @classmethod
    def of(cls, workflow: Workflow) -> WorkflowPublic:
        return cls(
            id=workflow.id,
            version=workflow.version,
            name=workflow.name,
            description=workflow.description,
            initial=workflow.initial,
            content_hash=workflow.content_hash,
            phases=[PhasePublic(id=p.id, name=p.name, final=p.final) for p in workflow.phases],
            gates=[
                GateSummaryPublic(
                    id=g.id,
                    name=g.name,
                    from_phase=g.source,
                    to_phase=g.dest,
                    checklists=list(g.checklists),
                    criteria=[c.model_dump() for c in g.criteria],
                    approval=(
                        {
                            "deciders": g.approval.deciders,
                            "quorum": g.approval.quorum,
                            "required_roles": list(g.approval.required_roles),
                            "requester_may_approve": g.approval.requester_may_approve,
                            "vote_valid_days": g.approval.vote_valid_days,
                        }
                        if g.approval
                        else None
                    ),
                )
                for g in workflow.gates
            ],
            roles=[
                {"id": r.id, "name": r.name, "description": r.description} for r in workflow.roles
            ],
        )


class ItemTemplatePublic(BaseModel):
    id: str
    text: str
    category: str
    responsible: str
    mandatory: bool
    evidence_required: bool
    due: str | None
    guidance: str | None


class ChecklistTemplatePublic(BaseModel):
    id: str
    version: int
    name: str
    description: str | None
    content_hash: str
    items: list[ItemTemplatePublic]

    @classmethod
    def of(cls, template: ChecklistTemplate) -> ChecklistTemplatePublic:
        return cls(
            id=template.id,
            version=template.version,
            name=template.name,
            description=template.description,
            content_hash=template.content_hash,
            items=[
                ItemTemplatePublic(
                    id=i.id,
                    text=i.text,
                    category=i.category,
                    responsible=i.responsible,
                    mandatory=i.mandatory,
                    evidence_required=i.evidence_required,
                    due=str(i.due) if i.due else None,
                    guidance=i.guidance,
                )
                for i in template.items
            ],
        )


class ProjectPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    name: str
    organisation: str
    description: str
    workflow_id: str
    workflow_version: int
    phase: str
    status: ProjectStatus
    lap: int = Field(
        description="The lap (varv) of a cyclic workflow the project is in: 1 until it takes "
        "the loop-closing gate (e.g. ICS's ny-maling), then 2, 3 …; 1 for a workflow "
        "without a loop."
    )
    started_on: date
    created_at: datetime
    updated_at: datetime
    row_version: int

    @classmethod
    def of(cls, project: Project) -> ProjectPublic:
        return cls.model_validate(project)


class PhaseChangePublic(BaseModel):
    gate_id: str | None
    from_phase: str | None
    to_phase: str
    at: datetime
    actor: str
    motivation: str
    override_motivation: str | None


class PendingGoPublic(BaseModel):
    """A go that is decided but waits for its effective date: the phase has not moved."""

    decision_id: int
    gate_id: str
    to_phase: str
    effective_on: date
    text: str = Field(description='"Go beslutat, gäller från 1 februari 2027".')


class ProjectDetailPublic(ProjectPublic):
    phase_name: str
    members: list[MemberPublic]
    gate_targets: dict[str, date]
    history: list[PhaseChangePublic]
    next_gates: list[str]
    decision_pending: PendingGoPublic | None = Field(
        default=None,
        description="A go decided before its effective date: the phase moves on that day.",
    )

    @classmethod
    def of_state(cls, state: ProjectState) -> ProjectDetailPublic:
        detail = cls.of_overview(state.overview)
        pending = state.pending
        if pending is not None and pending.effective_on is not None and pending.id is not None:
            detail.decision_pending = PendingGoPublic(
                decision_id=pending.id,
                gate_id=pending.gate_id,
                to_phase=pending.to_phase,
                effective_on=pending.effective_on,
                text=f"Go beslutat, gäller från {datum(pending.effective_on, 'sv')}",
            )
        return detail

    @classmethod
    def of_overview(cls, overview: ProjectOverview) -> ProjectDetailPublic:
        base = ProjectPublic.of(overview.project).model_dump()
        return cls(
            **base,
            phase_name=overview.workflow.phase(overview.project.phase).name,
            members=[
                MemberPublic(name=m.name, email=m.email, role=m.role) for m in overview.members
            ],
            gate_targets=overview.gate_targets,
            history=[
                PhaseChangePublic(
                    gate_id=h.gate_id,
                    from_phase=h.from_phase,
                    to_phase=h.to_phase,
                    at=h.at,
                    actor=h.actor,
                    motivation=h.motivation,
                    override_motivation=h.override_motivation,
                )
                for h in overview.history
            ],
            next_gates=[g.id for g in overview.workflow.gates_from(overview.project.phase)],
        )


class CriterionResultPublic(BaseModel):
    kind: str
    passed: bool
    measured: str
    required: str
    message: str
    message_en: str
    details: list[str]


class GateItemPublic(BaseModel):
    checklist_id: str
    item_id: str
    text: str
    category: str
    responsible: str
    mandatory: bool
    evidence_required: bool
    status: ItemStatus
    evidence: str | None
    comment: str | None
    due_on: date | None
    overdue: bool
    restlista: bool = False
    updated_by: str | None
    updated_at: datetime | None
    row_version: int

    @classmethod
    def of(cls, item: GateItem, *, today: date) -> GateItemPublic:
        return cls(
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            text=item.row.text,
            category=item.row.category,
            responsible=item.row.responsible,
            mandatory=item.row.mandatory,
            evidence_required=item.row.evidence_required,
            status=item.row.status,
            evidence=item.row.evidence,
            comment=item.row.comment,
            due_on=item.due_on,
            overdue=item.state().overdue(today),
            restlista=item.row.restlista,
            updated_by=item.row.updated_by,
            updated_at=item.row.updated_at,
            row_version=item.row.row_version,
        )


class GateReadinessPublic(BaseModel):
    project: str
    gate_id: str
    gate_name: str
    from_phase: str
    to_phase: str
    is_current: bool
    target_date: date | None
    passed: bool
    summary: str
    criteria: list[CriterionResultPublic]
    items: list[GateItemPublic]

    @classmethod
    def of(cls, readiness: GateReadiness) -> GateReadinessPublic:
        verdict = readiness.verdict
        return cls(
            project=readiness.project.key,
            gate_id=readiness.gate.id,
            gate_name=readiness.gate.name,
            from_phase=readiness.gate.source,
            to_phase=readiness.gate.dest,
            is_current=readiness.is_current,
            target_date=readiness.target_date,
            passed=verdict.passed,
            summary=verdict.summary_sv(),
            criteria=[
                CriterionResultPublic(
                    kind=r.kind,
                    passed=r.passed,
                    measured=r.measured,
                    required=r.required,
                    message=r.message_sv,
                    message_en=r.message_en,
                    details=list(r.details),
                )
                for r in verdict.results
            ],
            items=[GateItemPublic.of(item, today=readiness.today) for item in readiness.items],
        )


class AuditEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a list; pass `next_cursor` back as `cursor` for the next page."""

    items: list[T]
    next_cursor: str | None


class ProblemPublic(BaseModel):
    """An error, as RFC 9457 application/problem+json."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = None
    errors: list[dict[str, Any]] | None = None
    failed_criteria: list[dict[str, Any]] | None = None
    problems: list[str] | None = None


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": ProblemPublic.model_json_schema()}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("Malformed request"),
    401: _problem("No valid API token"),
    403: _problem("Not allowed for this caller"),
    404: _problem("Not found (or not visible to this caller)"),
    409: _problem("Conflicts with the current state"),
    412: _problem("If-Match names a stale version"),
    413: _problem("Request body too large"),
    422: _problem("Invalid input; `field` names the offending field"),
    503: _problem("Database unavailable"),
}
