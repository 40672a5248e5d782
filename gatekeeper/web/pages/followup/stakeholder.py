"""The intressentanalys page of a project: its intressenter, and the forms.

`GET /projects/{key}/stakeholders` lists the intressenter (greatest påverkan
first: intressent, intresse, påverkan, förväntningar, strategi) and, for the
projektledare or an administrator, a form to add one;
`GET /projects/{key}/stakeholders/{id}` shows one with its edit form.
`…/stakeholders.{csv|xlsx}` downloads the analysis. Refusals and stale
forms are answered as on the kommunikationsplan page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.followup.register import INFLUENCE_SV, Influence
from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.followup import stakeholder as stakeholders
from gatekeeper.services.followup.register_view import register_view
from gatekeeper.web.api.followup.register import Format, register_file
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.pages.projects.work_form import form_fields, form_values, form_version, refusal
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

ADDED = N_("Intressenten är tillagd: %(name)s")
SAVED = N_("Intressenten är sparad: %(name)s")
STALE = N_(
    "Intressenten har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur den ser ut nu och gör din ändring igen."
)
BAD_INFLUENCE = "Välj påverkan: Liten, Medel eller Stor."
INFLUENCE_WORDS = {
    Influence.LOW: N_("Liten"),
    Influence.MEDIUM: N_("Medel"),
    Influence.HIGH: N_("Stor"),
}
assert set(INFLUENCE_WORDS) == set(INFLUENCE_SV)

NAMES = ("name", "interest", "influence", "expectations", "strategy")


def stakeholders_url(project_key: str) -> str:
    """The intressentanalys page of a project."""
    return f"/projects/{quote(project_key, safe='')}/stakeholders"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    *,
    row_id: int | None = None,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    view = register_view(ctx, project_key, page.principal.email)
    common: dict[str, Any] = {
        "view": view,
        "project": view.project,
        "problem": problem or FormProblem(),
        "influence_words": INFLUENCE_WORDS,
        "influences": [(i.value, page.gettext(INFLUENCE_WORDS[i])) for i in reversed(Influence)],
    }
    if row_id is None:
        return page.render("stakeholders.html", status_code=status_code, **common)
    row = view.stakeholder(row_id)
    return page.render("stakeholder.html", status_code=status_code, row=row, **common)


def _refused(
    page: Page,
    ctx: Context,
    project_key: str,
    error: GatekeeperError,
    *,
    form: str,
    values: dict[str, str],
    row_id: int | None = None,
) -> HTMLResponse:
    problem = refusal(
        error,
        form=form,
        fields=form_fields(form, NAMES),
        values=values,
        stale_message=page.gettext(STALE),
    )
    return _render(
        page, ctx, project_key, row_id=row_id, problem=problem, status_code=refusal_status(error)
    )


def _influence(value: str) -> Influence:
    try:
        return Influence(value)
    except ValueError:
        raise ValidationFailed(BAD_INFLUENCE, field="influence") from None


@router.get("/projects/{project_key}/stakeholders", response_class=HTMLResponse)
def stakeholders_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> Response:
    return _render(page, ctx, access.project_key)


@router.get("/projects/{project_key}/stakeholders.{fmt}")
def stakeholders_file(ctx: ContextDep, access: WebProjectReader, fmt: Format) -> Response:
    return register_file(ctx, access.project_key, "stakeholders", fmt)


@router.get("/projects/{project_key}/stakeholders/{row_id}", response_class=HTMLResponse)
def stakeholder_page(
    page: PageDep, ctx: ContextDep, access: WebProjectReader, row_id: RowId
) -> Response:
    return _render(page, ctx, access.project_key, row_id=row_id)


@router.post("/projects/{project_key}/stakeholders", response_class=HTMLResponse)
def add_stakeholder(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard
) -> Response:
    values = form_values(form, NAMES)
    try:
        row = stakeholders.add_stakeholder(
            ctx,
            access.actor,
            project_key=access.project_key,
            name=values["name"],
            interest=values["interest"],
            influence=_influence(values["influence"] or Influence.MEDIUM.value),
            expectations=values["expectations"],
            strategy=values["strategy"],
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(page, ctx, access.project_key, error, form="add-stakeholder", values=values)
    page.flash(page.gettext(ADDED, name=row.name), kind="success")
    return page.redirect(stakeholders_url(access.project_key) + f"#stakeholder-{row.id}")


@router.post("/projects/{project_key}/stakeholders/{row_id}", response_class=HTMLResponse)
def edit_stakeholder(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, row_id: RowId
) -> Response:
    values = form_values(form, NAMES)
    try:
        row = stakeholders.update_stakeholder(
            ctx,
            access.actor,
            project_key=access.project_key,
            row_id=row_id,
            name=values["name"],
            interest=values["interest"],
            influence=_influence(values["influence"]),
            expectations=values["expectations"],
            strategy=values["strategy"],
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            form="edit-stakeholder",
            values=values,
            row_id=row_id,
        )
    page.flash(page.gettext(SAVED, name=row.name), kind="success")
    return page.redirect(stakeholders_url(access.project_key) + f"#stakeholder-{row.id}")
