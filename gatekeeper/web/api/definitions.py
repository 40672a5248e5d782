"""Workflows (phase models) and checklist templates, as loaded from YAML (read only)."""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.web.auth import PrincipalDep
from gatekeeper.web.bounds import Version
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.projects import ChecklistTemplatePublic, Page, WorkflowPublic

router = APIRouter(tags=["definitions"])


@router.get(
    "/workflows",
    response_model=Page[WorkflowPublic],
    summary="List phase models, every version, by id and version",
)
def list_workflows(
    ctx: ContextDep, _principal: PrincipalDep, cursor: Cursor = None, limit: Limit = 100
) -> Page[WorkflowPublic]:
    rows, next_cursor = paginate(ctx.catalog.workflows(), cursor=cursor, limit=limit)
    return Page[WorkflowPublic](items=[WorkflowPublic.of(w) for w in rows], next_cursor=next_cursor)


@router.get(
    "/workflows/{workflow_id}", response_model=WorkflowPublic, summary="Newest version of a model"
)
def get_workflow(
    ctx: ContextDep, _principal: PrincipalDep, workflow_id: str, version: Version | None = None
) -> WorkflowPublic:
    return WorkflowPublic.of(ctx.catalog.workflow(workflow_id, version))


@router.get(
    "/checklist-templates",
    response_model=Page[ChecklistTemplatePublic],
    summary="List checklist templates, every version, by id and version",
)
def list_checklists(
    ctx: ContextDep, _principal: PrincipalDep, cursor: Cursor = None, limit: Limit = 100
) -> Page[ChecklistTemplatePublic]:
    rows, next_cursor = paginate(ctx.catalog.checklists(), cursor=cursor, limit=limit)
    return Page[ChecklistTemplatePublic](
        items=[ChecklistTemplatePublic.of(t) for t in rows], next_cursor=next_cursor
    )


@router.get(
    "/checklist-templates/{checklist_id}",
    response_model=ChecklistTemplatePublic,
    summary="One checklist template",
)
def get_checklist(
    ctx: ContextDep, _principal: PrincipalDep, checklist_id: str
) -> ChecklistTemplatePublic:
    return ChecklistTemplatePublic.of(ctx.catalog.checklist(checklist_id))
