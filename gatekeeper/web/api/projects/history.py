"""The state of a project as it stood at a past moment (from the audit log)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import LOCAL_ZONE
from gatekeeper.services.projects import history
from gatekeeper.web.auth import ProjectReader
from gatekeeper.web.bounds import FIRST_DAY, LAST_DAY
from gatekeeper.web.deps import ContextDep

router = APIRouter(tags=["audit"])


class MemberAsOfPublic(BaseModel):
    """A member's role as it stood."""

    name: str
    email: str
    role: str
    substitute_for: str | None = Field(
        description="E-mail of the member this ersättare stood in for."
    )


class ProjectStatePublic(BaseModel):
    """The project as the audit log says it stood at `at` (docs/api.md, The past)."""

    project: str
    at: datetime = Field(description="The moment asked for, in UTC.")
    exists: bool = Field(description="Whether the project had been created by then.")
    name: str
    phase: str | None
    status: str | None = Field(description="active, paused or terminated.")
    lap: int = Field(
        description="The lap (varv) of a cyclic workflow the project was in at `at` "
        "(1 for a workflow without a loop); `items` are that lap's."
    )
    gate_targets: dict[str, str] = Field(description="Gate id → target date (ISO).")
    items: dict[str, str] = Field(
        description="Every checklist item, `gate/checklist/item` → status (open, done, "
        "not_applicable); an item not yet touched is open."
    )
    members: list[MemberAsOfPublic] = Field(description="Members and roles, in the order added.")
    activities: dict[str, dict[str, Any]] = Field(
        description="The aktivitetsplan: activity id → its last recorded state."
    )
    risks: dict[str, dict[str, Any]] = Field(description="Risk id → its last recorded state.")
    named_decisions: dict[str, dict[str, Any]]
    gate_decisions: list[dict[str, Any]]
    events: int = Field(description="How many audit events were replayed.")
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
        lap=state.lap,
        gate_targets=state.gate_targets,
        items=state.items,
        members=[MemberAsOfPublic.model_validate(m) for m in state.members.values()],
        activities=state.activities,
        risks=state.risks,
        named_decisions=state.named_decisions,
        gate_decisions=state.gate_decisions,
        events=state.events,
        last_event_seq=state.last_event_seq,
    )
