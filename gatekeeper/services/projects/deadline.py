"""Checklist items with their dated deadlines, as lines of a list: what "Mina punkter" and
a project's deadline view show, loaded in a fixed number of queries for many projects.

A line is one item of a gate still ahead of its project (or an item handed over to a
restlista), with its deadline dated by the one rule (`core.deadline.item_due_on`), its
lateness by the gate criteria's own rule (`ItemState.overdue`) and the labels a reader
needs: project, gate, checklist and responsible role by name. `choose` keeps the lines
that satisfy every chosen filter; `in_order` sorts them by deadline (late first, undated
last) or by gate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import or_
from sqlmodel import Session, col

from gatekeeper.core.checklist import ItemState
from gatekeeper.core.deadline import item_due_on
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import ItemStatus, ProjectStatus
from gatekeeper.services.projects.next_gate import among, columns
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    Project,
    ProjectMember,
)

SortKey = Literal["deadline", "gate"]
SORT_KEYS: tuple[SortKey, ...] = ("deadline", "gate")
SETTLED = (ProjectStatus.TERMINATED, ProjectStatus.CLOSED)


@dataclass(frozen=True)
class DeadlineLine:
    """One checklist item of a project, dated, with the names a reader needs."""

    project_key: str
    project_name: str
    gate_id: str
    gate_name: str
    gate_position: int  # the gate's place in its workflow
    checklist_id: str
    checklist_name: str
    item_id: str
    position: int
    text: str
    category: str
    responsible: str  # the role id (for filtering; pages show `responsible_name`)
    responsible_name: str
    mandatory: bool
    status: ItemStatus
    restlista: bool
    due_on: date | None
    late_days: int  # how many days past its deadline an item still to do is (0: not late)
    mine: bool  # the viewer holds the responsible role in the project

    @property
    def late(self) -> bool:
        return self.late_days > 0

    @property
    def is_open(self) -> bool:
        return self.status is ItemStatus.OPEN

    def days_left(self, today: date) -> int | None:
        """Days until the deadline (0: today), or None without one or once passed."""
        if self.due_on is None or self.due_on < today:
            return None
        return (self.due_on - today).days

    @property
    def href(self) -> str:
        """The item on its gate page."""
        return (
            f"/projects/{self.project_key}/gates/{self.gate_id}"
            f"#item-{self.checklist_id}-{self.item_id}"
        )


@dataclass(frozen=True)
class LineFilter:
    """What a reader narrows the lines to; every chosen filter must hold."""

    late: bool = False
    mine: bool = False
    open: bool = False
    category: str = ""
    checklist: str = ""

    def admits(self, line: DeadlineLine) -> bool:
        return (
            (not self.late or line.late)
            and (not self.mine or line.mine)
            and (not self.open or line.is_open)
            and (not self.category or line.category == self.category)
            and (not self.checklist or line.checklist_id == self.checklist)
        )

    @property
    def any(self) -> bool:
        return bool(self.late or self.mine or self.open or self.category or self.checklist)


def roles_of(session: Session, email: str, project_ids: Iterable[int]) -> dict[int, set[str]]:
    """The roles `email` holds per project, as a member in their own right (not as ersättare:
    an ersättare stands in for a vote, the items stay the member's)."""
    held: dict[int, set[str]] = defaultdict(set)
    ids = list(project_ids)
    if not ids:
        return held
    for pid, role in session.exec(
        columns(ProjectMember.project_id, ProjectMember.role).where(
            ProjectMember.email == email,
            col(ProjectMember.substitute_for).is_(None),
            among(ProjectMember.project_id, ids),
        )
    ).all():
        held[pid].add(role)
    return held


def load_lines(
    session: Session,
    projects: Iterable[tuple[Project, Workflow]],
    *,
    today: date,
    roles: Mapping[int, set[str]],
    open_only: bool = False,
) -> list[DeadlineLine]:
    """The items of the gates ahead of each project (and its restlista), dated; `roles` are
    the viewer's roles per project id. Settled projects have no gates ahead."""
    wanted: dict[int, tuple[Project, Workflow, dict[str, int]]] = {}
    for project, workflow in projects:
        if project.id is None or project.status in SETTLED:
            continue
        ahead = {gate.id for gate in workflow.gates_ahead(project.phase)}
        order = {gate.id: n for n, gate in enumerate(workflow.gates) if gate.id in ahead}
        wanted[project.id] = (project, workflow, order)
    if not wanted:
        return []
    targets = {
        (pid, gid): day
        for pid, gid, day, lap in session.exec(
            columns(
                GateTarget.project_id, GateTarget.gate_id, GateTarget.target_date, GateTarget.lap
            ).where(among(GateTarget.project_id, wanted))
        ).all()
        if wanted[pid][0].lap == lap  # the current lap's dates
    }
    gate_ids = {gid for _, _, order in wanted.values() for gid in order}
    statement = (
        columns(
            ChecklistInstance.project_id,
            ChecklistInstance.gate_id,
            ChecklistInstance.checklist_id,
            ChecklistInstance.name,
            ChecklistItem.item_id,
            ChecklistItem.position,
            ChecklistItem.text,
            ChecklistItem.category,
            ChecklistItem.responsible,
            ChecklistItem.mandatory,
            ChecklistItem.evidence_required,
            ChecklistItem.status,
            ChecklistItem.restlista,
            ChecklistItem.due_offset_days,
        )
        .join(ChecklistInstance, col(ChecklistItem.instance_id) == col(ChecklistInstance.id))
        .where(
            among(ChecklistInstance.project_id, wanted),
            or_(among(ChecklistInstance.gate_id, gate_ids), col(ChecklistItem.restlista).is_(True)),
        )
        .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
    )
    if open_only:
        statement = statement.where(ChecklistItem.status == ItemStatus.OPEN)
    lines = []
    for row in session.exec(statement).all():
        pid, gid, cid, cname, iid, pos, text, category, responsible = row[:9]
        mandatory, evidence_required, status, restlista, offset = row[9:]
        project, workflow, order = wanted[pid]
        if gid not in order and not (restlista and status is ItemStatus.OPEN):
            continue  # a passed gate's item, not on a restlista still to do
        due_on = item_due_on(targets.get((pid, gid)), offset)
        state = ItemState(
            checklist_id=cid,
            item_id=iid,
            text=text,
            category=category,
            mandatory=mandatory,
            evidence_required=evidence_required,
            status=status,
            due_on=due_on,
        )
        late = due_on is not None and state.overdue(today)
        lines.append(
            DeadlineLine(
                project_key=project.key,
                project_name=project.name,
                gate_id=gid,
                gate_name=_gate_name(workflow, gid),
                gate_position=_gate_position(workflow, gid),
                checklist_id=cid,
                checklist_name=cname,
                item_id=iid,
                position=pos,
                text=text,
                category=category,
                responsible=responsible,
                responsible_name=_role_name(workflow, responsible),
                mandatory=mandatory,
                status=status,
                restlista=restlista,
                due_on=due_on,
                late_days=(today - due_on).days if late and due_on is not None else 0,
                mine=responsible in roles.get(pid, ()),
            )
        )
    return lines


def choose(lines: Iterable[DeadlineLine], chosen: LineFilter) -> list[DeadlineLine]:
    """The lines that satisfy every filter chosen."""
    return [line for line in lines if chosen.admits(line)]


def in_order(lines: Iterable[DeadlineLine], sort: SortKey = "deadline") -> list[DeadlineLine]:
    """By deadline: late first (the longest late first), then the nearest deadline, undated
    last; by gate: the workflow's order of gates, each by deadline. Ties: project, checklist
    and the item's place in it."""

    def by_deadline(line: DeadlineLine) -> tuple[int, date, str, str, int, int]:
        return (
            0 if line.due_on is not None else 1,
            line.due_on or date.max,
            line.project_name,
            line.project_key,
            line.gate_position,
            line.position,
        )

    if sort == "gate":
        return sorted(
            lines, key=lambda line: (line.project_name, line.gate_position, by_deadline(line))
        )
    return sorted(lines, key=by_deadline)


def _gate_name(workflow: Workflow, gate_id: str) -> str:
    try:
        return workflow.gate(gate_id).name
    except KeyError:
        return gate_id


def _gate_position(workflow: Workflow, gate_id: str) -> int:
    return next((n for n, gate in enumerate(workflow.gates) if gate.id == gate_id), 0)


def _role_name(workflow: Workflow, role_id: str) -> str:
    return next((role.name for role in workflow.roles if role.id == role_id), role_id)
