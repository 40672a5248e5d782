"""The browser's way to ask for a wave's go-live decision ("Begär beslut för vågen").

The readiness page offers the button for each planned wave; the review then
opens on the gate page (`?review=<id>`), where the deciders vote with the
wave's extra fields (units left out and where they move, or a new date).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from gatekeeper.errors import GatekeeperError, NotFound
from gatekeeper.services.gates import wave_review as wave_reviews
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

WAVE_REVIEW_REQUESTED = N_("Beslut om vågens driftstart är begärt. Beslutsfattarna kan nu rösta.")


@router.post("/projects/{project_key}/waves/{wave_key}/review")
def request_wave_review(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, wave_key: str
) -> Response:
    project = quote(access.project_key, safe="")
    message = form.get("message")
    try:
        review = wave_reviews.request_wave_review(
            ctx,
            access.actor,
            project_key=access.project_key,
            wave_key=wave_key,
            message=message if isinstance(message, str) else "",
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        page.flash(error.message, kind="error")
        return page.redirect(f"/projects/{project}/readiness#decide-heading")
    page.flash(page.gettext(WAVE_REVIEW_REQUESTED), kind="success")
    gate = quote(review.gate_id, safe="")
    return page.redirect(f"/projects/{project}/gates/{gate}?review={review.id}#review")
