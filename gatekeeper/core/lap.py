"""Laps (varv) of a cyclic workflow: which gate closes the loop and which gates it holds.

A workflow such as the Danish ICS loop (måling → plan → gennemførelse →
opfølgning → ny måling) goes round: its loop-closing gate leads back to a
phase the loop came through before. Each time a project takes that gate it
starts a new lap, whose checklists, gate dates and decisions are its own.
Phases are walked in the workflow's order, so a gate "goes back" when its
destination comes no later than its source; a recycle (a decision to go
back) is an outcome, not a gate, and starts no lap.
"""

from __future__ import annotations

from gatekeeper.core.phase_model import Gate, Workflow

FIRST_LAP = 1


def closes_loop(workflow: Workflow, gate: Gate) -> bool:
    """Whether taking `gate` goes back round the loop (and so starts a new lap)."""
    order = {phase.id: index for index, phase in enumerate(workflow.phases)}
    return order[gate.dest] <= order[gate.source]


def loop_gates(workflow: Workflow, closing: Gate) -> tuple[Gate, ...]:
    """The gates a lap walks again: those leaving a phase from the closing gate's
    destination up to its source, in the workflow's order."""
    order = [phase.id for phase in workflow.phases]
    first, last = order.index(closing.dest), order.index(closing.source)
    inside = frozenset(order[first : last + 1])
    return tuple(gate for gate in workflow.gates if gate.source in inside)


def is_cyclic(workflow: Workflow) -> bool:
    """Whether the workflow has a loop-closing gate (and its projects count laps)."""
    return any(closes_loop(workflow, gate) for gate in workflow.gates)


# The word for a lap in the languages of a project's people (seed 001 says "runde").
LAP_WORD = {"sv": "Varv", "da": "Runde", "en": "Lap"}


def lap_label(lap: int, language: str) -> str:
    """ "Varv 2", "Runde 2" or "Lap 2" in the page's language."""
    return f"{LAP_WORD.get(language, LAP_WORD['sv'])} {lap}"
