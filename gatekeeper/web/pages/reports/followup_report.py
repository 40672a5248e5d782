"""The follow-up report of a date as a printable page, an XLSX file and a PDF.

`GET /projects/{key}/followup-report?date=YYYY-MM-DD` is one project's report
(today's when no date is given) laid out for A4 in print: a head saying where
the project stood that day, then the aktivitetsplan as seed 002 writes it.
`…/followup-report.xlsx` and `…/followup-report.pdf` are the same report as
files (the PDF is the printed page, through `web/pdf`). `GET /followup-report`
(and `.xlsx`, `.pdf`) is the report of every project the person may see, one
section each, optionally one organisation's. A date the report refuses (no
date, after today, before the project existed) shows the page again with the
reason linked to the date field; the files answer the error page. All are
readable with an API token too, for tools that file the report.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.access import Principal
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.reports import followup_report as reports
from gatekeeper.services.reports.followup_report_export import activity_table
from gatekeeper.web.api.reports.followup_report import OrganisationFilter, ReportDate, report_day
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.pdf import pdf_response
from gatekeeper.web.sessions import WebOrTokenProjectReader, token_or_session_principal
from gatekeeper.web.spreadsheet import xlsx_bytes

router = APIRouter(tags=["pages"], include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "Uppföljning"
Viewer = Annotated[Principal, Depends(token_or_session_principal)]


def _query(on: date | str, organisation: str | None = None) -> str:
    values = {"date": str(on)}
    if organisation:
        values["organisation"] = organisation
    return "?" + urlencode(values)


def _render(
    page: Page,
    *,
    base: str,
    asked: str,
    organisation: str | None = None,
    problem: FormProblem | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return page.render(
        "followup_report.html",
        status_code=status_code,
        base=base,
        asked=asked,
        organisation=organisation or "",
        problem=problem or FormProblem(),
        files=_query(asked, organisation) if problem is None else "",
        **context,
    )


def _refused(page: Page, error: ValidationFailed, **context: Any) -> HTMLResponse:
    return _render(
        page,
        problem=FormProblem([(error.message, "date")]),
        status_code=refusal_status(error),
        **context,
    )


def _project_report(ctx: Context, project_key: str, on: str | None) -> reports.FollowupReport:
    return reports.followup_report(ctx, project_key, report_day(ctx, on))


@router.get("/projects/{project_key}/followup-report", response_class=HTMLResponse)
def followup_report_page(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, on: ReportDate = None
) -> HTMLResponse:
    base = f"/projects/{quote(access.project_key, safe='')}/followup-report"
    asked = on.strip() if on and on.strip() else ctx.today().isoformat()
    try:
        report = _project_report(ctx, access.project_key, on)
    except ValidationFailed as error:
        project = reports.project_heading(ctx, access.project_key)
        return _refused(page, error, base=base, asked=asked, project=project, reports=())
    return _render(page, base=base, asked=asked, project=report.heading, reports=(report,))


@router.get("/projects/{project_key}/followup-report.xlsx")
def followup_report_xlsx(
    ctx: ContextDep, access: WebOrTokenProjectReader, on: ReportDate = None
) -> Response:
    report = _project_report(ctx, access.project_key, on)
    return _xlsx([report], f"uppfoljning-{access.project_key}-{report.on.isoformat()}.xlsx")


@router.get("/projects/{project_key}/followup-report.pdf")
def followup_report_pdf(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, on: ReportDate = None
) -> Response:
    report = _project_report(ctx, access.project_key, on)
    base = f"/projects/{quote(access.project_key, safe='')}/followup-report"
    html = _render(
        page,
        base=base,
        asked=report.on.isoformat(),
        project=report.heading,
        reports=(report,),
    )
    return pdf_response(
        html.body, filename=f"uppfoljning-{access.project_key}-{report.on.isoformat()}.pdf"
    )


@router.get("/followup-report", response_class=HTMLResponse)
def portfolio_report_page(
    page: PageDep,
    ctx: ContextDep,
    principal: Viewer,
    on: ReportDate = None,
    organisation: OrganisationFilter = None,
) -> HTMLResponse:
    asked = on.strip() if on and on.strip() else ctx.today().isoformat()
    common: dict[str, Any] = {"base": "/followup-report", "asked": asked, "project": None}
    try:
        portfolio = reports.portfolio_report(
            ctx, principal, report_day(ctx, on), organisation=organisation
        )
    except ValidationFailed as error:
        choices = reports.organisations_of(ctx, principal)
        return _refused(
            page, error, organisation=organisation, reports=(), choices=choices, **common
        )
    return _render(
        page,
        organisation=portfolio.organisation,
        reports=portfolio.sections,
        portfolio=portfolio,
        choices=portfolio.organisations,
        **common,
    )


def _portfolio(
    ctx: Context, principal: Principal, on: str | None, organisation: str | None
) -> reports.PortfolioReport:
    return reports.portfolio_report(ctx, principal, report_day(ctx, on), organisation=organisation)


@router.get("/followup-report.xlsx")
def portfolio_report_xlsx(
    ctx: ContextDep,
    principal: Viewer,
    on: ReportDate = None,
    organisation: OrganisationFilter = None,
) -> Response:
    portfolio = _portfolio(ctx, principal, on, organisation)
    return _xlsx(list(portfolio.sections), f"uppfoljning-{portfolio.on.isoformat()}.xlsx")


@router.get("/followup-report.pdf")
def portfolio_report_pdf(
    page: PageDep,
    ctx: ContextDep,
    principal: Viewer,
    on: ReportDate = None,
    organisation: OrganisationFilter = None,
) -> Response:
    portfolio = _portfolio(ctx, principal, on, organisation)
    html = _render(
        page,
        base="/followup-report",
        asked=portfolio.on.isoformat(),
        organisation=portfolio.organisation,
        project=None,
        reports=portfolio.sections,
        portfolio=portfolio,
        choices=portfolio.organisations,
    )
    return pdf_response(html.body, filename=f"uppfoljning-{portfolio.on.isoformat()}.pdf")


def _xlsx(report_list: list[reports.FollowupReport], filename: str) -> Response:
    header, rows = activity_table(report_list)
    return Response(
        xlsx_bytes(SHEET_TITLE, header, rows),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
