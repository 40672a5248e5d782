"""The next gate of many projects at once: batch loading, and readiness judged in memory.

The overview shows hundreds of projects, so the data of their next gates is
loaded in a fixed number of queries (targets, the next gates' items, open
risks, named decisions, open conditions), selecting plain columns rather than
rows; `next_gate` then judges the core criteria on that data, so `blockers`
is exactly what the gate page would say fails, and counts the items done and
overdue.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col
from sqlmodel.sql.expression import Select

from gatekeeper.core.checklist import ItemState
from gatekeeper.core.criteria.base import GateContext
from gatekeeper.core.deadline import item_due_on
from gatekeeper.core.gate import evaluate_gate
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.risk import RiskState
from gatekeeper.core.status import ConditionStatus, ProjectStatus, RiskStatus
from gatekeeper.store.gates.tables import DecisionCondition
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    NamedDecision,
    Project,
    Risk,
)

SETTLED = (ProjectStatus.TERMINATED, ProjectStatus.CLOSED)


@dataclass(frozen=True)
class NextGate:
    """The gate a project heads for, and how ready it is."""

    gate_id: str
    name: str
    target_date: date | None
    items_done: int
    items_total: int  # items that count (not those marked not applicable)
    blockers: int  # failing criteria
    passed: bool

    @property
    def percent(self) -> int:
        """The share done in whole percent, rounded down (79.5 % never reads 80 %)."""
        if self.items_total == 0:
            return 100
        return math.floor(self.items_done * 100 / self.items_total + 1e-9)


@dataclass(frozen=True)
class GateData:
    """Batch-loaded data of many projects' next gates, keyed by project id."""

    targets: dict[tuple[int, str], date]
    items: dict[tuple[int, str], list[ItemState]]
    risks: dict[int, list[RiskState]]
    decisions: dict[int, set[str]]
    conditions: dict[int, list[tuple[str, date | None]]]


def among(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values`, the values deduplicated and sorted (stable SQL, stable plans)."""
    return col(column).in_(sorted(set(values)))


def columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """A select of plain columns (any number: sqlmodel's `select` is typed up to four)."""
    return Select(*(col(column) for column in columns))


def load_gates(session: Session, projects_: list[tuple[Project, Workflow]]) -> GateData:
    """The next gates' targets and items; the open risks, decisions, conditions of all.

    Core rows on the session's connection: thousands of plain tuples, which the ORM's
    result layer would otherwise pass one by one."""
    connection = session.connection()
    ids = [p.id for p, _ in projects_ if p.id is not None]
    wanted = {
        (p.id, gate.id): gate
        for p, workflow in projects_
        if p.status not in SETTLED
        for gate in workflow.gates_from(p.phase)
    }
    laps = {p.id: p.lap for p, _ in projects_}
    targets = {
        (pid, gid): day
        for pid, gid, day, lap in connection.execute(
            columns(
                GateTarget.project_id, GateTarget.gate_id, GateTarget.target_date, GateTarget.lap
            ).where(among(GateTarget.project_id, ids))
        ).all()
        if laps.get(pid) == lap  # the current lap's dates
    }
    items: dict[tuple[int, str], list[ItemState]] = defaultdict(list)
    if wanted:
        rows = connection.execute(
            columns(
                ChecklistInstance.project_id,
                ChecklistInstance.gate_id,
                ChecklistInstance.checklist_id,
                ChecklistItem.item_id,
                ChecklistItem.text,
                ChecklistItem.category,
                ChecklistItem.mandatory,
                ChecklistItem.evidence_required,
                ChecklistItem.status,
                ChecklistItem.evidence,
                ChecklistItem.due_offset_days,
            )
            .join(ChecklistInstance, col(ChecklistItem.instance_id) == col(ChecklistInstance.id))
            .where(
                among(ChecklistInstance.project_id, {pid for pid, _ in wanted}),
                among(ChecklistInstance.gate_id, {gid for _, gid in wanted}),
            )
            .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
        ).all()
        due_on: dict[tuple[date | None, int | None], date | None] = {}
        for pid, gid, checklist, item, text, category, mandatory, needs, status, ev, off in rows:
            if (pid, gid) not in wanted:
                continue
            target = targets.get((pid, gid))
            # A few hundred distinct (target, offset) pairs among thousands of items.
            key = (target, off)
            if key not in due_on:
                due_on[key] = item_due_on(target, off)
            items[(pid, gid)].append(
                ItemState(
                    checklist,
                    item,
                    text,
                    category,
                    mandatory,
                    needs,
                    status,
                    bool(ev and ev.strip()),
                    due_on[key],
                )
            )
    risks: dict[int, list[RiskState]] = defaultdict(list)
    for pid, title, probability, consequence, status in connection.execute(
        columns(Risk.project_id, Risk.title, Risk.probability, Risk.consequence, Risk.status).where(
            among(Risk.project_id, ids), Risk.status == RiskStatus.OPEN
        )
    ).all():
        risks[pid].append(RiskState(title, probability, consequence, status))
    decisions: dict[int, set[str]] = defaultdict(set)
    for pid, key, lap in connection.execute(
        columns(NamedDecision.project_id, NamedDecision.key, NamedDecision.lap).where(
            among(NamedDecision.project_id, ids)
        )
    ).all():
        if laps.get(pid) == lap:  # the current lap's decisions
            decisions[pid].add(key)
    conditions: dict[int, list[tuple[str, date | None]]] = defaultdict(list)
    for pid, text, due in connection.execute(
        columns(DecisionCondition.project_id, DecisionCondition.text, DecisionCondition.due_on)
        .where(
            among(DecisionCondition.project_id, ids),
            DecisionCondition.status == ConditionStatus.OPEN,
        )
        .order_by(col(DecisionCondition.id))
    ).all():
        conditions[pid].append((text, due))
    return GateData(
        targets=targets,
        items=items,
        risks=risks,
        decisions=decisions,
        conditions=conditions,
    )


def main_gate(gates: tuple[Gate, ...], loaded: GateData, pid: int) -> Gate:
    """Of several gates leaving a phase, the one with the earliest target date (else the first)."""
    dated = [
        (loaded.targets[(pid, g.id)], i)
        for i, g in enumerate(gates)
        if (pid, g.id) in loaded.targets
    ]
    return gates[min(dated)[1]] if dated else gates[0]


def next_gate(
    project: Project, workflow: Workflow, loaded: GateData, today: date
) -> tuple[NextGate | None, int]:
    """The gate `project` heads for, judged on `loaded`, and its next gates' overdue items."""
    assert project.id is not None
    pid = project.id
    gates = () if project.status in SETTLED else workflow.gates_from(project.phase)
    found = None
    overdue_items = 0
    if gates:
        for gate in gates:
            overdue_items += sum(
                1 for i in loaded.items.get((pid, gate.id), ()) if i.overdue(today)
            )
        gate = main_gate(gates, loaded, pid)
        states = loaded.items.get((pid, gate.id), [])
        context = GateContext(
            items=states,
            risks=loaded.risks.get(pid, ()),
            decisions=frozenset(loaded.decisions.get(pid, ())),
            today=today,
            open_conditions=tuple(text for text, _ in loaded.conditions.get(pid, ())),
        )
        verdict = evaluate_gate(gate, context)
        counted = [state for state in states if state.counts]
        found = NextGate(
            gate_id=gate.id,
            name=gate.name,
            target_date=loaded.targets.get((pid, gate.id)),
            items_done=sum(1 for state in counted if state.done),
            items_total=len(counted),
            blockers=len(verdict.failed),
            passed=verdict.passed,
        )
    return found, overdue_items
