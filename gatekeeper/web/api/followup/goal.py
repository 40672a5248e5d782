"""A project's goals, nyttoregister and measurements.

Goals (effektmål, projektmål, delmål and nyttor) are named by key under
`/projects/{key}/goals/{goal_key}`; measurements name their goal in the body
(`goal`), so a measurement for a goal the project lacks is refused with 422
naming `goal`. Goals and measurements are versioned: GET and every change
answer an `ETag`, and a PATCH with `If-Match` on an older version is refused
with 412. The projektledare and administrators write; members read.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response, status

from gatekeeper.services.followup import goal as goals
from gatekeeper.services.followup import measurement as measurements
from gatekeeper.services.followup.goal_fields import GoalFields
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.goals import (
    GoalCreate,
    GoalPublic,
    GoalUpdate,
    MeasurementCreate,
    MeasurementPublic,
    MeasurementUpdate,
)
from gatekeeper.web.schemas.projects import Page

router = APIRouter(tags=["goals"])

_PROJECT = "/projects/{project_key}"

GoalCreateBody = Annotated[
    GoalCreate,
    Body(
        openapi_examples={
            "effektmal": {
                "summary": "An effektmål from the uppföljningsmått",
                "value": {
                    "kind": "effektmal",
                    "key": "genomforandeplaner",
                    "title": "Alla brukare har en genomförandeplan enligt IBIC",
                    "indicator": "Andel brukare med aktuell genomförandeplan",
                    "method": "Stickprov i verksamhetssystemet",
                    "unit": "%",
                    "baseline": "35",
                    "baseline_on": "2026-09-30",
                    "target": "90",
                    "target_on": "2027-12-31",
                    "responsible": "Anita Lindqvist",
                    "measure_points": ["2027-06-30", "2027-09-30", "2028-03-31"],
                },
            },
            "nytta": {
                "summary": "A nytta of the nyttoregister",
                "value": {
                    "kind": "nytta",
                    "title": "Mindre tid för dubbeldokumentation",
                    "indicator": "Minuter per dag och medarbetare",
                    "unit": "minuter",
                    "baseline": "40",
                    "target": "15",
                    "target_on": "2028-06-30",
                    "responsible": "Karin Ek",
                    "organisation": "Vård- och omsorgsförvaltningen",
                },
            },
        }
    ),
]
MeasurementCreateBody = Annotated[
    MeasurementCreate,
    Body(
        openapi_examples={
            "matning": {
                "summary": "A value measured at a mätpunkt",
                "value": {
                    "goal": "genomforandeplaner",
                    "measured_on": "2027-06-30",
                    "value": "62,5",
                    "source": "Stickprov, 40 akter",
                    "comment": "Hemtjänsten ligger före särskilt boende.",
                },
            }
        }
    ),
]


def _fields(body: GoalCreate) -> GoalFields:
    return GoalFields(
        kind=body.kind,
        title=body.title,
        purpose=body.purpose,
        indicator=body.indicator,
        method=body.method,
        unit=body.unit,
        numeric=body.numeric,
        baseline=body.baseline,
        baseline_on=body.baseline_on,
        target=body.target,
        target_on=body.target_on,
        responsible=body.responsible,
        organisation=body.organisation,
        measure_points=tuple(body.measure_points),
    )


@router.get(
    _PROJECT + "/goals",
    response_model=Page[GoalPublic],
    summary="Goals and nyttor of the project, in the order they were added",
)
def list_goals(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[GoalPublic]:
    rows, next_cursor = paginate(
        goals.list_goals(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[GoalPublic](
        items=[GoalPublic.of(g, parent) for g, parent in rows], next_cursor=next_cursor
    )


@router.post(
    _PROJECT + "/goals",
    response_model=GoalPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add a goal (effektmål, projektmål, delmål) or a nytta",
)
def add_goal(
    ctx: ContextDep, access: ProjectWriter, body: GoalCreateBody, response: Response
) -> GoalPublic:
    goal, parent = goals.add_goal(
        ctx,
        access.actor,
        project_key=access.project_key,
        fields=_fields(body),
        key=body.key,
        parent=body.parent,
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/goals/{goal.key}"
    set_etag(response, goal.row_version)
    return GoalPublic.of(goal, parent)


@router.get(
    _PROJECT + "/goals/{goal_key}", response_model=GoalPublic, summary="One goal (with ETag)"
)
def get_goal(
    ctx: ContextDep, access: ProjectReader, goal_key: str, response: Response
) -> GoalPublic:
    goal, parent = goals.get_goal(ctx, access.project_key, goal_key)
    set_etag(response, goal.row_version)
    return GoalPublic.of(goal, parent)


@router.patch(
    _PROJECT + "/goals/{goal_key}",
    response_model=GoalPublic,
    summary="Revise a goal or nytta (If-Match honoured)",
)
def update_goal(
    ctx: ContextDep,
    access: ProjectWriter,
    goal_key: str,
    body: GoalUpdate,
    if_match: IfMatch,
    response: Response,
) -> GoalPublic:
    given = body.model_fields_set
    changes: dict[str, Any] = {
        name: getattr(body, name) for name in given if name != "parent" and name != "measure_points"
    }
    if "measure_points" in given:
        changes["measure_points"] = tuple(body.measure_points or ())
    changes = {name: value for name, value in changes.items() if value is not None}
    extra: dict[str, Any] = {"parent": body.parent} if "parent" in given else {}
    goal, parent = goals.update_goal(
        ctx,
        access.actor,
        project_key=access.project_key,
        key=goal_key,
        changes=changes,
        expected_version=if_match,
        **extra,
    )
    set_etag(response, goal.row_version)
    return GoalPublic.of(goal, parent)


@router.get(
    _PROJECT + "/measurements",
    response_model=Page[MeasurementPublic],
    summary="Measurements of the project (or of one goal), by goal and date",
)
def list_measurements(
    ctx: ContextDep,
    access: ProjectReader,
    goal: Annotated[str | None, Query(max_length=100, description="A goal's key.")] = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> Page[MeasurementPublic]:
    rows, next_cursor = paginate(
        measurements.list_measurements(ctx, access.project_key, goal), cursor=cursor, limit=limit
    )
    return Page[MeasurementPublic](
        items=[MeasurementPublic.of(m, g.key) for m, g in rows], next_cursor=next_cursor
    )


@router.post(
    _PROJECT + "/measurements",
    response_model=MeasurementPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Record a value measured for a goal or nytta",
)
def record_measurement(
    ctx: ContextDep, access: ProjectWriter, body: MeasurementCreateBody, response: Response
) -> MeasurementPublic:
    measurement = measurements.record_measurement(
        ctx,
        access.actor,
        project_key=access.project_key,
        goal=body.goal,
        measured_on=body.measured_on,
        value=body.value,
        source=body.source,
        comment=body.comment,
    )
    response.headers["Location"] = (
        f"/api/v1/projects/{access.project_key}/measurements/{measurement.id}"
    )
    set_etag(response, measurement.row_version)
    return MeasurementPublic.of(measurement, body.goal)


@router.get(
    _PROJECT + "/measurements/{measurement_id}",
    response_model=MeasurementPublic,
    summary="One measurement (with ETag)",
)
def get_measurement(
    ctx: ContextDep, access: ProjectReader, measurement_id: RowId, response: Response
) -> MeasurementPublic:
    measurement, goal = measurements.get_measurement(ctx, access.project_key, measurement_id)
    set_etag(response, measurement.row_version)
    return MeasurementPublic.of(measurement, goal.key)


@router.patch(
    _PROJECT + "/measurements/{measurement_id}",
    response_model=MeasurementPublic,
    summary="Correct a measurement's date, value, källa or comment (If-Match honoured)",
)
def update_measurement(
    ctx: ContextDep,
    access: ProjectWriter,
    measurement_id: RowId,
    body: MeasurementUpdate,
    if_match: IfMatch,
    response: Response,
) -> MeasurementPublic:
    measurement, goal = measurements.update_measurement(
        ctx,
        access.actor,
        project_key=access.project_key,
        measurement_id=measurement_id,
        measured_on=body.measured_on,
        value=body.value,
        source=body.source,
        comment=body.comment,
        expected_version=if_match,
    )
    set_etag(response, measurement.row_version)
    return MeasurementPublic.of(measurement, goal.key)
