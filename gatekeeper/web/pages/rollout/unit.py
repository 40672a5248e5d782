"""One unit of a rollout (`GET /projects/{key}/units/{unit}`): its checklist, a tick form per item.

The page reads the unit's checklist through one use case
(`services.rollout.unit_checklist.unit_checklist`: items by category with
deadlines from the wave, role names, whether the viewer may tick). A tick
calls one use case; a refusal (a stale form, a missing evidence…) re-renders
the page with an error summary linking to the field, and nothing has changed.
The addresses and field reading here are shared with the "Enheter" page.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import GatekeeperError, NotFound, StaleVersion, ValidationFailed
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from gatekeeper.services.rollout import unit_rule
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

BAD_STATUS = N_("Välj Klar, Ej klar eller Ej aktuell.")
STALE_ITEM = N_(
    "Punkten har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur punkten ser ut nu och försök igen."
)
ITEM_SAVED = N_("Punkten är sparad: %(text)s")


def form_field(form: FormData, name: str) -> str:
    """A text field of a unit form, stripped."""
    return form_text(form, name, strip=True)


def units_url(project_key: str, anchor: str = "") -> str:
    return f"/projects/{quote(project_key, safe='')}/units" + (f"#{anchor}" if anchor else "")


def unit_url(project_key: str, unit_key: str, anchor: str = "") -> str:
    url = f"{units_url(project_key)}/{quote(unit_key, safe='')}"
    return url + (f"#{anchor}" if anchor else "")


def _render_unit(
    page: Page,
    ctx: ContextDep,
    project_key: str,
    unit_key: str,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    checklist = unit_checklists.unit_checklist(
        ctx, project_key, unit_key, viewer=page.principal.actor()
    )
    return page.render(
        "unit.html",
        status_code=status_code,
        project=checklist.project,
        checklist=checklist,
        unit=checklist.unit,
        categories=checklist.by_category(),
        role_names=checklist.role_names,
        today=ctx.today(),
        problem=problem or FormProblem(),
        kind_labels=unit_rule.KIND_LABEL_SV,
    )


@router.get("/projects/{project_key}/units/{unit_key}", response_class=HTMLResponse)
def unit_page(page: PageDep, ctx: ContextDep, access: WebProjectReader, unit_key: str) -> Response:
    return _render_unit(page, ctx, access.project_key, unit_key)


@router.post(
    "/projects/{project_key}/units/{unit_key}/items/{item_id}", response_class=HTMLResponse
)
def update_unit_item(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectWriter,
    form: FormGuard,
    unit_key: str,
    item_id: str,
) -> Response:
    anchor = f"item-{item_id}"
    values = {name: form_field(form, name) for name in ("evidence", "comment")}
    fields = {name: f"{name}-{item_id}" for name in ("evidence", "comment")}
    version = form_field(form, "row_version")
    try:
        try:
            status = ItemStatus(form_field(form, "status"))
        except ValueError:
            raise ValidationFailed(page.gettext(BAD_STATUS), field="status") from None
        item = unit_checklists.update_unit_item(
            ctx,
            access.actor,
            project_key=access.project_key,
            unit_key=unit_key,
            item_id=item_id,
            status=status,
            evidence=values["evidence"],
            comment=values["comment"],
            expected_version=int(version) if version.isdigit() else None,
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        message = page.gettext(STALE_ITEM) if isinstance(error, StaleVersion) else error.message
        target = fields.get(getattr(error, "field", None) or "", anchor)
        problem = FormProblem([(message, target)], values, anchor)
        return _render_unit(
            page, ctx, access.project_key, unit_key, problem, status_code=refusal_status(error)
        )
    page.flash(page.gettext(ITEM_SAVED, text=item.text), kind="success")
    return page.redirect(unit_url(access.project_key, unit_key, anchor))
