"""Asking for a gate review, declaring a conflict of interest (jäv) and passing a gate
without approval policy, from the gate page.

`POST /projects/{key}/gates/{gate}/review` opens the project's review of the
gate; `POST /projects/{key}/reviews/{id}/conflict` takes the member out of the
decision with a reason; `POST /projects/{key}/gates/{gate}/pass` passes a gate
that has no approval policy (its passed_by role, when the criteria hold). A
refusal shows the gate page again with the reason (for failing criteria: each
in words).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied, TransitionRefused
from gatekeeper.services.context import Context
from gatekeeper.services.gates import conflict as conflicts
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.projects import overview as overviews
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.pages.gates.gate import gate_url, refuse, render_gate
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

REVIEW_REQUESTED = N_("Granskningen är begärd. Beslutsfattarna kan nu rösta.")
CONFLICT_SAVED = N_("Jävet är anmält: du deltar inte i beslutet.")
GATE_PASSED = N_("Grinden är passerad. Projektet står nu i fasen %(phase)s.")


def review_gate(ctx: Context, project_key: str, review_id: int) -> tuple[str, bool]:
    """The review's gate, and whether it decides a wave."""
    review = review_views.review_view(ctx, project_key, review_id).review
    return review.gate_id, review.wave_id is not None


@router.post("/projects/{project_key}/gates/{gate_id}/review", response_class=HTMLResponse)
def request_review(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, gate_id: str
) -> Response:
    values = {
        "message": form_text(form, "message"),
        "effective_from": form_text(form, "effective_from") or "target_date",
        "effective_motivation": form_text(form, "effective_motivation"),
    }
    try:
        reviews.request_review(
            ctx,
            access.actor,
            project_key=access.project_key,
            gate_id=gate_id,
            message=values["message"],
            effective_from=values["effective_from"],
            effective_motivation=values["effective_motivation"],
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        return refuse(
            page,
            ctx,
            access.project_key,
            gate_id,
            error,
            form="request-review",
            fields={
                "message": "review-message",
                "effective_from": "review-effective",
                "effective_motivation": "review-effective-motivation",
            },
            values=values,
        )
    page.flash(page.gettext(REVIEW_REQUESTED), kind="success")
    return page.redirect(gate_url(access.project_key, gate_id, "review"))


@router.post("/projects/{project_key}/reviews/{review_id}/conflict", response_class=HTMLResponse)
def declare_conflict(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, review_id: RowId
) -> Response:
    gate_id, for_wave = review_gate(ctx, access.project_key, review_id)
    shown = review_id if for_wave else None
    values = {"reason": form_text(form, "reason")}
    try:
        conflicts.declare_conflict(
            ctx,
            access.actor,
            project_key=access.project_key,
            review_id=review_id,
            reason=values["reason"],
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        return refuse(
            page,
            ctx,
            access.project_key,
            gate_id,
            error,
            form="declare-conflict",
            fields={"reason": "conflict-reason"},
            values=values,
            review_id=shown,
        )
    page.flash(page.gettext(CONFLICT_SAVED), kind="success")
    return page.redirect(gate_url(access.project_key, gate_id, "review", shown))


@router.post("/projects/{project_key}/gates/{gate_id}/pass", response_class=HTMLResponse)
def pass_gate(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, gate_id: str
) -> Response:
    values = {"motivation": form_text(form, "motivation")}
    try:
        change = gates.pass_gate(
            ctx,
            access.actor,
            project_key=access.project_key,
            gate_id=gate_id,
            motivation=values["motivation"],
        )
    except (NotFound, PermissionDenied):
        raise
    except TransitionRefused as error:
        failed = error.verdict.failed if error.verdict is not None else ()
        messages = [(error.message, "pass-gate")] + [
            (c.message(page.lang), "readiness") for c in failed
        ]
        problem = FormProblem(messages, values, "pass-gate")
        return render_gate(page, ctx, access.project_key, gate_id, problem, refusal_status(error))
    except GatekeeperError as error:
        return refuse(
            page,
            ctx,
            access.project_key,
            gate_id,
            error,
            form="pass-gate",
            fields={"motivation": "pass-motivation"},
            values=values,
        )
    workflow = overviews.project_overview(ctx, access.project_key).workflow
    page.flash(
        page.gettext(GATE_PASSED, phase=workflow.phase(change.to_phase).name), kind="success"
    )
    return page.redirect(f"/projects/{access.project_key}")
