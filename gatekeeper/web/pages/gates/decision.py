"""The decision screen: one review, as a styrgrupp member decides it.

`GET /projects/{key}/reviews/{id}` shows, on less than two screens, what is
asked, the criteria in words, the open mandatory items and high risks of the
frozen underlag (collapsed), the votes so far and who has not voted, and the
vote form, which posts to the ordinary vote route (`gate_vote`) with
`return_to=decision`: a refusal shows this screen again, a vote comes back here.
Översikt, the inbox and the vote e-mails link here; a signed-out person logs in
and lands here (`next`). It reads everything through one use case,
`services.gates.decision_view`.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.services.context import Context
from gatekeeper.services.gates import decision_view as decision_views
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem
from gatekeeper.web.pages.gates.gate import OUTCOMES
from gatekeeper.web.sessions import WebProjectReader

router = APIRouter(tags=["pages"], include_in_schema=False)

RETURN_TO = "decision"  # the vote form's `return_to` when it was sent from this screen


def decision_url(project_key: str, review_id: int, anchor: str = "") -> str:
    """The decision screen's address."""
    url = f"/projects/{quote(project_key, safe='')}/reviews/{review_id}"
    return url + (f"#{anchor}" if anchor else "")


def render_decision(
    page: Page,
    ctx: Context,
    project_key: str,
    review_id: int,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The decision screen as the visitor sees it (with a refused vote's problem, if any)."""
    assert page.principal is not None
    view = decision_views.decision_view(ctx, page.principal.actor(), project_key, review_id)
    return page.render(
        "decision.html",
        status_code=status_code,
        view=view,
        project=view.project,
        gate=view.gate,
        readiness=view.readiness,
        review=view.counting,
        problem=problem or FormProblem(),
        outcomes=OUTCOMES,
        return_to=RETURN_TO,
    )


@router.get("/projects/{project_key}/reviews/{review_id}", response_class=HTMLResponse)
def decision_page(
    page: PageDep, ctx: ContextDep, access: WebProjectReader, review_id: RowId
) -> Response:
    return render_decision(page, ctx, access.project_key, review_id)
