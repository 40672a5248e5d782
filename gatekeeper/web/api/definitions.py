"""Workflows (phase models) and checklist templates, as loaded from YAML (read only)."""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.web.auth import PrincipalDep
from gatekeeper.web.bounds import Version
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.schemas.projects import ChecklistTemplatePublic, WorkflowPublic

router = APIRouter(tags=["definitions"])


@router.get("/workflows", response_model=list[WorkflowPublic], summary="List phase models")
def list_workflows(ctx: ContextDep, _principal: PrincipalDep) -> list[WorkflowPublic]:
    return [WorkflowPublic.of(workflow) for workflow in ctx.catalog.workflows()]


@router.get(
    "/workflows/{workflow_id}", response_model=WorkflowPublic, summary="Newest version of a model"
)
def get_workflow(
    ctx: ContextDep, _principal: PrincipalDep, workflow_id: str, version: Version | None = None
) -> WorkflowPublic:
    return WorkflowPublic.of(ctx.catalog.workflow(workflow_id, version))


@router.get(
    "/checklist-templates",
    response_model=list[ChecklistTemplatePublic],
    summary="List checklist templates",
)
def list_checklists(ctx: ContextDep, _principal: PrincipalDep) -> list[ChecklistTemplatePublic]:
    return [ChecklistTemplatePublic.of(template) for template in ctx.catalog.checklists()]


@router.get(
    "/checklist-templates/{checklist_id}",
    response_model=ChecklistTemplatePublic,
    summary="One checklist template",
)
def get_checklist(
    ctx: ContextDep, _principal: PrincipalDep, checklist_id: str
) -> ChecklistTemplatePublic:
    return ChecklistTemplatePublic.of(ctx.catalog.checklist(checklist_id))
