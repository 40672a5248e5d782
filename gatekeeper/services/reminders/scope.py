"""What a re-planning covers: the reminders of a few subjects, or all of a project's.

A change re-plans only the reminders of what it touched: a reopened item its
own, a moved gate date the items of that gate, a review the reviews, a phase
change the items of the gates it brought back into reach and the meetings whose
cadence follows the phases (the items of the gates it left behind are cancelled
with one UPDATE, `planning.forget_gates`). The daily
job and the changes that touch every reminder (a member added, the project
paused) re-plan everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.reminders.plan import ALL_PARTS, Parts


@dataclass(frozen=True)
class Scope:
    """The subjects whose reminders a re-planning brings in step."""

    everything: bool = False
    items: frozenset[int] = frozenset()  # checklist item rows
    gates: frozenset[str] = frozenset()  # every item of these gates
    reviews: bool = False
    conditions: bool = False
    meetings: bool = False
    communications: bool = False  # the kommunikationsplan's rows

    def __or__(self, other: Scope) -> Scope:
        return Scope(
            everything=self.everything or other.everything,
            items=self.items | other.items,
            gates=self.gates | other.gates,
            reviews=self.reviews or other.reviews,
            conditions=self.conditions or other.conditions,
            meetings=self.meetings or other.meetings,
            communications=self.communications or other.communications,
        )

    def __bool__(self) -> bool:
        return bool(
            self.everything
            or self.items
            or self.gates
            or self.reviews
            or self.conditions
            or self.meetings
            or self.communications
        )

    @property
    def single_item(self) -> int | None:
        """The one item row the scope covers when it covers nothing else (a reopened
        item, the common case): its statements are built once, not per call."""
        if len(self.items) != 1 or self.gates or self.everything:
            return None
        if self.reviews or self.conditions or self.meetings or self.communications:
            return None
        return next(iter(self.items))

    @property
    def parts(self) -> Parts:
        """The planner's parts this scope needs."""
        if self.everything:
            return ALL_PARTS
        return Parts(
            items=bool(self.items or self.gates),
            conditions=self.conditions,
            reviews=self.reviews,
            meetings=self.meetings,
            communications=self.communications,
        )


EVERYTHING = Scope(everything=True)


def gates_ahead(workflow: Workflow, phase: str) -> frozenset[str]:
    """The gates whose items a project in `phase` is reminded of: those still ahead."""
    return frozenset(gate.id for gate in workflow.gates_ahead(phase))


def of_phase_change(workflow: Workflow, old_phase: str, new_phase: str) -> Scope:
    """What a phase change re-plans: the items of the gates it brought into reach (a
    recycle) and, where the cadence follows these phases, the meetings; a change into
    or out of a final phase, everything (a final phase ends every reminder).

    Reviews and conditions are not the phase's to change (their own events re-plan
    them), and the gates it took out of reach are `out_of_reach`: their reminders are
    cancelled, not planned.
    """
    if workflow.phase(old_phase).final or workflow.phase(new_phase).final:
        return EVERYTHING
    came = gates_ahead(workflow, new_phase) - gates_ahead(workflow, old_phase)
    return Scope(
        gates=came, meetings=workflow.reminders.meetings_follow_phase(old_phase, new_phase)
    )


def out_of_reach(workflow: Workflow, old_phase: str, new_phase: str) -> frozenset[str]:
    """The gates a phase change left behind: their items are reminded no more (but for
    those kept on a restlista)."""
    return gates_ahead(workflow, old_phase) - gates_ahead(workflow, new_phase)
