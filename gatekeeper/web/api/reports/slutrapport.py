"""The slutrapport over the API: the composed report, its written sections, approval.

`GET …/final-report` answers the whole report: drafted from the record now, or
as it was fastställd (`status: approved`). Each written section has its
version as ETag; `PUT …/final-report/sections/{section}` with `If-Match`
on an older version is refused with 412 (a section never written has
version 0), and any change to a fastställd report with 409.
`POST …/final-report/approve` fastställer it (beställare, styrgrupp or an
administrator). The PDF is the printable page's: `/projects/{key}/final-report.pdf`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from gatekeeper.core.reports.slutrapport import SectionKey, TextSection
from gatekeeper.services.reports import slutrapport as reports
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.slutrapport import FinalReportPublic, SectionUpdate

router = APIRouter(tags=["final report"])

_REPORT = "/projects/{project_key}/final-report"

SectionBody = Annotated[
    SectionUpdate,
    Body(
        openapi_examples={
            "ekonomi": {
                "summary": "The ekonomi section",
                "value": {"text": "Budget 1,2 mnkr ur stimulansmedlen; utfall 1,15 mnkr."},
            }
        }
    ),
]


@router.get(_REPORT, response_model=FinalReportPublic, summary="The slutrapport, composed")
def get_final_report(ctx: ContextDep, access: ProjectReader) -> FinalReportPublic:
    view = reports.final_report(ctx, access.project_key, access.principal.email)
    return FinalReportPublic.of(view)


@router.get(
    _REPORT + "/sections",
    response_model=Page[TextSection],
    summary="The written sections of the slutrapport, in order",
)
def list_sections(ctx: ContextDep, access: ProjectReader) -> Page[TextSection]:
    return Page[TextSection](
        items=list(reports.sections(ctx, access.project_key)), next_cursor=None
    )


@router.get(
    _REPORT + "/sections/{section}",
    response_model=TextSection,
    summary="One written section (with ETag; 0 when never written)",
)
def get_section(
    ctx: ContextDep, access: ProjectReader, section: SectionKey, response: Response
) -> TextSection:
    text = reports.section(ctx, access.project_key, section.value)
    set_etag(response, text.row_version)
    return text


@router.put(
    _REPORT + "/sections/{section}",
    response_model=TextSection,
    summary="Write a section of the slutrapport (If-Match honoured; 409 once fastställd)",
)
def put_section(
    ctx: ContextDep,
    access: ProjectWriter,
    section: SectionKey,
    body: SectionBody,
    if_match: IfMatch,
    response: Response,
) -> TextSection:
    text = reports.save_section(
        ctx,
        access.actor,
        project_key=access.project_key,
        section=section.value,
        text=body.text,
        expected_version=if_match,
    )
    set_etag(response, text.row_version)
    return text


@router.post(
    _REPORT + "/approve",
    response_model=FinalReportPublic,
    summary="Fastställ the slutrapport (beställare, styrgrupp or administrator): it is frozen",
)
def approve_final_report(ctx: ContextDep, access: ProjectWriter) -> FinalReportPublic:
    report = reports.approve(ctx, access.actor, project_key=access.project_key)
    return FinalReportPublic(status="approved", may_write=False, may_approve=False, report=report)
