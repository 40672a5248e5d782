"""Casting a vote in a gate or wave review, from the gate page.

`POST /projects/{key}/reviews/{id}/vote` reads the vote form (outcome,
motivation, conditions of a conditional go, units left out of a wave and the
wave they move to, a no-go's new date) and calls the voting use case once.
When the vote decides the gate the page shows the decision; a refusal shows
the gate page again with the reason linked to its field.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gatekeeper.core.outcome import Outcome
from gatekeeper.errors import GatekeeperError, NotFound, ValidationFailed
from gatekeeper.services.gates import vote as voting
from gatekeeper.web.bounds import RowId, iso_day
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.labels import OUTCOME
from gatekeeper.web.page import PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.pages.gates.decision import RETURN_TO, decision_url, render_decision
from gatekeeper.web.pages.gates.gate import OUTCOMES, gate_url, refuse
from gatekeeper.web.pages.gates.gate_review import review_gate
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

VOTE_SAVED = N_("Din röst är lagd.")
GATE_DECIDED = N_("Grinden är beslutad: %(outcome)s.")
BAD_DATE = N_("Ange villkorets datum som ÅÅÅÅ-MM-DD.")


VOTE_FIELDS = {
    "outcome": "vote-outcome",
    "motivation": "vote-motivation",
    "override_motivation": "vote-override",
    "recycle_to": "vote-recycle-to",
    "conditions": "vote-condition-text",
    "on_behalf_of": "vote-on-behalf-of",
    "exclude_units": "vote-exclude-units",
    "move_to_wave": "vote-move-to-wave",
    "postpone_to": "vote-postpone-to",
}


def _conditions(form: FormData) -> list[voting.ConditionSpec]:
    texts = form.getlist("condition_text")
    owners = form.getlist("condition_owner")
    dues = form.getlist("condition_due")
    specs = []
    for text, owner, due in zip(texts, owners, dues, strict=False):
        if not all(isinstance(v, str) for v in (text, owner, due)):
            continue
        assert isinstance(text, str) and isinstance(owner, str) and isinstance(due, str)
        if not (text.strip() or owner.strip() or due.strip()):
            continue
        try:
            due_on = iso_day(due)
        except ValueError:
            raise ValidationFailed(BAD_DATE, field="conditions") from None
        specs.append(voting.ConditionSpec(text=text, owner=owner, due_on=due_on))
    return specs


def _date_or_none(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return iso_day(value)
    except ValueError:
        raise ValidationFailed(BAD_DATE, field=field) from None


@router.post("/projects/{project_key}/reviews/{review_id}/vote", response_class=HTMLResponse)
def vote(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, review_id: RowId
) -> Response:
    gate_id, for_wave = review_gate(ctx, access.project_key, review_id)
    shown = review_id if for_wave else None
    names = (
        "outcome",
        "motivation",
        "override_motivation",
        "recycle_to",
        "on_behalf_of",
        "condition_text",
        "condition_owner",
        "condition_due",
        "move_to_wave",
        "postpone_to",
    )
    values = {name: form_text(form, name) for name in names}
    from_screen = form_text(form, "return_to") == RETURN_TO  # sent from the decision screen
    outcome = values["outcome"]
    excluded = [key for key in form.getlist("exclude_units") if isinstance(key, str)]
    try:
        conditions = _conditions(form) if outcome == Outcome.CONDITIONAL_GO.value else []
        approving = outcome in (Outcome.GO.value, Outcome.CONDITIONAL_GO.value)
        postpone_to = (
            _date_or_none(values["postpone_to"], "postpone_to")
            if outcome == Outcome.NO_GO.value
            else None
        )
        result = voting.cast_vote(
            ctx,
            access.actor,
            project_key=access.project_key,
            review_id=review_id,
            outcome=Outcome(outcome) if outcome in OUTCOMES else outcome,  # type: ignore[arg-type]
            motivation=values["motivation"],
            recycle_to=(values["recycle_to"] or None) if outcome == Outcome.RECYCLE.value else None,
            override_motivation=values["override_motivation"] or None,
            conditions=conditions,
            on_behalf_of=values["on_behalf_of"] or None,
            exclude_units=excluded if approving else (),
            move_to_wave=(values["move_to_wave"] or None) if approving and excluded else None,
            postpone_to=postpone_to,
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        message = page.gettext(error.message) if error.message == BAD_DATE else None
        if from_screen:
            target = VOTE_FIELDS.get(getattr(error, "field", None) or "", "vote")
            problem = FormProblem([(message or error.message, target)], values, "vote")
            return render_decision(
                page, ctx, access.project_key, review_id, problem, refusal_status(error)
            )
        return refuse(
            page,
            ctx,
            access.project_key,
            gate_id,
            error,
            form="vote",
            fields=VOTE_FIELDS,
            values=values,
            message=message,
            review_id=shown,
        )
    if result.decision is not None:
        label = page.gettext(
            OUTCOME.get(result.decision.outcome.value, result.decision.outcome.value)
        )
        page.flash(page.gettext(GATE_DECIDED, outcome=label), kind="success")
        if from_screen:
            return page.redirect(decision_url(access.project_key, review_id, "result"))
        return page.redirect(gate_url(access.project_key, gate_id, "decisions"))
    page.flash(page.gettext(VOTE_SAVED) + " " + result.tally.reason_sv, kind="success")
    if from_screen:
        return page.redirect(decision_url(access.project_key, review_id, "votes"))
    return page.redirect(gate_url(access.project_key, gate_id, "review", shown))
