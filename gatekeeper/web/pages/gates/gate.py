"""The gate page: readiness in words, the checklist with its deadlines, review, votes, decision.

`GET /projects/{key}/gates/{gate}` shows every criterion passed or failed, the
checklist by category (deadlines on the kritisk linje, overdue marked in
words), a form per item to tick it with evidence and a comment, the request
for a review, the open review (snapshot, seats, votes so far, the vote and
jäv forms for those who hold a seat) and the decisions taken on the gate.

Each form posts to a route that calls one use case. A refusal (a stale form,
a vote not allowed, a missing motivation…) re-renders the page with an error
summary that links to the field, and nothing has changed; success goes back
to the page (post/redirect/get) with a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gatekeeper.core.decision import Ballot, Electorate, Outcome, Tally, tally
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.status import ItemStatus, ReviewStatus
from gatekeeper.errors import (
    GatekeeperError,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import register as decision_register
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.gates.readiness import GateItem, GateReadiness
from gatekeeper.services.gates.register import DecisionEntry
from gatekeeper.services.gates.review import ReviewView
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import project as projects
from gatekeeper.services.rollout import wave as waves
from gatekeeper.store.projects.tables import ProjectMember
from gatekeeper.store.rollout.unit_tables import Wave
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.labels import OUTCOME
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

STALE_ITEM = N_(
    "Punkten har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur punkten ser ut nu och försök igen."
)
ITEM_SAVED = N_("Punkten är sparad: %(text)s")
REVIEW_REQUESTED = N_("Granskningen är begärd. Beslutsfattarna kan nu rösta.")
VOTE_SAVED = N_("Din röst är lagd.")
GATE_DECIDED = N_("Grinden är beslutad: %(outcome)s.")
CONFLICT_SAVED = N_("Jävet är anmält: du deltar inte i beslutet.")
BAD_DATE = N_("Ange villkorets datum som ÅÅÅÅ-MM-DD.")
BAD_STATUS = N_("Välj Markera som klar, Markera som ej klar eller Ej aktuell.")
OUTCOMES = tuple(outcome.value for outcome in Outcome)


@dataclass(frozen=True)
class VoteRow:
    """A vote as the page shows it: counted or not, and why not."""

    member: str
    cast_by: str
    outcome: str
    recycle_to: str | None
    motivation: str
    override: str | None
    conditions: list[dict[str, Any]]
    cast_at: Any
    counted: bool
    why_not: str | None


@dataclass(frozen=True)
class OpenReview:
    """The open review of the gate, with its seats and the count so far."""

    view: ReviewView
    seats: Electorate
    votes: tuple[VoteRow, ...]
    count: Tally
    my_seats: tuple[str, ...]  # the seats the viewer may vote for ("" = their own)
    my_exclusion: str | None  # why the viewer is out of this decision


@dataclass(frozen=True)
class GateView:
    """Everything the gate page shows."""

    readiness: GateReadiness
    workflow: Workflow
    gate: Gate
    categories: tuple[tuple[str, tuple[GateItem, ...]], ...]
    names: dict[str, str]
    role_names: dict[str, str]
    review: OpenReview | None
    decisions: tuple[DecisionEntry, ...]
    can_request: bool
    earlier_phases: tuple[str, ...]
    later_waves: tuple[Wave, ...] = ()  # a wave review: where excluded units may move

    def who(self, actor: str | None) -> str:
        """A person's name for an actor string (`user:anita@…`) or an e-mail address."""
        if not actor:
            return ""
        email = actor.rsplit("/", 1)[-1].split(":", 1)[-1] if ":" in actor else actor
        return self.names.get(email, email)


def _categories(
    items: Sequence[GateItem], several: bool
) -> tuple[tuple[str, tuple[GateItem, ...]], ...]:
    grouped: dict[str, list[GateItem]] = {}
    for item in items:
        heading = f"{item.row.category} ({item.checklist_name})" if several else item.row.category
        grouped.setdefault(heading, []).append(item)
    return tuple((heading, tuple(group)) for heading, group in grouped.items())


def _open_review(
    ctx: Context,
    project_key: str,
    gate: Gate,
    view: ReviewView,
    members: Sequence[ProjectMember],
    viewer: str,
) -> OpenReview:
    review = view.review
    assert review.id is not None and gate.approval is not None
    seats = reviews.review_seats(ctx, project_key, review.id)
    count = tally(
        gate.approval,
        seats,
        [
            Ballot(
                member=v.member,
                outcome=v.outcome,
                cast_at=v.cast_at,
                snapshot_hash=v.snapshot_hash,
                recycle_to=v.recycle_to,
                cast_by=v.cast_by,
                sequence=v.id or 0,
            )
            for v in view.votes
        ],
        now=ctx.clock.now(),
        snapshot_hash=review.snapshot_hash,
    )
    counted = {b.sequence for b in count.counted}
    why = {b.sequence: reason for b, reason in count.discarded}
    rows = tuple(
        VoteRow(
            member=v.member,
            cast_by=v.cast_by,
            outcome=v.outcome.value,
            recycle_to=v.recycle_to,
            motivation=v.motivation,
            override=v.override_motivation,
            conditions=list(v.conditions),
            cast_at=v.cast_at,
            counted=(v.id or 0) in counted,
            why_not=why.get(v.id or 0, N_("Ersatt av en senare röst från samma plats.")),
        )
        for v in view.votes
    )
    mine: list[str] = []
    if seats.seat(viewer) is not None:
        mine.append("")
    if gate.approval.substitutes:
        mine.extend(
            m.substitute_for
            for m in members
            if m.email == viewer and m.substitute_for and seats.seat(m.substitute_for)
        )
    exclusion = next((e.reason_sv for e in seats.excluded if e.member == viewer), None)
    return OpenReview(view, seats, rows, count, tuple(dict.fromkeys(mine)), exclusion)


def gate_view(
    ctx: Context, project_key: str, gate_id: str, viewer: str, review_id: int | None = None
) -> GateView:
    """Gather the page from the read use cases (no SQL here). The open review shown is
    the project's own, or the wave review `review_id` when asked for."""
    readiness = gates.gate_readiness(ctx, project_key, gate_id)
    overview = projects.project_overview(ctx, project_key)
    workflow, gate = overview.workflow, readiness.gate
    views = [v for v in reviews.reviews_of(ctx, project_key) if v.review.gate_id == gate.id]
    open_views = [v for v in views if v.review.status is ReviewStatus.OPEN]
    own = next((v for v in open_views if v.review.wave_id is None), None)
    chosen = next((v for v in open_views if review_id and v.review.id == review_id), None)
    current = chosen or own
    later_waves: tuple[Wave, ...] = ()
    if current is not None and current.review.wave_id is not None:
        all_waves = waves.list_waves(ctx, project_key)
        this = next(w for w in all_waves if w.id == current.review.wave_id)
        later_waves = tuple(
            w for w in all_waves if w.go_live_on > this.go_live_on and w.status != "live"
        )
    review = (
        _open_review(ctx, project_key, gate, current, overview.members, viewer)
        if current is not None and gate.approval is not None
        else None
    )
    decisions = tuple(
        entry
        for entry in decision_register.register(ctx, project_key)
        if entry.decision.gate_id == gate.id
    )
    project = readiness.project
    visited = dict.fromkeys(change.to_phase for change in overview.history)
    names = {m.email: m.name for m in overview.members}
    return GateView(
        readiness=readiness,
        workflow=workflow,
        gate=gate,
        categories=_categories(readiness.items, len(gate.checklists) > 1),
        names=names,
        role_names={role.id: role.name for role in workflow.roles},
        review=review,
        decisions=tuple(reversed(decisions)),
        can_request=(
            own is None
            and gate.approval is not None
            and project.status.value == "active"
            and (
                readiness.is_current
                or (bool(decisions) and decisions[-1].decision.lapsed_at is not None)
            )
        ),
        earlier_phases=tuple(p for p in visited if p != project.phase),
        later_waves=later_waves,
    )


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    gate_id: str,
    problem: FormProblem | None = None,
    status_code: int = 200,
    review_id: int | None = None,
) -> HTMLResponse:
    assert page.principal is not None
    view = gate_view(ctx, project_key, gate_id, page.principal.email, review_id)
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


def _gate_url(
    project_key: str, gate_id: str, anchor: str = "", review_id: int | None = None
) -> str:
    url = f"/projects/{quote(project_key, safe='')}/gates/{quote(gate_id, safe='')}"
    if review_id is not None:
        url += f"?review={review_id}"
    return url + (f"#{anchor}" if anchor else "")


def _refused(
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
    return _render(page, ctx, project_key, gate_id, problem, refusal_status(error), review_id)


@router.get("/projects/{project_key}/gates/{gate_id}", response_class=HTMLResponse)
def gate_page(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectReader,
    gate_id: str,
    review: int | None = None,
) -> Response:
    return _render(page, ctx, access.project_key, gate_id, review_id=review)


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
        return _refused(
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
        return _refused(
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
        return _refused(
            page, ctx, access.project_key, gate_id, error, form=anchor, fields=fields, values=values
        )
    page.flash(page.gettext(ITEM_SAVED, text=item.text), kind="success")
    return page.redirect(_gate_url(access.project_key, gate_id, anchor))


@router.post("/projects/{project_key}/gates/{gate_id}/review", response_class=HTMLResponse)
def request_review(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, gate_id: str
) -> Response:
    values = {"message": form_text(form, "message")}
    try:
        reviews.request_review(
            ctx,
            access.actor,
            project_key=access.project_key,
            gate_id=gate_id,
            message=values["message"],
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        return _refused(
            page,
            ctx,
            access.project_key,
            gate_id,
            error,
            form="request-review",
            fields={"message": "review-message"},
            values=values,
        )
    page.flash(page.gettext(REVIEW_REQUESTED), kind="success")
    return page.redirect(_gate_url(access.project_key, gate_id, "review"))


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
            due_on = date.fromisoformat(due.strip())
        except ValueError:
            raise ValidationFailed(BAD_DATE, field="conditions") from None
        specs.append(voting.ConditionSpec(text=text, owner=owner, due_on=due_on))
    return specs


def _review_gate(ctx: Context, project_key: str, review_id: int) -> tuple[str, bool]:
    """The review's gate, and whether it decides a wave."""
    review = reviews.review_view(ctx, project_key, review_id).review
    return review.gate_id, review.wave_id is not None


def _date_or_none(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(BAD_DATE, field=field) from None


@router.post("/projects/{project_key}/reviews/{review_id}/vote", response_class=HTMLResponse)
def vote(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, review_id: int
) -> Response:
    gate_id, for_wave = _review_gate(ctx, access.project_key, review_id)
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
        return _refused(
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
        return page.redirect(_gate_url(access.project_key, gate_id, "decisions"))
    page.flash(page.gettext(VOTE_SAVED) + " " + result.tally.reason_sv, kind="success")
    return page.redirect(_gate_url(access.project_key, gate_id, "review", shown))


@router.post("/projects/{project_key}/reviews/{review_id}/conflict", response_class=HTMLResponse)
def declare_conflict(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, review_id: int
) -> Response:
    gate_id, for_wave = _review_gate(ctx, access.project_key, review_id)
    shown = review_id if for_wave else None
    values = {"reason": form_text(form, "reason")}
    try:
        reviews.declare_conflict(
            ctx,
            access.actor,
            project_key=access.project_key,
            review_id=review_id,
            reason=values["reason"],
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        return _refused(
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
    return page.redirect(_gate_url(access.project_key, gate_id, "review", shown))
