"""The gate page: readiness in words, the checklist with its deadlines, review, votes, decision.

`GET /projects/{key}/gates/{gate}` shows every criterion passed or failed, the
checklist by category (deadlines on the kritisk linje, overdue marked in
words), a form per item to tick it with evidence and a comment, the request
for a review, the open review (snapshot, seats, votes so far, the vote and
jäv forms for those who hold a seat) and the decisions taken on the gate. It
reads everything through one use case, `services.gates.gate_view`.

The page's forms post to routes of their own modules (`gate_item`,
`gate_review`, `gate_vote`), each calling one use case. A refusal (a stale
form, a vote not allowed, a missing motivation…) re-renders this page with an
error summary that links to the field (`refuse`), and nothing has changed;
success goes back to the page (post/redirect/get) with a message.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.outcome import Outcome
from gatekeeper.errors import GatekeeperError, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.gates import gate_view as gate_views
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.sessions import WebProjectReader

router = APIRouter(tags=["pages"], include_in_schema=False)

OUTCOMES = tuple(outcome.value for outcome in Outcome)


def render_gate(
    page: Page,
    ctx: Context,
    project_key: str,
    gate_id: str,
    problem: FormProblem | None = None,
    status_code: int = 200,
    review_id: int | None = None,
) -> HTMLResponse:
    """The gate page as the visitor sees it (with a refused form's problem, if any)."""
    assert page.principal is not None
    view = gate_views.gate_view(ctx, page.principal.actor(), project_key, gate_id, review_id)
    return page.render(
        "gate.html",
        status_code=status_code,
        view=view,
        project=view.readiness.project,
        gate=view.gate,
        readiness=view.readiness,
        review=view.review,
        problem=problem or FormProblem(),
        outcomes=OUTCOMES,
    )


def gate_url(project_key: str, gate_id: str, anchor: str = "", review_id: int | None = None) -> str:
    """The gate page's address (a wave review's page names the review)."""
    url = f"/projects/{quote(project_key, safe='')}/gates/{quote(gate_id, safe='')}"
    if review_id is not None:
        url += f"?review={review_id}"
    return url + (f"#{anchor}" if anchor else "")


def refuse(
    page: Page,
    ctx: Context,
    project_key: str,
    gate_id: str,
    error: GatekeeperError,
    *,
    form: str,
    fields: dict[str, str],
    values: dict[str, str],
    message: str | None = None,
    review_id: int | None = None,
) -> HTMLResponse:
    """The page again, with the refusal in an error summary linking to the field."""
    target = fields.get(getattr(error, "field", None) or "", form)
    if isinstance(error, ValidationFailed) and (error.field or "").startswith("conditions"):
        target = fields.get("conditions", form)
    problem = FormProblem([(message or error.message, target)], values, form)
    return render_gate(page, ctx, project_key, gate_id, problem, refusal_status(error), review_id)


@router.get("/projects/{project_key}/gates/{gate_id}", response_class=HTMLResponse)
def gate_page(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectReader,
    gate_id: str,
    review: RowId | None = None,
) -> Response:
    return render_gate(page, ctx, access.project_key, gate_id, review_id=review)
