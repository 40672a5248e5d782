"""The order of a project's gate dates: no phase may end before it starts.

A phase is planned to run from the target date of the gate into it (for the
initial phase: the day the project started) to the target date of the first
gate out of it (the timeline draws it so). Dates stay in order when, for every
phase, its end is not before its start. `OrderEdge`s say which gate must not
come before which; a workflow's edges form a chain from the initial phase (a
gate back into the initial phase, such as a new measurement cycle, starts no
planned period and is not an edge's start).

`plan_move` is the pure rule for moving one gate's date: either only that gate
moves (refused when it would pass a neighbour), or every later gate with a
date moves by the same number of days (`shift_later`). The services put its
result in the database; the preview shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from gatekeeper.core.phase_model import Workflow

START = "__start__"  # the project's start day, the initial phase's planned start


@dataclass(frozen=True)
class OrderEdge:
    """Gate `before`'s date must not lie after gate `after`'s (START: the project start)."""

    before: str
    after: str
    phase: str  # the phase whose planned period the two dates bound


@dataclass(frozen=True)
class OrderBreach:
    """A phase that would end before it starts: its bounding gates and their dates."""

    phase: str
    before: str
    after: str
    before_date: date
    after_date: date


@dataclass(frozen=True)
class MovePlan:
    """What moving one gate's date changes: every gate's old and new date that moves."""

    gate_id: str
    offset_days: int
    moves: tuple[tuple[str, date | None, date], ...]  # (gate id, old date, new date)

    def new_targets(self, targets: Mapping[str, date]) -> dict[str, date]:
        merged = dict(targets)
        merged.update({gate_id: new for gate_id, _, new in self.moves})
        return merged


def order_edges(workflow: Workflow) -> tuple[OrderEdge, ...]:
    """For each phase with a planned period: its start (gate in) before its end (gate out)."""
    edges = []
    for phase in workflow.phases_in_order():
        out = next(iter(workflow.gates_from(phase.id)), None)
        if out is None:
            continue
        if phase.id == workflow.initial:
            edges.append(OrderEdge(START, out.id, phase.id))
            continue
        into = next((g for g in workflow.gates if g.dest == phase.id), None)
        if into is not None and into.id != out.id:
            edges.append(OrderEdge(into.id, out.id, phase.id))
    return tuple(edges)


def later_gates(workflow: Workflow, gate_id: str) -> tuple[str, ...]:
    """The gates whose dates come after `gate_id`'s, nearest first (transitively)."""
    edges = order_edges(workflow)
    found: list[str] = []
    frontier = [gate_id]
    while frontier:
        current = frontier.pop(0)
        for edge in edges:
            if edge.before == current and edge.after not in found and edge.after != gate_id:
                found.append(edge.after)
                frontier.append(edge.after)
    return tuple(found)


def breaches(
    workflow: Workflow, targets: Mapping[str, date], started_on: date
) -> tuple[OrderBreach, ...]:
    """Every phase that would end before it starts, comparing the nearest dated gates.

    A gate without a date is skipped over: with dates on A and C but none on B,
    A must still not come after C.
    """
    edges = order_edges(workflow)
    dated = {START: started_on, **targets}
    found: list[OrderBreach] = []
    for edge in edges:
        if edge.before not in dated:
            continue
        # the nearest dated gates after `edge.before`, walking over undated ones
        frontier, seen = [edge], set()
        while frontier:
            current = frontier.pop(0)
            if current.after in seen:
                continue
            seen.add(current.after)
            if current.after in dated:
                if dated[current.after] < dated[edge.before]:
                    found.append(
                        OrderBreach(
                            phase=current.phase,
                            before=edge.before,
                            after=current.after,
                            before_date=dated[edge.before],
                            after_date=dated[current.after],
                        )
                    )
                continue
            frontier.extend(e for e in edges if e.before == current.after)
    return tuple(found)


def plan_move(
    workflow: Workflow,
    targets: Mapping[str, date],
    *,
    gate_id: str,
    new_date: date,
    shift_later: bool,
) -> MovePlan:
    """The dates that change when `gate_id` moves to `new_date` (order not yet checked)."""
    old = targets.get(gate_id)
    offset = (new_date - old).days if old is not None else 0
    moves: list[tuple[str, date | None, date]] = [(gate_id, old, new_date)]
    if shift_later and offset:
        for later in later_gates(workflow, gate_id):
            if later in targets:
                moves.append((later, targets[later], targets[later] + timedelta(days=offset)))
    return MovePlan(gate_id=gate_id, offset_days=offset, moves=tuple(moves))
