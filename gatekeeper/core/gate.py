"""Gate verdicts: every criterion of a gate judged and explained.

`evaluate_gate` is the only place where criteria are run. It returns a value,
never raises for a failing criterion, so the steering group sees the whole
picture at once; the engine asks transitions to move only after a verdict has
passed (or an override was recorded).
"""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.criteria.base import CriterionResult, GateContext
from gatekeeper.core.phase_model import Gate


@dataclass(frozen=True)
class GateVerdict:
    """The judged criteria of one gate at one moment."""

    gate_id: str
    results: tuple[CriterionResult, ...]

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)

    @property
    def failed(self) -> tuple[CriterionResult, ...]:
        return tuple(result for result in self.results if not result.passed)

    def summary_sv(self) -> str:
        """One paragraph a steering group reads: what fails, in words."""
        if self.passed:
            return "Alla kriterier för grinden är uppfyllda."
        lines = [result.message_sv for result in self.failed]
        return "Grinden kan inte passeras: " + " ".join(lines)

    def summary_en(self) -> str:
        if self.passed:
            return "All criteria of the gate are met."
        return "The gate cannot be passed: " + " ".join(r.message_en for r in self.failed)


def evaluate_gate(gate: Gate, context: GateContext) -> GateVerdict:
    """Judge every criterion of `gate` on `context` (none is skipped on failure)."""
    return GateVerdict(
        gate_id=gate.id,
        results=tuple(criterion.evaluate(context) for criterion in gate.criteria),
    )
