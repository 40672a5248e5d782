"""Gate reviews and votes: request, vote, declare jäv, withdraw; and what follows a
decision (settle its conditions, resume a paused project, record the diarienummer).

Who may do what inside the project (vote, withdraw, waive, resume) is the use
cases' business; these routes only ask for a caller who may change the project.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status

from gatekeeper.services.gates import conflict as conflicts
from gatekeeper.services.gates import register as decision_register
from gatekeeper.services.gates import resume as resumes
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import overview as overviews
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.inputs import (
    ConditionSettle,
    ConflictCreate,
    ReferenceUpdate,
    ResumeCreate,
    ReviewCreate,
    VoteCreate,
)
from gatekeeper.web.schemas.gates import (
    ConditionPublic,
    ConflictPublic,
    DecisionPublic,
    ElectoratePublic,
    ReviewPublic,
    TallyPublic,
    VotePublic,
    VoteResultPublic,
)
from gatekeeper.web.schemas.projects import ProjectDetailPublic

router = APIRouter(tags=["decisions"])

_PROJECT = "/projects/{project_key}"
_REVIEW = _PROJECT + "/reviews/{review_id}"

ReviewBody = Annotated[
    ReviewCreate,
    Body(
        openapi_examples={
            "forstudie": {
                "summary": "Ask the styrgrupp to decide a gate",
                "value": {
                    "gate_id": "forstudie-klar",
                    "message": "Förstudien är klar; underlaget finns på intranätet.",
                },
            },
            "immediately": {
                "summary": "A go that takes effect immediately, not on the target date",
                "value": {
                    "gate_id": "go-live",
                    "effective_from": "immediately",
                    "effective_motivation": "Avtalet med leverantören börjar gälla direkt.",
                },
            },
        }
    ),
]
VoteBody = Annotated[
    VoteCreate,
    Body(
        openapi_examples={
            "go": {
                "summary": "Go",
                "value": {"outcome": "go", "motivation": "Underlaget är komplett."},
            },
            "override": {
                "summary": "Go although criteria fail (motivation required)",
                "value": {
                    "outcome": "go",
                    "motivation": "Förstudien räcker som grund för beslut.",
                    "override_motivation": "Nämnden har redan beslutat om införandet (§53).",
                },
            },
            "conditional": {
                "summary": "Go with a condition",
                "value": {
                    "outcome": "conditional_go",
                    "motivation": "Godkänt under förutsättning att analysen kompletteras.",
                    "conditions": [
                        {
                            "text": "Nulägesanalysen kompletteras med bemanningsstatistik",
                            "owner": "anita.lindqvist@alingsas.se",
                            "due_on": "2026-12-18",
                        }
                    ],
                },
            },
            "recycle": {
                "summary": "Back to an earlier phase",
                "value": {
                    "outcome": "recycle",
                    "motivation": "Projektplanen måste göras om.",
                    "recycle_to": "forstudie",
                },
            },
            "wave_go_except": {
                "summary": "Wave review: go without named units (they move to a later wave)",
                "value": {
                    "outcome": "go",
                    "motivation": "Våg 1 är redo utom Borås hemtjänst norr.",
                    "exclude_units": ["boras-hemtjanst-norr"],
                    "move_to_wave": "vag-2",
                },
            },
            "wave_postpone": {
                "summary": "Wave review: postpone the wave (no_go with a new date)",
                "value": {
                    "outcome": "no_go",
                    "motivation": "Utbildningen hinns inte med; vågen skjuts upp.",
                    "postpone_to": "2027-04-12",
                },
            },
            "substitute": {
                "summary": "As ersättare for a seat holder",
                "value": {
                    "outcome": "go",
                    "motivation": "Röstar som ersättare för Lars Carlsson.",
                    "on_behalf_of": "lars.carlsson@alingsas.se",
                },
            },
        }
    ),
]
ConflictBody = Annotated[
    ConflictCreate,
    Body(
        openapi_examples={
            "jav": {
                "summary": "Declare jäv",
                "value": {"reason": "Make arbetar hos leverantören"},
            }
        }
    ),
]
SettleBody = Annotated[
    ConditionSettle,
    Body(
        openapi_examples={
            "closed": {
                "summary": "The condition is met (its owner or a decider)",
                "value": {"status": "closed", "note": "Statistiken är inlagd i analysen."},
            },
            "waived": {
                "summary": "Waive the condition (a decider)",
                "value": {"status": "waived", "note": "Behövs inte efter nämndens beslut."},
            },
        }
    ),
]
ResumeBody = Annotated[
    ResumeCreate,
    Body(
        openapi_examples={
            "resume": {
                "summary": "Resume a paused project",
                "value": {"motivation": "Finansieringen är klar; projektet återupptas."},
            }
        }
    ),
]
ReferenceBody = Annotated[
    ReferenceUpdate,
    Body(
        openapi_examples={
            "dnr": {
                "summary": "The registrator's diarienummer",
                "value": {"reference": "Dnr 2026.158 VON"},
            }
        }
    ),
]


@router.post(
    _PROJECT + "/reviews",
    response_model=ReviewPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ask the deciders to review a gate; freezes the readiness they decide on",
)
def request_review(
    ctx: ContextDep, access: ProjectWriter, body: ReviewBody, response: Response
) -> ReviewPublic:
    review = reviews.request_review(
        ctx,
        access.actor,
        project_key=access.project_key,
        gate_id=body.gate_id,
        message=body.message,
        effective_from=body.effective_from,
        effective_motivation=body.effective_motivation,
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/reviews/{review.id}"
    return ReviewPublic.of(review_views.ReviewView(review=review, votes=(), conflicts=()))


@router.get(
    _REVIEW,
    response_model=ReviewPublic,
    summary="One gate review with its votes and declared conflicts of interest",
)
def get_review(ctx: ContextDep, access: ProjectReader, review_id: RowId) -> ReviewPublic:
    return ReviewPublic.of(review_views.review_view(ctx, access.project_key, review_id))


@router.get(
    _REVIEW + "/seats",
    response_model=ElectoratePublic,
    summary="Who may vote in a review, and who is excluded and why",
)
def get_seats(ctx: ContextDep, access: ProjectReader, review_id: RowId) -> ElectoratePublic:
    return ElectoratePublic.of(review_views.review_seats(ctx, access.project_key, review_id))


@router.post(
    _REVIEW + "/votes",
    response_model=VoteResultPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Vote in a review; the answer carries the count and, once decided, the decision",
)
def cast_vote(
    ctx: ContextDep, access: ProjectWriter, review_id: RowId, body: VoteBody
) -> VoteResultPublic:
    result = voting.cast_vote(
        ctx,
        access.actor,
        project_key=access.project_key,
        review_id=review_id,
        outcome=body.outcome,
        motivation=body.motivation,
        recycle_to=body.recycle_to,
        override_motivation=body.override_motivation,
        conditions=[voting.ConditionSpec(c.text, str(c.owner), c.due_on) for c in body.conditions],
        on_behalf_of=str(body.on_behalf_of) if body.on_behalf_of else None,
        exclude_units=body.exclude_units,
        move_to_wave=body.move_to_wave,
        postpone_to=body.postpone_to,
        decided_on=body.decided_on,
    )
    decision = (
        DecisionPublic.of(decision_register.protocol(ctx, access.project_key, result.decision.id))
        if result.decision is not None and result.decision.id is not None
        else None
    )
    return VoteResultPublic(
        vote=VotePublic.of(result.vote), tally=TallyPublic.of(result.tally), decision=decision
    )


@router.post(
    _REVIEW + "/conflicts",
    response_model=ConflictPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Declare a conflict of interest (jäv): out of this decision",
)
def declare_conflict(
    ctx: ContextDep, access: ProjectWriter, review_id: RowId, body: ConflictBody
) -> ConflictPublic:
    conflict = conflicts.declare_conflict(
        ctx, access.actor, project_key=access.project_key, review_id=review_id, reason=body.reason
    )
    return ConflictPublic.of(conflict)


@router.post(
    _REVIEW + "/withdraw",
    response_model=ReviewPublic,
    summary="Withdraw an open review (its requester or a decider); its votes lapse",
)
def withdraw_review(ctx: ContextDep, access: ProjectWriter, review_id: RowId) -> ReviewPublic:
    reviews.withdraw_review(ctx, access.actor, project_key=access.project_key, review_id=review_id)
    return ReviewPublic.of(review_views.review_view(ctx, access.project_key, review_id))


@router.post(
    _PROJECT + "/conditions/{condition_id}/settle",
    response_model=ConditionPublic,
    summary="Close a met condition (its owner or a decider) or waive it (a decider)",
)
def settle_condition(
    ctx: ContextDep, access: ProjectWriter, condition_id: RowId, body: SettleBody
) -> ConditionPublic:
    condition = decision_register.settle_condition(
        ctx,
        access.actor,
        project_key=access.project_key,
        condition_id=condition_id,
        status=body.status,
        note=body.note,
    )
    return ConditionPublic.of(condition)


@router.post(
    _PROJECT + "/resume",
    response_model=ProjectDetailPublic,
    summary="Resume a project paused by a hold decision (a decider)",
)
def resume_project(
    ctx: ContextDep, access: ProjectWriter, body: ResumeBody, response: Response
) -> ProjectDetailPublic:
    resumes.resume_project(
        ctx, access.actor, project_key=access.project_key, motivation=body.motivation
    )
    overview = overviews.project_overview(ctx, access.project_key)
    set_etag(response, overview.project.row_version)
    return ProjectDetailPublic.of_overview(overview)


@router.put(
    _PROJECT + "/decisions/{decision_id}/reference",
    response_model=DecisionPublic,
    summary="Record the diarienummer of a gate decision",
)
def set_reference(
    ctx: ContextDep,
    access: ProjectWriter,
    decision_id: RowId,
    body: ReferenceBody,
    if_match: IfMatch,
    response: Response,
) -> DecisionPublic:
    decision = decision_register.set_reference(
        ctx,
        access.actor,
        project_key=access.project_key,
        decision_id=decision_id,
        reference=body.reference,
        expected_version=if_match,
    )
    set_etag(response, decision.row_version)
    return DecisionPublic.of(decision_register.protocol(ctx, access.project_key, decision_id))
