"""Registering the diarienummer of a gate decision from its beslutsprotokoll page.

`POST /projects/{key}/decisions/{id}/reference` calls the register's use case
(`services.gates.register.set_reference`, the same as `PUT …/reference` of the
API) with the row version the page was rendered with. The protocol page shows
the form to the projektledare and administrators only; the use case refuses
anyone else (403). An empty number shows the protocol again with the field
marked, a stale form answers 412 with the decision as it is now.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied
from gatekeeper.services.gates import register as decision_register
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.pages.forms import form_text, refusal_status
from gatekeeper.web.pages.gates.protocol import render_protocol
from gatekeeper.web.pages.projects.work_form import STALE_DECISION, form_version, refusal
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

REFERENCE_SAVED = N_("Diarienumret är registrerat: %(reference)s")


@router.post(
    "/projects/{project_key}/decisions/{decision_id}/reference", response_class=HTMLResponse
)
def set_reference(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, decision_id: RowId
) -> Response:
    values = {"reference": form_text(form, "reference", strip=True)}
    try:
        decision = decision_register.set_reference(
            ctx,
            access.actor,
            project_key=access.project_key,
            decision_id=decision_id,
            reference=values["reference"],
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        problem = refusal(
            error,
            form="reference",
            fields={"reference": "reference-number"},
            values=values,
            stale_message=page.gettext(STALE_DECISION),
        )
        return render_protocol(
            page, ctx, access, decision_id, problem=problem, status_code=refusal_status(error)
        )
    page.flash(page.gettext(REFERENCE_SAVED, reference=decision.reference or ""), kind="success")
    key = quote(access.project_key, safe="")
    return page.redirect(f"/projects/{key}/decisions/{decision_id}/protocol#reference")
