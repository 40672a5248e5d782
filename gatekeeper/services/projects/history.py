"""A project as it stood at a past moment, rebuilt from its audit events alone.

Auditors and registrars ask "what did the steering group see on 3 March?".
The answer is replayed from the hash-chained audit log, not read from the
current rows, so it is as trustworthy as the chain (`gatekeeper audit verify`).
One thing comes from the rows: which checklist items the project has. They
are copied from the workflow's checklists when the project is created and
never added or removed afterwards, so every item is listed, and one the log
never mentions before `at` stood `open`. Members (added with the project,
then added and removed one by one; a change of role is a removal and an
addition) and the aktivitetsplan (each activity's last recorded state) are
replayed from their events. `state_in` is the same replay inside a caller's
read transaction: the follow-up report of a date (`services/reports`) is built
on it, so there is one replay of the past, not two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.events import EventName
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.projects.tables import ChecklistInstance, ChecklistItem, Project


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
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # "email:role" -> member
    activities: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> activity
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
        for member in after.get("members", ()):
            entry = {**member, "substitute_for": None}
            state.members[f"{member['email']}:{member['role']}"] = entry
    elif action == EventName.MEMBER_ADDED:
        state.members[event.object_id] = {"substitute_for": None, **after}
    elif action == EventName.MEMBER_REMOVED:
        state.members.pop(event.object_id, None)
    elif action in (EventName.ACTIVITY_CREATED, EventName.ACTIVITY_UPDATED):
        state.activities[event.object_id] = after
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
    """Replay the project's audit events up to and including `at`; every checklist
    item of the project is in `items` once it exists (untouched ones `open`)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return state_in(session=session, project=project, at=at)


def state_in(*, session: Session, project: Project, at: datetime) -> ProjectState:
    """`state_as_of` inside the caller's transaction (a report of many dates or projects)."""
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.project_id == project.id, AuditEvent.at <= at)
        .order_by(col(AuditEvent.seq))
    ).all()
    item_keys = session.exec(
        select(ChecklistInstance.gate_id, ChecklistInstance.checklist_id, ChecklistItem.item_id)
        .join(ChecklistItem, col(ChecklistItem.instance_id) == ChecklistInstance.id)
        .where(ChecklistInstance.project_id == project.id)
        .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
    ).all()
    state = ProjectState(project_key=project.key, at=at)
    for event in events:
        _apply(state, event)
        state.events += 1
        state.last_event_seq = event.seq
    if state.exists:
        touched = state.items
        state.items = {}
        for gate_id, checklist_id, item_id in item_keys:
            key = f"{gate_id}/{checklist_id}/{item_id}"
            state.items[key] = touched.get(key, ItemStatus.OPEN.value)
        state.items.update(touched)  # (an item the log knows but no row has: kept)
    return state
