"""The state of a project as it stood at a past moment (from the audit log)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import LOCAL_ZONE
from gatekeeper.services.projects import history
from gatekeeper.web.auth import ProjectReader
from gatekeeper.web.bounds import FIRST_DAY, LAST_DAY
from gatekeeper.web.deps import ContextDep

router = APIRouter(tags=["audit"])


class ProjectStatePublic(BaseModel):
    project: str
    at: datetime
    exists: bool
    name: str
    phase: str | None
    status: str | None
    gate_targets: dict[str, str]
    items: dict[str, str]
    risks: dict[str, dict[str, Any]]
    named_decisions: dict[str, dict[str, Any]]
    gate_decisions: list[dict[str, Any]]
    events: int
    last_event_seq: int | None


def _moment(text: str) -> datetime:
    """A UTC moment from an ISO date (end of that Swedish day) or date-time."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            if not FIRST_DAY <= day <= LAST_DAY:
                raise ValidationFailed(
                    f"at ska ligga mellan {FIRST_DAY} och {LAST_DAY}.", field="at"
                )
            end = datetime.combine(day + timedelta(days=1), time.min, LOCAL_ZONE)
            return (end - timedelta(microseconds=1)).astimezone(UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            f"'{text}' är inget datum eller tidpunkt; skriv t.ex. 2026-11-20 eller "
            "2026-11-20T14:00:00+01:00.",
            field="at",
        ) from None
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise ValidationFailed(f"at ska ligga mellan {FIRST_DAY} och {LAST_DAY}.", field="at")
    return (moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)).astimezone(UTC)


@router.get(
    "/projects/{project_key}/state",
    response_model=ProjectStatePublic,
    summary="The project as it stood at a past moment, rebuilt from the audit log",
)
def get_state(
    ctx: ContextDep,
    access: ProjectReader,
    at: Annotated[
        str,
        Query(
            description=(
                "A moment (ISO 8601, e.g. 2026-11-20T14:00:00+01:00) or a date "
                "(the end of that day in Swedish time), between "
                f"{FIRST_DAY} and {LAST_DAY}; anything else is 422 naming `at`."
            ),
            examples=["2026-11-20"],
        ),
    ],
) -> ProjectStatePublic:
    state = history.state_as_of(ctx, access.project_key, _moment(at))
    return ProjectStatePublic(
        project=state.project_key,
        at=state.at,
        exists=state.exists,
        name=state.name,
        phase=state.phase,
        status=state.status,
        gate_targets=state.gate_targets,
        items=state.items,
        risks=state.risks,
        named_decisions=state.named_decisions,
        gate_decisions=state.gate_decisions,
        events=state.events,
        last_event_seq=state.last_event_seq,
    )
