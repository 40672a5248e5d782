"""A project as it stood at a past moment, rebuilt from its audit events alone.

Auditors and registrars ask "what did the steering group see on 3 March?".
The answer is replayed from the hash-chained audit log, not read from the
current rows, so it is as trustworthy as the chain (`gatekeeper audit verify`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from gatekeeper.core.events import EventName
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.audit.tables import AuditEvent


@dataclass
class ProjectState:
    """What the audit log says the project looked like at `at`."""

    project_key: str
    at: datetime
    exists: bool = False
    name: str = ""
    phase: str | None = None
    status: str | None = None
    gate_targets: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)  # gate/checklist/item -> status
    risks: dict[str, dict[str, Any]] = field(default_factory=dict)
    named_decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    gate_decisions: list[dict[str, Any]] = field(default_factory=list)
    events: int = 0
    last_event_seq: int | None = None


def _after(event: AuditEvent) -> dict[str, Any]:
    return event.after or {}


def _apply(state: ProjectState, event: AuditEvent) -> None:
    after = _after(event)
    action = event.action
    if action == EventName.PROJECT_CREATED:
        state.exists = True
        state.name = after.get("name", "")
        state.phase = after.get("phase")
        state.status = "active"
        state.gate_targets = dict(after.get("gate_targets", {}))
    elif action == EventName.PROJECT_UPDATED:
        state.name = after.get("name", state.name)
    elif action == EventName.PHASE_CHANGED:
        state.phase = after.get("phase", state.phase)
    elif action in (
        EventName.PROJECT_PAUSED,
        EventName.PROJECT_RESUMED,
        EventName.PROJECT_TERMINATED,
    ):
        state.status = after.get("status", state.status)
    elif action == EventName.GATE_TARGET_CHANGED:
        gate = event.object_id.split("/", 1)[1]
        state.gate_targets[gate] = after["target_date"]
    elif action == EventName.CHECKLIST_ITEM_UPDATED and event.object_type == "checklist_item":
        state.items[event.object_id.split("/", 1)[1]] = after.get("status", "open")
    elif action in (EventName.RISK_CREATED, EventName.RISK_UPDATED):
        state.risks[event.object_id] = after
    elif action == EventName.DECISION_RECORDED:
        state.named_decisions[after["key"]] = after
    elif action == EventName.GATE_DECIDED:
        state.gate_decisions.append({"decision": event.object_id, **after})


def state_as_of(ctx: Context, project_key: str, at: datetime) -> ProjectState:
    """Replay the project's audit events up to and including `at`."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.project_id == project.id, AuditEvent.at <= at)
            .order_by(col(AuditEvent.seq))
        ).all()
    state = ProjectState(project_key=project_key, at=at)
    for event in events:
        _apply(state, event)
        state.events += 1
        state.last_event_seq = event.seq
    return state
