"""Projects, members, gates and checklist items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gatekeeper.services import onboarding
from gatekeeper.services.gates import date_preview as date_previews
from gatekeeper.services.gates import effect as effects
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import project as projects
from gatekeeper.web.auth import AdminDep, IfMatch, PrincipalDep, ProjectReader, ProjectWriter
from gatekeeper.web.bounds import Day
from gatekeeper.web.deps import ContextDep, PostboxDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.inputs import (
    GateTargetUpdate,
    ItemUpdate,
    MemberCreate,
    MemberRoleUpdate,
    ProjectCreate,
    ProjectUpdate,
)
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.gate_dates import DateMovePreviewPublic
from gatekeeper.web.schemas.members import MemberCreatedPublic, MemberPublic
from gatekeeper.web.schemas.projects import (
    GateItemPublic,
    GateReadinessPublic,
    Page,
    ProjectDetailPublic,
    ProjectPublic,
)

router = APIRouter(tags=["projects"])


@router.get("/projects", response_model=Page[ProjectPublic], summary="Projects you may see")
def list_projects(
    ctx: ContextDep, principal: PrincipalDep, cursor: Cursor = None, limit: Limit = 100
) -> Page[ProjectPublic]:
    rows, next_cursor = paginate(
        overviews.list_projects(ctx, visible_to=principal), cursor=cursor, limit=limit
    )
    return Page[ProjectPublic](items=[ProjectPublic.of(p) for p in rows], next_cursor=next_cursor)


@router.post(
    "/projects",
    response_model=ProjectDetailPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Start a project on a workflow (admins)",
)
def create_project(
    ctx: ContextDep, admin: AdminDep, body: ProjectCreate, response: Response
) -> ProjectDetailPublic:
    project = projects.create_project(
        ctx,
        admin.actor(),
        key=body.key,
        name=body.name,
        workflow_id=body.workflow_id,
        workflow_version=body.workflow_version,
        organisation=body.organisation,
        description=body.description,
        started_on=body.started_on,
        gate_targets=body.gate_targets,
        members=[
            projects.MemberSpec(m.name, str(m.email), m.role, str(m.substitute_for or "") or None)
            for m in body.members
        ],
        parent_key=body.parent,
        receiving_unit=body.receiving_unit,
    )
    response.headers["Location"] = f"/api/v1/projects/{project.key}"
    set_etag(response, project.row_version)
    return ProjectDetailPublic.of_overview(overviews.project_overview(ctx, project.key))


@router.get("/projects/{project_key}", response_model=ProjectDetailPublic, summary="One project")
def get_project(ctx: ContextDep, access: ProjectReader, response: Response) -> ProjectDetailPublic:
    state = effects.project_state(ctx, access.project_key)
    set_etag(response, state.overview.project.row_version)
    return ProjectDetailPublic.of_state(state)


@router.patch(
    "/projects/{project_key}",
    response_model=ProjectDetailPublic,
    summary="Rename or re-describe a project (If-Match honoured)",
)
def update_project(
    ctx: ContextDep,
    access: ProjectWriter,
    body: ProjectUpdate,
    if_match: IfMatch,
    response: Response,
) -> ProjectDetailPublic:
    project = projects.update_project(
        ctx,
        access.actor,
        project_key=access.project_key,
        name=body.name,
        organisation=body.organisation,
        description=body.description,
        expected_version=if_match,
    )
    set_etag(response, project.row_version)
    return ProjectDetailPublic.of_overview(overviews.project_overview(ctx, project.key))


@router.get(
    "/projects/{project_key}/members",
    response_model=Page[MemberPublic],
    summary="Members and their roles",
)
def list_members(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[MemberPublic]:
    people = overviews.project_overview(ctx, access.project_key).members
    rows, next_cursor = paginate(people, cursor=cursor, limit=limit)
    return Page[MemberPublic](items=[MemberPublic.of(m) for m in rows], next_cursor=next_cursor)


@router.post(
    "/projects/{project_key}/members",
    response_model=MemberCreatedPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Give a person a role; make or link their account and invite them (admins and "
    "projektledare)",
)
def add_member(
    ctx: ContextDep, access: ProjectWriter, postbox: PostboxDep, body: MemberCreate
) -> MemberCreatedPublic:
    onboarded = onboarding.add_member(
        ctx,
        access.principal,
        project_key=access.project_key,
        name=body.name,
        email=str(body.email),
        role=body.role,
        substitute_for=str(body.substitute_for) if body.substitute_for else None,
        letters=postbox.letters,
        base_url=postbox.base_url,
    )
    return MemberCreatedPublic.of_onboarded(onboarded)


@router.patch(
    "/projects/{project_key}/members/{email}/{role}",
    response_model=MemberPublic,
    summary="Give a member another role in place of this one (admins and projektledare)",
)
def change_member_role(
    ctx: ContextDep, access: ProjectWriter, email: str, role: str, body: MemberRoleUpdate
) -> MemberPublic:
    member = members.change_role(
        ctx,
        access.actor,
        project_key=access.project_key,
        email=email,
        role=role,
        new_role=body.role,
        manager=access.principal,
    )
    return MemberPublic.of(member)


@router.delete(
    "/projects/{project_key}/members/{email}/{role}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take a role away from a person (admins and projektledare)",
)
def remove_member(ctx: ContextDep, access: ProjectWriter, email: str, role: str) -> Response:
    members.remove_member(
        ctx,
        access.actor,
        project_key=access.project_key,
        email=email,
        role=role,
        manager=access.principal,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/projects/{project_key}/gates",
    response_model=Page[GateReadinessPublic],
    summary="Every gate of the project with its readiness, in the workflow's order",
)
def list_gates(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[GateReadinessPublic]:
    rows, next_cursor = paginate(
        gates.all_gates(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[GateReadinessPublic](
        items=[GateReadinessPublic.of(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/projects/{project_key}/gates/{gate_id}/readiness",
    response_model=GateReadinessPublic,
    summary="Readiness of a gate: every criterion judged, every item with its deadline",
)
def get_readiness(ctx: ContextDep, access: ProjectReader, gate_id: str) -> GateReadinessPublic:
    return GateReadinessPublic.of(gates.gate_readiness(ctx, access.project_key, gate_id))


@router.put(
    "/projects/{project_key}/gates/{gate_id}/target",
    response_model=GateReadinessPublic,
    summary="Move a gate's target date (later gates along with shift_later); dates stay in order",
)
def set_target(
    ctx: ContextDep, access: ProjectWriter, gate_id: str, body: GateTargetUpdate
) -> GateReadinessPublic:
    gate_dates.set_gate_target(
        ctx,
        access.actor,
        project_key=access.project_key,
        gate_id=gate_id,
        target_date=body.target_date,
        shift_later=body.shift_later,
        expected_version=body.dates_version,
    )
    return GateReadinessPublic.of(gates.gate_readiness(ctx, access.project_key, gate_id))


@router.get(
    "/projects/{project_key}/gates/{gate_id}/target/preview",
    response_model=DateMovePreviewPublic,
    summary="What moving a gate's date would change (gates, deadlines, reminders); changes nothing",
)
def preview_target(
    ctx: ContextDep,
    access: ProjectReader,
    gate_id: str,
    date: Annotated[Day, Query(description="The new target date (YYYY-MM-DD).")],
    shift_later: bool = False,
) -> DateMovePreviewPublic:
    return DateMovePreviewPublic.of(
        date_previews.preview_move(
            ctx, access.project_key, gate_id, target_date=date, shift_later=shift_later
        )
    )


@router.get(
    "/projects/{project_key}/gates/{gate_id}/items/{checklist_id}/{item_id}",
    response_model=GateItemPublic,
    summary="One checklist item (with ETag)",
)
def get_item(
    ctx: ContextDep,
    access: ProjectReader,
    gate_id: str,
    checklist_id: str,
    item_id: str,
    response: Response,
) -> GateItemPublic:
    item = gates.gate_item(ctx, access.project_key, gate_id, checklist_id, item_id)
    set_etag(response, item.row.row_version)
    return GateItemPublic.of(item, today=ctx.today())


@router.patch(
    "/projects/{project_key}/gates/{gate_id}/items/{checklist_id}/{item_id}",
    response_model=GateItemPublic,
    summary="Tick, untick or set not applicable, with evidence and comment (If-Match honoured)",
)
def update_item(
    ctx: ContextDep,
    access: ProjectWriter,
    gate_id: str,
    checklist_id: str,
    item_id: str,
    body: ItemUpdate,
    if_match: IfMatch,
    response: Response,
) -> GateItemPublic:
    checklists.update_item(
        ctx,
        access.actor,
        project_key=access.project_key,
        gate_id=gate_id,
        checklist_id=checklist_id,
        item_id=item_id,
        status=body.status,
        evidence=body.evidence,
        comment=body.comment,
        expected_version=if_match,
    )
    item = gates.gate_item(ctx, access.project_key, gate_id, checklist_id, item_id)
    set_etag(response, item.row.row_version)
    return GateItemPublic.of(item, today=ctx.today())
