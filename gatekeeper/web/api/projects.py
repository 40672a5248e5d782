"""Projects and their gates' readiness (read only until API tokens arrive)."""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.services import gates, projects
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.schemas import GateReadinessPublic, ProjectDetailPublic, ProjectPublic

router = APIRouter(tags=["projects"])


@router.get("/projects", response_model=list[ProjectPublic], summary="List projects")
def list_projects(ctx: ContextDep) -> list[ProjectPublic]:
    return [ProjectPublic.of(project) for project in projects.list_projects(ctx)]


@router.get("/projects/{project_key}", response_model=ProjectDetailPublic, summary="One project")
def get_project(ctx: ContextDep, project_key: str) -> ProjectDetailPublic:
    return ProjectDetailPublic.of_overview(projects.project_overview(ctx, project_key))


@router.get(
    "/projects/{project_key}/gates/{gate_id}/readiness",
    response_model=GateReadinessPublic,
    summary="Readiness of a gate: every criterion judged, every item with its deadline",
)
def get_readiness(ctx: ContextDep, project_key: str, gate_id: str) -> GateReadinessPublic:
    return GateReadinessPublic.of(gates.gate_readiness(ctx, project_key, gate_id))
