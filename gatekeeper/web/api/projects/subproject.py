"""Delprojekt over the API: a project's parent link and its delprojekt.

`GET /projects/{key}/parent` answers the project's parent, its mottagande
förvaltning and its own delprojekt (phase, projektledare, handed over or
not), with the project's ETag; `PUT` links it under another project (or
none) and names the förvaltning, `If-Match` honoured. Administrators and
the parent's projektledare may link; a cycle or an unknown project is a 422
naming `parent`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from gatekeeper.services.projects import subproject as subprojects
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.schemas.subprojects import ParentPublic, ParentUpdate

router = APIRouter(tags=["subprojects"])

_PARENT = "/projects/{project_key}/parent"

ParentBody = Annotated[
    ParentUpdate,
    Body(
        openapi_examples={
            "link": {
                "summary": "Make it a delprojekt, handing over to its own förvaltning",
                "value": {
                    "parent": "vardens-medarbetare",
                    "receiving_unit": "HR-avdelningen, Skövde kommun",
                },
            },
            "unlink": {"summary": "No longer a delprojekt", "value": {"parent": None}},
        }
    ),
]


@router.get(
    _PARENT,
    response_model=ParentPublic,
    summary="The project's parent, mottagande förvaltning and delprojekt (with ETag)",
)
def get_parent(ctx: ContextDep, access: ProjectReader, response: Response) -> ParentPublic:
    family = subprojects.family(ctx, access.project_key)
    set_etag(response, family.project.row_version)
    return ParentPublic.of(family)


@router.put(
    _PARENT,
    response_model=ParentPublic,
    summary="Make the project a delprojekt of another (or of none); If-Match honoured",
)
def set_parent(
    ctx: ContextDep,
    access: ProjectWriter,
    body: ParentBody,
    if_match: IfMatch,
    response: Response,
) -> ParentPublic:
    family = subprojects.set_parent(
        ctx,
        access.actor,
        project_key=access.project_key,
        parent_key=body.parent,
        receiving_unit=body.receiving_unit,
        expected_version=if_match,
    )
    set_etag(response, family.project.row_version)
    return ParentPublic.of(family)
