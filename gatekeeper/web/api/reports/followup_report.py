"""The follow-up report of a date as JSON: one project's, and across the caller's projects.

`GET /projects/{key}/followup-report?date=YYYY-MM-DD` answers the report of
that day (today when left out), rebuilt from the project's audit log;
`GET /followup-report?date=…&organisation=…` the same for every project the
caller may see (one organisation's when given), a page of projects at a time.
A date that is no date, lies after today or before the project was created
in gatekeeper is a 422 problem naming `date`. The printable page, the XLSX and
the PDF are in `web/pages/reports/followup_report`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.reports import followup_report as reports
from gatekeeper.web.auth import PrincipalDep, ProjectReader
from gatekeeper.web.bounds import iso_day
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.pagination import Cursor, paginate
from gatekeeper.web.schemas.followup_report import FollowupReportPublic, PortfolioReportPublic

router = APIRouter(tags=["reports"])

ReportDate = Annotated[
    str | None,
    Query(
        alias="date",
        max_length=40,
        description="The report's day, YYYY-MM-DD (the state at the end of that day in "
        "Swedish time); today when left out. A day after today, or before the project "
        "was created in gatekeeper, is 422 naming `date`.",
        examples=["2027-03-31"],
    ),
]
OrganisationFilter = Annotated[
    str | None,
    Query(
        max_length=300,
        description="Only the projects of this organisation (as the project names it).",
        examples=["Vård- och omsorgsförvaltningen, Alingsås kommun"],
    ),
]
ReportLimit = Annotated[int, Query(ge=1, le=50, description="Projects per page.")]


def report_day(ctx: Context, text: str | None) -> date:
    """The report's day from `?date=` (today when absent), or a refusal naming `date`."""
    if text is None or not text.strip():
        return ctx.today()
    try:
        return iso_day(text)
    except ValueError:
        raise ValidationFailed(
            f"'{text[:40]}' är inget datum: skriv det som ÅÅÅÅ-MM-DD, t.ex. 2027-03-31.",
            field="date",
        ) from None


@router.get(
    "/projects/{project_key}/followup-report",
    response_model=FollowupReportPublic,
    summary="The follow-up report of a date: the aktivitetsplan and the project's standing "
    "as they stood then, from the audit log",
)
def get_followup_report(
    ctx: ContextDep, access: ProjectReader, on: ReportDate = None
) -> FollowupReportPublic:
    report = reports.followup_report(ctx, access.project_key, report_day(ctx, on))
    return FollowupReportPublic.of(report)


@router.get(
    "/followup-report",
    response_model=PortfolioReportPublic,
    summary="The follow-up report of a date for every project the caller may see",
)
def get_portfolio_report(
    ctx: ContextDep,
    principal: PrincipalDep,
    on: ReportDate = None,
    organisation: OrganisationFilter = None,
    cursor: Cursor = None,
    limit: ReportLimit = 20,
) -> PortfolioReportPublic:
    report = reports.portfolio_report(
        ctx, principal, report_day(ctx, on), organisation=organisation
    )
    items, next_cursor = paginate(report.sections, cursor=cursor, limit=limit)
    return PortfolioReportPublic.of(report, items, next_cursor)
