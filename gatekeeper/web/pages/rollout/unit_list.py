"""The rollout's "Enheter" page (`GET /projects/{key}/units`): waves, kommuner, units, and forms.

It shows each wave with its kommuner and their units as a tree, with progress
and readiness in words, filtered by the plain GET parameters `visa`
(mina/alla: an införandeansvarig sees her own units first), `kommun`, `wave`
and `beredskap` (redo/inte-redo/forsenad), so every view has its own address
and the back button works. A region's thousand units are never listed at
once: the kommuner are, with their counts (`services.rollout.unit_overview`).
The forms: tick one item for many units (only the units the viewer may tick
carry a checkbox; the answer lists what was done, already done and refused,
per unit, and keeps the filters and the selection), and, for the projektledare
and administrators only, add a unit, move one to another wave (a later wave
needs a motivation), remove one, import a CSV/XLSX file (a refused file lists
every bad row) and add a wave. Every form calls one use case; a refusal
re-renders the page with an error summary linking to the field, and nothing
has changed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import GatekeeperError, NotFound, ValidationFailed
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from gatekeeper.services.rollout import import_file, unit_import, unit_move, unit_rule
from gatekeeper.services.rollout import unit as units
from gatekeeper.services.rollout import unit_overview as unit_overviews
from gatekeeper.services.rollout import wave as waves
from gatekeeper.services.rollout.bulk_tick import BulkResult
from gatekeeper.services.rollout.unit_overview import UnitQuery
from gatekeeper.web.bounds import iso_day
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.pages.rollout.unit import BAD_STATUS, form_field, unit_url, units_url
from gatekeeper.web.pages.rollout.unit_filter import UnitQueryDep, filter_params, query_string
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

MAX_UPLOAD = 900 * 1024
BAD_DATE = N_("Ange driftstart som ÅÅÅÅ-MM-DD.")
NO_FILE = N_("Välj en CSV- eller XLSX-fil att importera.")
TOO_BIG = N_("Filen är för stor; dela upp den i flera filer.")
UNIT_ADDED = N_("Enheten är tillagd: %(name)s")
UNIT_MOVED = N_("Enheten är flyttad till %(wave)s.")
UNIT_REMOVED = N_("Borttaget: %(keys)s")
UNITS_IMPORTED = N_("%(units)d enheter är importerade.")
WAVE_CREATED = N_("Vågen är skapad: %(name)s")


def _render_units(
    page: Page,
    ctx: ContextDep,
    project_key: str,
    query: UnitQuery,
    problem: FormProblem | None = None,
    bulk: BulkResult | None = None,
    status_code: int = 200,
    selected: frozenset[str] = frozenset(),
) -> HTMLResponse:
    assert page.principal is not None
    view = unit_overviews.unit_overview(
        ctx, project_key, viewer=page.principal.actor(), query=query
    )
    base = units_url(project_key)

    def link(**changes: str | None) -> str:
        return f"{base}?{urlencode(filter_params(view, **changes))}"

    return page.render(
        "units.html",
        status_code=status_code,
        view=view,
        selected=selected,
        project=view.project,
        wave_list=view.waves,
        items=view.items,
        problem=problem or FormProblem(),
        bulk=bulk,
        kind_labels=unit_rule.KIND_LABEL_SV,
        link=link,
        # The filters in force (hers by default) go with every form, so the answer keeps them.
        here=query_string(query) if view.unknown else f"?{urlencode(filter_params(view))}",
        readiness_url=f"/projects/{view.project.key}/readiness",
    )


def _refused(
    page: Page,
    ctx: ContextDep,
    project_key: str,
    error: GatekeeperError,
    *,
    form: str,
    fields: dict[str, str],
    values: dict[str, str],
    query: UnitQuery,
    rows: list[str] | None = None,
) -> HTMLResponse:
    target = fields.get(getattr(error, "field", None) or "", next(iter(fields.values()), form))
    message = error.message.split("\n", 1)[0] if rows else error.message
    problem = FormProblem([(message, target)], values, form, rows or [])
    return _render_units(page, ctx, project_key, query, problem, status_code=refusal_status(error))


@router.get("/projects/{project_key}/units", response_class=HTMLResponse)
def units_page(
    page: PageDep, ctx: ContextDep, access: WebProjectReader, query: UnitQueryDep
) -> Response:
    return _render_units(page, ctx, access.project_key, query)


UNIT_FIELDS = {
    "key": "unit-key",
    "name": "unit-name",
    "kind": "unit-kind",
    "parent_key": "unit-parent",
    "wave_key": "unit-wave",
    "responsible_email": "unit-email",
    "responsible_name": "unit-person",
}


@router.post("/projects/{project_key}/units", response_class=HTMLResponse)
def add_unit(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, query: UnitQueryDep
) -> Response:
    values = {name: form_field(form, name) for name in UNIT_FIELDS}
    try:
        unit = units.add_unit(
            ctx,
            access.actor,
            project_key=access.project_key,
            key=values["key"],
            name=values["name"],
            kind=values["kind"],
            parent_key=values["parent_key"] or None,
            wave_key=values["wave_key"] or None,
            responsible_email=values["responsible_email"],
            responsible_name=values["responsible_name"],
        )
    except GatekeeperError as error:
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            query=query,
            form="add-unit",
            fields=UNIT_FIELDS,
            values=values,
        )
    page.flash(page.gettext(UNIT_ADDED, name=unit.name), kind="success")
    return page.redirect(unit_url(access.project_key, unit.key))


MOVE_FIELDS = {"unit_key": "move-unit", "wave_key": "move-wave", "motivation": "move-motivation"}


@router.post("/projects/{project_key}/units/move", response_class=HTMLResponse)
def move_unit(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, query: UnitQueryDep
) -> Response:
    values = {name: form_field(form, name) for name in MOVE_FIELDS}
    try:
        unit_move.move_unit(
            ctx,
            access.actor,
            project_key=access.project_key,
            unit_key=values["unit_key"],
            wave_key=values["wave_key"],
            motivation=values["motivation"],
        )
    except GatekeeperError as error:
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            query=query,
            form="move-unit",
            fields=MOVE_FIELDS,
            values=values,
        )
    page.flash(page.gettext(UNIT_MOVED, wave=values["wave_key"]), kind="success")
    return page.redirect(units_url(access.project_key, f"wave-{values['wave_key']}"))


REMOVE_FIELDS = {"unit_key": "remove-unit", "with_children": "remove-children"}


@router.post("/projects/{project_key}/units/remove", response_class=HTMLResponse)
def remove_unit(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, query: UnitQueryDep
) -> Response:
    values = {name: form_field(form, name) for name in REMOVE_FIELDS}
    try:
        removed = units.remove_unit(
            ctx,
            access.actor,
            project_key=access.project_key,
            unit_key=values["unit_key"],
            with_children=values["with_children"] == "yes",
        )
    except GatekeeperError as error:
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            query=query,
            form="remove-unit",
            fields=REMOVE_FIELDS,
            values=values,
        )
    page.flash(page.gettext(UNIT_REMOVED, keys=", ".join(removed)), kind="success")
    return page.redirect(units_url(access.project_key))


@router.post("/projects/{project_key}/units/import", response_class=HTMLResponse)
async def import_units(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, query: UnitQueryDep
) -> Response:
    upload = form.get("file")
    fields = {"file": "import-file"}
    if isinstance(upload, UploadFile) and not upload.filename:
        await upload.close()
    if not isinstance(upload, UploadFile) or not upload.filename:
        error = ValidationFailed(page.gettext(NO_FILE), field="file")
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            query=query,
            form="import",
            fields=fields,
            values={},
        )
    try:
        data = await upload.read(MAX_UPLOAD + 1)
    finally:
        await upload.close()  # a form read by the CSRF guard is not closed for us
    if len(data) > MAX_UPLOAD:
        error = ValidationFailed(page.gettext(TOO_BIG), field="file")
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            query=query,
            form="import",
            fields=fields,
            values={},
        )
    try:
        result = unit_import.import_units(
            ctx, access.actor, project_key=access.project_key, data=data, filename=upload.filename
        )
    except import_file.ImportRejected as rejected:
        return _refused(
            page,
            ctx,
            access.project_key,
            rejected,
            query=query,
            form="import",
            fields=fields,
            values={},
            rows=[str(e) for e in rejected.errors],
        )
    except GatekeeperError as error:
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            query=query,
            form="import",
            fields=fields,
            values={},
        )
    page.flash(page.gettext(UNITS_IMPORTED, units=result.units), kind="success")
    return page.redirect(units_url(access.project_key))


WAVE_FIELDS = {"key": "wave-key", "name": "wave-name", "go_live_on": "wave-go-live"}


@router.post("/projects/{project_key}/waves", response_class=HTMLResponse)
def create_wave(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, query: UnitQueryDep
) -> Response:
    values = {name: form_field(form, name) for name in WAVE_FIELDS}
    try:
        try:
            go_live_on = iso_day(values["go_live_on"])
        except ValueError:
            raise ValidationFailed(page.gettext(BAD_DATE), field="go_live_on") from None
        wave = waves.create_wave(
            ctx,
            access.actor,
            project_key=access.project_key,
            key=values["key"],
            name=values["name"],
            go_live_on=go_live_on,
        )
    except GatekeeperError as error:
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            query=query,
            form="add-wave",
            fields=WAVE_FIELDS,
            values=values,
        )
    page.flash(page.gettext(WAVE_CREATED, name=wave.name), kind="success")
    return page.redirect(units_url(access.project_key, f"wave-{wave.key}"))


BULK_FIELDS = {
    "item_id": "bulk-item",
    "unit_keys": "bulk-units",
    "status": "bulk-status",
    "evidence": "bulk-evidence",
    "comment": "bulk-comment",
}


@router.post("/projects/{project_key}/units/bulk", response_class=HTMLResponse)
def bulk_tick(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, query: UnitQueryDep
) -> Response:
    values = {name: form_field(form, name) for name in ("item_id", "status", "evidence", "comment")}
    keys = [key for key in form.getlist("unit_keys") if isinstance(key, str)]
    try:
        try:
            status = ItemStatus(values["status"])
        except ValueError:
            raise ValidationFailed(page.gettext(BAD_STATUS), field="status") from None
        result = unit_bulk.bulk_update_items(
            ctx,
            access.actor,
            project_key=access.project_key,
            item_id=values["item_id"],
            unit_keys=keys,
            status=status,
            evidence=values["evidence"] or None,
            comment=values["comment"] or None,
            with_units_below=form_field(form, "with_units_below") == "on",
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound) and not values["item_id"]:
            error = ValidationFailed(error.message, field="item_id")
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            query=query,
            form="bulk",
            fields=BULK_FIELDS,
            values=values,
        )
    # The units stay selected, so the next item can be ticked for the same ones.
    asked = {*result.done, *result.already, *(r.unit_key for r in result.refused)}
    return _render_units(
        page, ctx, access.project_key, query, bulk=result, selected=frozenset(asked)
    )
