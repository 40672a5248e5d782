"""The slutrapport as a printable page (A4) and PDF, with its sections' edit forms.

`GET /projects/{key}/final-report` shows the report drafted from the record
(or as fastställd) for every member; the projektledare (or an administrator)
gets a "Skriv" link per written section, which opens
`GET /projects/{key}/final-report/sections/{section}`: one textarea posting to
its own address, refused with the field marked (a stale form answers 412
with the section as it is now; a fastställd report 409). The beställare,
styrgrupp or an administrator fastställer the report with one button
(`POST …/final-report/approve`). `…/final-report.pdf` is the same page as
PDF/A for the diarium. Works without JavaScript.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.reports.slutrapport import SECTION_HINTS, SectionKey
from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied, StaleVersion
from gatekeeper.services.context import Context
from gatekeeper.services.reports import slutrapport as reports
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.pages.projects.work_form import form_version
from gatekeeper.web.pdf import pdf_response
from gatekeeper.web.sessions import WebOrTokenProjectReader, WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

SECTION_SAVED = N_("Avsnittet är sparat: %(heading)s")
APPROVED = N_("Slutrapporten är fastställd. Den kan inte längre ändras.")
STALE_SECTION = N_(
    "Avsnittet har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se texten som den är nu och gör din ändring igen."
)


def report_url(project_key: str) -> str:
    return f"/projects/{quote(project_key, safe='')}/final-report"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    viewer: str,
    *,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    view = reports.final_report(ctx, project_key, viewer)
    return page.render(
        "slutrapport.html",
        status_code=status_code,
        view=view,
        report=view.report,
        problem=problem or FormProblem(),
    )


@router.get("/projects/{project_key}/final-report", response_class=HTMLResponse)
def final_report_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> Response:
    return _render(page, ctx, access.project_key, access.principal.email)


@router.get("/projects/{project_key}/final-report.pdf")
def final_report_pdf(page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader) -> Response:
    """The slutrapport as a PDF/A document, for the diarium."""
    html = _render(page, ctx, access.project_key, access.principal.email)
    return pdf_response(html.body, filename=f"slutrapport-{access.project_key}.pdf")


@router.post("/projects/{project_key}/final-report/approve", response_class=HTMLResponse)
def approve(page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard) -> Response:
    try:
        reports.approve(ctx, access.actor, project_key=access.project_key)
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        problem = FormProblem([(error.message, "approve")], {}, "approve")
        return _render(
            page,
            ctx,
            access.project_key,
            access.principal.email,
            problem=problem,
            status_code=refusal_status(error),
        )
    page.flash(page.gettext(APPROVED), kind="success")
    return page.redirect(report_url(access.project_key))


def _section_page(
    page: Page,
    ctx: Context,
    project_key: str,
    viewer: str,
    section: str,
    *,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    key = reports.section_key(section)
    view = reports.final_report(ctx, project_key, viewer)
    return page.render(
        "slutrapport_section.html",
        status_code=status_code,
        view=view,
        report=view.report,
        section=view.report.text(key),
        hint=SECTION_HINTS[key],
        problem=problem or FormProblem(),
    )


@router.get("/projects/{project_key}/final-report/sections/{section}", response_class=HTMLResponse)
def section_page(
    page: PageDep, ctx: ContextDep, access: WebProjectReader, section: SectionKey
) -> Response:
    return _section_page(page, ctx, access.project_key, access.principal.email, section.value)


@router.post("/projects/{project_key}/final-report/sections/{section}", response_class=HTMLResponse)
def save_section(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, section: SectionKey
) -> Response:
    text = form_text(form, "text")
    try:
        saved = reports.save_section(
            ctx,
            access.actor,
            project_key=access.project_key,
            section=section.value,
            text=text,
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        stale = isinstance(error, StaleVersion)
        problem = FormProblem(
            [(page.gettext(STALE_SECTION) if stale else error.message, "section-text")],
            {} if stale else {"text": text},
            "section",
        )
        return _section_page(
            page,
            ctx,
            access.project_key,
            access.principal.email,
            section.value,
            problem=problem,
            status_code=refusal_status(error),
        )
    page.flash(page.gettext(SECTION_SAVED, heading=saved.heading), kind="success")
    return page.redirect(report_url(access.project_key) + f"#section-{section.value}")
