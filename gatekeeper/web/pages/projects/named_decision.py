"""Registering the diarienummer of a named decision (finansiering…) from the project page.

`POST /projects/{key}/named-decisions/{decision}/reference` calls
`services.projects.named_decision.set_named_decision_reference` (the same as
`PATCH …/named-decisions/{decision}` of the API) with the row version the page
was rendered with. The project page shows the form to the projektledare and
administrators only; the use case refuses anyone else (403, audited). An empty
number shows the project page again with the field marked, a stale form
answers 412 with the diarienummer as it is now.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.pages.forms import form_text, refusal_status
from gatekeeper.web.pages.projects.project import render_project
from gatekeeper.web.pages.projects.work_form import STALE_DECISION, form_version, refusal
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

REFERENCE_SAVED = N_("Diarienumret för %(title)s är registrerat: %(reference)s")


@router.post(
    "/projects/{project_key}/named-decisions/{decision_key}/reference",
    response_class=HTMLResponse,
)
def set_reference(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, decision_key: str
) -> Response:
    values = {"reference": form_text(form, "reference", strip=True)}
    try:
        decision = decisions.set_named_decision_reference(
            ctx,
            access.actor,
            project_key=access.project_key,
            key=decision_key,
            reference=values["reference"],
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        problem = refusal(
            error,
            form=f"named-reference-{decision_key}",
            fields={"reference": f"named-reference-{decision_key}-number"},
            values=values,
            stale_message=page.gettext(STALE_DECISION),
        )
        return render_project(page, ctx, access, problem=problem, status_code=refusal_status(error))
    page.flash(
        page.gettext(REFERENCE_SAVED, title=decision.title, reference=decision.reference),
        kind="success",
    )
    key = quote(access.project_key, safe="")
    return page.redirect(f"/projects/{key}#named-decisions-heading")
