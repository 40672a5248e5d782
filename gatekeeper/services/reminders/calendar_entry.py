"""The dated entries of one project in a person's calendar feed.

For one project and one person (their e-mail and the roles they hold), as the
project stands now:

- the target date of every gate ("Grind: Go-live / driftstart – Införande av IBIC");
- the deadline of every open checklist item whose responsible role the person
  holds, in gates not yet passed;
- the due date of every open decision condition the person owns;
- the meetings of the workflow's cadence (`core.reminders.policy.meetings_between`)
  for the next twelve months, for the roles the person holds (none while the
  project is paused).

Each entry is one all-day date with a stable UID (`gate-<project>-<gate>@gatekeeper`…),
so a calendar program updates an event when its date moves instead of adding
another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import ConditionStatus, ItemStatus, ProjectStatus
from gatekeeper.services.context import LOCAL_ZONE
from gatekeeper.services.definitions import project_workflow
from gatekeeper.store.gates.tables import DecisionCondition
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    PhaseChange,
    Project,
)

if TYPE_CHECKING:
    from gatekeeper.core.reminders.policy import Meeting

MEETING_HORIZON_DAYS = 365
UID_DOMAIN = "gatekeeper"


@dataclass(frozen=True)
class CalendarEntry:
    """One all-day event of the feed."""

    uid: str
    on: date
    summary: str
    description: str
    link: str
    categories: str


def _passed_order(workflow: Workflow) -> dict[str, int]:
    return {phase.id: index for index, phase in enumerate(workflow.phases)}


def _gates_ahead(workflow: Workflow, current_phase: str) -> set[str]:
    """Gates leaving the current phase or a later one (by the workflow's phase order)."""
    order = _passed_order(workflow)
    here = order.get(current_phase, 0)
    return {gate.id for gate in workflow.gates if order.get(gate.source, -1) >= here}


def _meetings(
    workflow: Workflow,
    project: Project,
    phase_entries: Mapping[str, date],
    today: date,
) -> list[Meeting]:
    """The cadence's meetings of the next twelve months."""
    from gatekeeper.core.reminders.policy import meetings_between  # the planner's; kept lazy

    return meetings_between(
        workflow.reminders,
        started_on=project.started_on,
        phase_entries=phase_entries,
        current_phase=project.phase,
        start=today,
        end=today + timedelta(days=MEETING_HORIZON_DAYS),
        final_phases=frozenset(phase.id for phase in workflow.phases if phase.final),
    )


def project_entries(
    session: Session, project: Project, email: str, roles: set[str], today: date
) -> Iterable[CalendarEntry]:
    """The entries of `project` for the person `email` holding `roles`, as of `today`."""
    workflow = project_workflow(session=session, project=project)
    key, name = project.key, project.name
    page = f"/projects/{key}"
    gate_names = {gate.id: gate.name for gate in workflow.gates}
    role_names = {role.id: role.name for role in workflow.roles}
    targets = {
        row.gate_id: row.target_date
        for row in session.exec(
            select(GateTarget).where(
                GateTarget.project_id == project.id, GateTarget.lap == project.lap
            )
        )
    }
    for gate in workflow.gates:
        if gate.id in targets:
            yield CalendarEntry(
                uid=f"gate-{key}-{gate.id}@{UID_DOMAIN}",
                on=targets[gate.id],
                summary=f"Grind: {gate.name} – {name}",
                description=f"Måldatum för grinden {gate.name} i projektet {name}.",
                link=f"{page}/gates/{gate.id}",
                categories="Grind",
            )
    ahead = _gates_ahead(workflow, project.phase)
    if roles and ahead:
        items = session.exec(
            select(ChecklistItem, ChecklistInstance)
            .join(ChecklistInstance)
            .where(
                ChecklistInstance.project_id == project.id,
                col(ChecklistInstance.gate_id).in_(sorted(ahead)),
                ChecklistItem.status == ItemStatus.OPEN,
                col(ChecklistItem.responsible).in_(sorted(roles)),
                col(ChecklistItem.due_offset_days).is_not(None),
            )
            .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
        ).all()
        for item, instance in items:
            target = targets.get(instance.gate_id)
            if target is None or item.due_offset_days is None:
                continue
            gate_name = gate_names.get(instance.gate_id, instance.gate_id)
            yield CalendarEntry(
                uid=f"item-{key}-{instance.gate_id}-{instance.checklist_id}-{item.item_id}"
                f"@{UID_DOMAIN}",
                on=target + timedelta(days=item.due_offset_days),
                summary=f"Deadline: {item.text} – {name}",
                description=(
                    f"Checklistepunkt inför grinden {gate_name} ({instance.name}). "
                    f"Ansvarig roll: {role_names.get(item.responsible, item.responsible)}."
                ),
                link=f"{page}/gates/{instance.gate_id}#item-{instance.checklist_id}-{item.item_id}",
                categories="Deadline",
            )
    conditions = session.exec(
        select(DecisionCondition).where(
            DecisionCondition.project_id == project.id,
            DecisionCondition.owner == email,
            DecisionCondition.status == ConditionStatus.OPEN,
            col(DecisionCondition.due_on).is_not(None),
        )
    ).all()
    for condition in conditions:
        assert condition.due_on is not None
        yield CalendarEntry(
            uid=f"condition-{key}-{condition.id}@{UID_DOMAIN}",
            on=condition.due_on,
            summary=f"Villkor: {condition.text} – {name}",
            description=f"Villkor i ett beslut om go med villkor i {name}; du är ansvarig.",
            link=f"{page}#conditions-heading",
            categories="Villkor",
        )
    if project.status is ProjectStatus.ON_HOLD:
        return
    entries: dict[str, date] = {}
    for phase_change in session.exec(
        select(PhaseChange)
        .where(PhaseChange.project_id == project.id)
        .order_by(col(PhaseChange.at), col(PhaseChange.id))
    ):
        entries[phase_change.to_phase] = phase_change.at.astimezone(LOCAL_ZONE).date()
    for meeting in _meetings(workflow, project, entries, today):
        meeting_roles = set(meeting.roles)
        if meeting_roles and not meeting_roles & roles:
            continue
        yield CalendarEntry(
            uid=f"meeting-{key}-{meeting.cadence_id}-{meeting.on.isoformat()}@{UID_DOMAIN}",
            on=meeting.on,
            summary=f"{meeting.name} – {name}",
            description=f"Återkommande möte i projektet {name}.",
            link=page,
            categories="Möte",
        )
