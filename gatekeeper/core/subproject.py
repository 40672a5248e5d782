"""Delprojekt: a project may be part of another, never its own ancestor.

`creates_cycle` says whether linking `child` under `parent` would make a
project its own ancestor, given every project's current parent. `handed_over`
says whether a delprojekt has handed over to its förvaltning: it has passed
its workflow's driftöverlämning gate (a gate with `handover_to`), or it
stands in a final phase.
"""

from __future__ import annotations

from collections.abc import Mapping

from gatekeeper.core.criteria.base import SubprojectState
from gatekeeper.core.phase_model import Workflow

__all__ = ["SubprojectState", "creates_cycle", "handed_over"]


def creates_cycle(child: int, parent: int | None, parent_of: Mapping[int, int | None]) -> bool:
    """Whether `child` under `parent` would make a project its own ancestor.

    `parent_of` maps each project to its current parent (None: top level); a
    chain is followed at most as many steps as there are projects, so a
    damaged map cannot loop for ever.
    """
    seen = 0
    node = parent
    while node is not None and seen <= len(parent_of):
        if node == child:
            return True
        node = parent_of.get(node)
        seen += 1
    return node is not None  # the chain did not end: treat as a cycle


def handed_over(workflow: Workflow, phase: str) -> bool:
    """Whether a delprojekt in `phase` of `workflow` has handed over to its förvaltning."""
    if workflow.phase(phase).final:
        return True
    ahead = {gate.id for gate in workflow.gates_ahead(phase)}
    handovers = [gate.id for gate in workflow.gates if gate.handover_to]
    return bool(handovers) and all(gate not in ahead for gate in handovers)
