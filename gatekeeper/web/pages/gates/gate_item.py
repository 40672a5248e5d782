"""Ticking a checklist item on the gate page: status, evidence and comment.

`POST /projects/{key}/gates/{gate}/items/{checklist}/{item}` calls the
checklist use case with the row version the form was rendered with; a stale
form (someone changed the item since) shows the gate page again with the item
as it is now and a sentence saying nothing was saved.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import GatekeeperError, NotFound, StaleVersion, ValidationFailed
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.pages.forms import form_text
from gatekeeper.web.pages.gates.gate import gate_url, refuse
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

STALE_ITEM = N_(
    "Punkten har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur punkten ser ut nu och försök igen."
)
ITEM_SAVED = N_("Punkten är sparad: %(text)s")
BAD_STATUS = N_("Välj Markera som klar, Markera som ej klar eller Ej aktuell.")


@router.post(
    "/projects/{project_key}/gates/{gate_id}/items/{checklist_id}/{item_id}",
    response_class=HTMLResponse,
)
def update_item(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectWriter,
    form: FormGuard,
    gate_id: str,
    checklist_id: str,
    item_id: str,
) -> Response:
    anchor = f"item-{checklist_id}-{item_id}"
    values = {name: form_text(form, name) for name in ("evidence", "comment")}
    fields = {name: f"{name}-{checklist_id}-{item_id}" for name in ("evidence", "comment")}
    try:
        status = ItemStatus(form_text(form, "status"))
    except ValueError:
        error = ValidationFailed(page.gettext(BAD_STATUS), field="status")
        return refuse(
            page, ctx, access.project_key, gate_id, error, form=anchor, fields=fields, values=values
        )
    version = form_text(form, "row_version")
    try:
        item = checklists.update_item(
            ctx,
            access.actor,
            project_key=access.project_key,
            gate_id=gate_id,
            checklist_id=checklist_id,
            item_id=item_id,
            status=status,
            evidence=values["evidence"],
            comment=values["comment"],
            expected_version=int(version) if version.isdigit() else None,
        )
    except StaleVersion as error:
        return refuse(
            page,
            ctx,
            access.project_key,
            gate_id,
            error,
            form=anchor,
            fields=fields,
            values=values,
            message=page.gettext(STALE_ITEM),
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        return refuse(
            page, ctx, access.project_key, gate_id, error, form=anchor, fields=fields, values=values
        )
    page.flash(page.gettext(ITEM_SAVED, text=item.text), kind="success")
    return page.redirect(gate_url(access.project_key, gate_id, anchor))
