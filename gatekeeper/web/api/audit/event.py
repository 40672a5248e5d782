"""The audit log: events in chain order, filtered, with cursor pagination."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gatekeeper.errors import PermissionDenied
from gatekeeper.services.audit import log as audit_log
from gatekeeper.web.auth import PrincipalDep, project_reader
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.pagination import Cursor, id_cursor
from gatekeeper.web.schemas.projects import AuditEventPublic, Page

router = APIRouter(tags=["audit"])


@router.get(
    "/audit-events", response_model=Page[AuditEventPublic], summary="Audit events, oldest first"
)
def list_audit_events(
    ctx: ContextDep,
    principal: PrincipalDep,
    project: str | None = None,
    actor: str | None = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=audit_log.MAX_PAGE)] = 100,
) -> Page[AuditEventPublic]:
    if project is None and not principal.administers_installation:
        raise PermissionDenied(
            "Ange project=… : bara administratörer ser hela granskningsloggen.",
        )
    if project is not None:
        project_reader(ctx, principal, project)
    after = id_cursor(cursor) or 0
    events, more = audit_log.events_page(
        ctx, project_key=project, actor=actor, after_seq=after, limit=limit
    )
    return Page[AuditEventPublic](
        items=[AuditEventPublic.model_validate(event) for event in events],
        next_cursor=str(events[-1].seq) if more else None,
    )
