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
replayed from their events. In a cyclic workflow, `lap` is the lap the project
was in at `at`: a `LapStarted` event opens the loop's items again, so a moment in
lap 1 shows lap 1's ticks and a moment in lap 2 lap 2's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    lap: int = 1  # the lap (varv) of a cyclic workflow the project was in
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
    elif action == EventName.LAP_STARTED:
        state.lap = after.get("lap", state.lap + 1)
        for gate in after.get("gates", ()):
            state.gate_targets.pop(gate, None)  # the new lap's dates are set anew
        for key in after.get("items", ()):
            state.items[key] = ItemStatus.OPEN.value
    elif action == EventName.CHECKLIST_ITEM_UPDATED and event.object_type == "checklist_item":
        state.items[event.object_id.split("/", 1)[1]] = after.get("status", "open")
    elif action in (EventName.RISK_CREATED, EventName.RISK_UPDATED):
        state.risks[event.object_id] = after
    elif action == EventName.DECISION_RECORDED:
        state.named_decisions[after["key"]] = after  # the latest lap's, by key
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


@dataclass(frozen=True)
class LapRecord:
    """One lap (varv) of a project as its audit log tells it: when it began, with which
    gate, and what was done in it (ticks and decisions before the next lap began)."""

    number: int
    started_at: datetime | None  # None: the first lap, begun with the project
    gate: str | None  # the loop-closing gate that began it
    ticks: int = 0  # checklist item changes made by people in the lap
    gate_decisions: tuple[str, ...] = ()  # audit object ids of the lap's gate decisions
    named_decisions: tuple[str, ...] = ()  # the keys recorded in the lap


def laps_of(ctx: Context, project_key: str) -> list[LapRecord]:
    """The project's laps in order, from its audit log: the project history grouped by lap.

    Each event belongs to the lap that was current when it was recorded; a
    `LapStarted` event closes one lap and opens the next."""
    with ctx.db.read() as session:
        return laps_in(session=session, project=project_by_key(session=session, key=project_key))


def laps_in(*, session: Session, project: Project) -> list[LapRecord]:
    """`laps_of` inside the caller's transaction."""
    wanted = (
        EventName.LAP_STARTED,
        EventName.CHECKLIST_ITEM_UPDATED,
        EventName.GATE_DECIDED,
        EventName.DECISION_RECORDED,
    )
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.project_id == project.id, col(AuditEvent.action).in_(wanted))
        .order_by(col(AuditEvent.seq))
    ).all()
    laps = [LapRecord(number=1, started_at=None, gate=None)]
    for event in events:
        current = laps[-1]
        if event.action == EventName.LAP_STARTED:
            after = _after(event)
            laps.append(
                LapRecord(
                    number=after.get("lap", current.number + 1),
                    started_at=event.at,
                    gate=after.get("gate"),
                )
            )
        elif event.action == EventName.CHECKLIST_ITEM_UPDATED:
            if not event.actor.startswith("system:"):  # a person's tick, not a decision's
                laps[-1] = replace(current, ticks=current.ticks + 1)
        elif event.action == EventName.GATE_DECIDED:
            laps[-1] = replace(current, gate_decisions=(*current.gate_decisions, event.object_id))
        else:
            key = event.object_id.rsplit("/", 1)[-1]
            laps[-1] = replace(current, named_decisions=(*current.named_decisions, key))
    return laps
