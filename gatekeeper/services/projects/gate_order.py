"""Gate dates in order: the refusal, in words, of dates under which a phase would end
before it starts (the rule itself is `gatekeeper.core.gate_order`).

Shared by starting a project with dates (`project.create_project`) and moving
a gate's date (`gate_date.set_gate_target`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from gatekeeper.core.gate_order import START, breaches
from gatekeeper.core.phase_model import Workflow
from gatekeeper.errors import DatesOutOfOrder


def refuse_out_of_order(
    workflow: Workflow,
    targets: Mapping[str, date],
    started_on: date,
    *,
    concerning: frozenset[str] | None = None,
    field: str = "target_date",
) -> None:
    """Refuse dates under which a phase would end before it starts, naming the gates.

    With `concerning`, only breaches that involve one of those gates count (a
    move does not answer for an older disorder elsewhere).
    """
    found = [
        b
        for b in breaches(workflow, targets, started_on)
        if concerning is None or b.before in concerning or b.after in concerning
    ]
    if not found:
        return
    names = {gate.id: gate.name for gate in workflow.gates}
    first = found[0]
    phase = workflow.phase(first.phase).name
    if first.before == START:
        sentence = (
            f"{names[first.after]} ({first.after_date.isoformat()}) skulle komma före "
            f"projektets start ({first.before_date.isoformat()}): fasen {phase} skulle "
            "sluta innan den börjar."
        )
    else:
        sentence = (
            f"{names[first.after]} ({first.after_date.isoformat()}) skulle komma före "
            f"{names[first.before]} ({first.before_date.isoformat()}): fasen {phase} "
            "skulle sluta innan den börjar."
        )
    involved: list[tuple[str, str, date]] = []
    for breach in found:
        for gate_id, day in (
            (breach.before, breach.before_date),
            (breach.after, breach.after_date),
        ):
            if gate_id != START and all(gate_id != g for g, _, _ in involved):
                involved.append((gate_id, names[gate_id], day))
    raise DatesOutOfOrder(
        f"Datumen hamnar i fel ordning. {sentence} Välj ett annat datum eller flytta de "
        "senare grindarna med.",
        field=field,
        gates=tuple(involved),
    )
