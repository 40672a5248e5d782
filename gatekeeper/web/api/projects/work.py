"""A project's work records: risks, the aktivitetsplan and named decisions.

Risks and activities are versioned: GET and every change answer an `ETag`, and
a PATCH with `If-Match` on an older version is refused with 412.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status

from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.services.projects import risk as risks
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.inputs import (
    ActivityCreate,
    ActivityUpdate,
    NamedDecisionCreate,
    ReferenceUpdate,
    RiskCreate,
    RiskUpdate,
)
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.work import ActivityPublic, NamedDecisionPublic, RiskPublic

router = APIRouter()

_PROJECT = "/projects/{project_key}"

RiskCreateBody = Annotated[
    RiskCreate,
    Body(
        openapi_examples={
            "utbildning": {
                "summary": "A risk from the riskanalys",
                "value": {
                    "title": "Verksamheten hinner inte utbilda alla ombud före go-live",
                    "probability": 3,
                    "consequence": 3,
                    "mitigation": "Utbilda ombuden i två omgångar, start i mars.",
                    "owner": "Anita Lindqvist",
                },
            }
        }
    ),
]
RiskUpdateBody = Annotated[
    RiskUpdate,
    Body(
        openapi_examples={
            "rescore": {
                "summary": "Re-score after mitigation",
                "value": {"probability": 2, "mitigation": "Två utbildningsomgångar bokade."},
            },
            "close": {"summary": "Close a handled risk", "value": {"status": "closed"}},
        }
    ),
]
ActivityCreateBody = Annotated[
    ActivityCreate,
    Body(
        openapi_examples={
            "utbildning": {
                "summary": "A line of the aktivitetsplan",
                "value": {
                    "title": "Utbildning av ombud",
                    "start": "2027-03-01",
                    "end": "2027-04-30",
                    "responsible": "Jonas Berg",
                },
            }
        }
    ),
]
ActivityUpdateBody = Annotated[
    ActivityUpdate,
    Body(
        openapi_examples={
            "started": {"summary": "Mark as started", "value": {"status": "in_progress"}},
            "postponed": {
                "summary": "Postpone to a date (Skjuts till …), with a kommentar",
                "value": {
                    "status": "postponed",
                    "postponed_to": "2027-03-01",
                    "comment": "Handledarna är fullbokade under hösten.",
                },
            },
        }
    ),
]
NamedDecisionBody = Annotated[
    NamedDecisionCreate,
    Body(
        openapi_examples={
            "finansiering": {
                "summary": "Finansiering decided by the nämnd",
                "value": {
                    "key": "finansiering",
                    "title": "Finansiering beslutad av vård- och omsorgsnämnden",
                    "decided_on": "2026-10-20",
                    "reference": "Dnr 2021.158 VON",
                },
            }
        }
    ),
]


# --- risks ------------------------------------------------------------------------------


@router.get(
    _PROJECT + "/risks",
    response_model=Page[RiskPublic],
    summary="Risks of the project, highest score first",
    tags=["risks"],
)
def list_risks(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[RiskPublic]:
    rows, next_cursor = paginate(
        risks.list_risks(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[RiskPublic](items=[RiskPublic.of(r) for r in rows], next_cursor=next_cursor)


@router.post(
    _PROJECT + "/risks",
    response_model=RiskPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Record a risk (probability and consequence 1–4 each)",
    tags=["risks"],
)
def add_risk(
    ctx: ContextDep, access: ProjectWriter, body: RiskCreateBody, response: Response
) -> RiskPublic:
    risk = risks.add_risk(
        ctx,
        access.actor,
        project_key=access.project_key,
        title=body.title,
        probability=body.probability,
        consequence=body.consequence,
        mitigation=body.mitigation,
        owner=body.owner,
        description=body.description,
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/risks/{risk.id}"
    set_etag(response, risk.row_version)
    return RiskPublic.of(risk)


@router.get(
    _PROJECT + "/risks/{risk_id}",
    response_model=RiskPublic,
    summary="One risk (with ETag)",
    tags=["risks"],
)
def get_risk(
    ctx: ContextDep, access: ProjectReader, risk_id: RowId, response: Response
) -> RiskPublic:
    risk = risks.get_risk(ctx, access.project_key, risk_id)
    set_etag(response, risk.row_version)
    return RiskPublic.of(risk)


@router.patch(
    _PROJECT + "/risks/{risk_id}",
    response_model=RiskPublic,
    summary="Re-word, re-score, re-assign, mitigate, close or accept a risk (If-Match honoured)",
    tags=["risks"],
)
def update_risk(
    ctx: ContextDep,
    access: ProjectWriter,
    risk_id: RowId,
    body: RiskUpdateBody,
    if_match: IfMatch,
    response: Response,
) -> RiskPublic:
    risk = risks.update_risk(
        ctx,
        access.actor,
        project_key=access.project_key,
        risk_id=risk_id,
        title=body.title,
        description=body.description,
        probability=body.probability,
        consequence=body.consequence,
        status=body.status,
        mitigation=body.mitigation,
        owner=body.owner,
        expected_version=if_match,
    )
    set_etag(response, risk.row_version)
    return RiskPublic.of(risk)


# --- activities -------------------------------------------------------------------------


@router.get(
    _PROJECT + "/activities",
    response_model=Page[ActivityPublic],
    summary="The aktivitetsplan in date order (undated last)",
    tags=["activities"],
)
def list_activities(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[ActivityPublic]:
    rows, next_cursor = paginate(
        activities.list_activities(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[ActivityPublic](items=[ActivityPublic.of(a) for a in rows], next_cursor=next_cursor)


@router.post(
    _PROJECT + "/activities",
    response_model=ActivityPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add an activity to the aktivitetsplan",
    tags=["activities"],
)
def add_activity(
    ctx: ContextDep, access: ProjectWriter, body: ActivityCreateBody, response: Response
) -> ActivityPublic:
    activity = activities.add_activity(
        ctx,
        access.actor,
        project_key=access.project_key,
        title=body.title,
        start=body.start,
        end=body.end,
        responsible=body.responsible,
        status=body.status,
        comment=body.comment,
        postponed_to=body.postponed_to,
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/activities/{activity.id}"
    set_etag(response, activity.row_version)
    return ActivityPublic.of(activity)


@router.get(
    _PROJECT + "/activities/{activity_id}",
    response_model=ActivityPublic,
    summary="One activity (with ETag)",
    tags=["activities"],
)
def get_activity(
    ctx: ContextDep, access: ProjectReader, activity_id: RowId, response: Response
) -> ActivityPublic:
    activity = activities.get_activity(ctx, access.project_key, activity_id)
    set_etag(response, activity.row_version)
    return ActivityPublic.of(activity)


@router.patch(
    _PROJECT + "/activities/{activity_id}",
    response_model=ActivityPublic,
    summary="Change an activity's status (postponed_to with postponed), dates, owner or comment",
    tags=["activities"],
)
def update_activity(
    ctx: ContextDep,
    access: ProjectWriter,
    activity_id: RowId,
    body: ActivityUpdateBody,
    if_match: IfMatch,
    response: Response,
) -> ActivityPublic:
    activity = activities.update_activity(
        ctx,
        access.actor,
        project_key=access.project_key,
        activity_id=activity_id,
        title=body.title,
        status=body.status,
        start=body.start,
        end=body.end,
        responsible=body.responsible,
        comment=body.comment,
        postponed_to=body.postponed_to,
        expected_version=if_match,
    )
    set_etag(response, activity.row_version)
    return ActivityPublic.of(activity)


# --- named decisions --------------------------------------------------------------------


@router.get(
    _PROJECT + "/named-decisions",
    response_model=Page[NamedDecisionPublic],
    summary="Named decisions (e.g. finansiering) with their diarienummer",
    tags=["named decisions"],
)
def list_named_decisions(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[NamedDecisionPublic]:
    rows, next_cursor = paginate(
        decisions.list_named_decisions(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[NamedDecisionPublic](
        items=[NamedDecisionPublic.of(d) for d in rows], next_cursor=next_cursor
    )


@router.post(
    _PROJECT + "/named-decisions",
    response_model=NamedDecisionPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Record a named decision (e.g. finansiering) that gate criteria can require",
    tags=["named decisions"],
)
def record_named_decision(
    ctx: ContextDep, access: ProjectWriter, body: NamedDecisionBody, response: Response
) -> NamedDecisionPublic:
    decision = decisions.record_named_decision(
        ctx,
        access.actor,
        project_key=access.project_key,
        key=body.key,
        title=body.title,
        decided_on=body.decided_on,
        reference=body.reference,
    )
    response.headers["Location"] = (
        f"/api/v1/projects/{access.project_key}/named-decisions/{decision.key}"
    )
    set_etag(response, decision.row_version)
    return NamedDecisionPublic.of(decision)


@router.get(
    _PROJECT + "/named-decisions/{decision_key}",
    response_model=NamedDecisionPublic,
    summary="One named decision by its key",
    tags=["named decisions"],
)
def get_named_decision(
    ctx: ContextDep, access: ProjectReader, decision_key: str, response: Response
) -> NamedDecisionPublic:
    decision = decisions.get_named_decision(ctx, access.project_key, decision_key)
    set_etag(response, decision.row_version)
    return NamedDecisionPublic.of(decision)


NamedDecisionReferenceBody = Annotated[
    ReferenceUpdate,
    Body(
        openapi_examples={
            "diarienummer": {
                "summary": "The nämnd's diarienummer, registered after the decision",
                "value": {"reference": "Dnr 2021.158 VON"},
            }
        }
    ),
]


@router.patch(
    _PROJECT + "/named-decisions/{decision_key}",
    response_model=NamedDecisionPublic,
    summary="Register or change the diarienummer of a named decision (projektledare, admin)",
    tags=["named decisions"],
)
def set_named_decision_reference(
    ctx: ContextDep,
    access: ProjectWriter,
    decision_key: str,
    body: NamedDecisionReferenceBody,
    if_match: IfMatch,
    response: Response,
) -> NamedDecisionPublic:
    decision = decisions.set_named_decision_reference(
        ctx,
        access.actor,
        project_key=access.project_key,
        key=decision_key,
        reference=body.reference,
        expected_version=if_match,
    )
    set_etag(response, decision.row_version)
    return NamedDecisionPublic.of(decision)
