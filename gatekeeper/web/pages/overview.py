"""Översikt (`GET /`): the projects the signed-in person may see.

A placeholder for the dashboard proper (phase, next gate, readiness, blockers,
waiting votes), which is built on top of it.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from gatekeeper.errors import NotFound
from gatekeeper.services import projects
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import WebPrincipal

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(page: PageDep, ctx: ContextDep, principal: WebPrincipal) -> HTMLResponse:
    rows = []
    for project in projects.list_projects(ctx, visible_to=principal):
        try:
            workflow = ctx.catalog.workflow(project.workflow_id, project.workflow_version)
            phase = workflow.phase(project.phase).name
        except (NotFound, KeyError):  # a definition no longer loaded: show the id
            phase = project.phase
        rows.append({"project": project, "phase": phase})
    return page.render("overview.html", rows=rows, nav="overview")
