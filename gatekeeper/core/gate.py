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


OPEN_CONDITIONS = "open_conditions"


def _open_conditions(context: GateContext) -> CriterionResult:
    """The implicit criterion: conditions of an earlier conditional go are met."""
    count = len(context.open_conditions)
    if count == 0:
        sv, en = "Inga villkor från tidigare beslut är öppna.", "No conditions are open."
        da = "Ingen betingelser fra tidligere beslutninger er åbne."
    else:
        sv = (
            f"{count} villkor från ett tidigare beslut om go med villkor är inte "
            "uppfyllda eller efterskänkta."
        )
        en = f"{count} condition{'s' if count != 1 else ''} of an earlier conditional go open."
        da = (
            f"{count} {'betingelse' if count == 1 else 'betingelser'} fra en tidligere "
            "beslutning om betinget go er hverken opfyldt eller frafaldet."
        )
    return CriterionResult(
        kind=OPEN_CONDITIONS,
        passed=count == 0,
        measured=f"{count} öppna",
        required="0 öppna",
        message_sv=sv,
        message_en=en,
        details=tuple(f"Villkor: {text}" for text in context.open_conditions),
        message_da=da,
        measured_da=f"{count} åbne",
        required_da="0 åbne",
        details_da=tuple(f"Betingelse: {text}" for text in context.open_conditions),
    )


def evaluate_gate(gate: Gate, context: GateContext) -> GateVerdict:
    """Judge every criterion of `gate` on `context` (none is skipped on failure).

    Open conditions of an earlier conditional go always block the next gate,
    whatever the YAML says, so that result is added whenever any are open.
    """
    results = [criterion.evaluate(context) for criterion in gate.criteria]
    if context.open_conditions:
        results.append(_open_conditions(context))
    return GateVerdict(gate_id=gate.id, results=tuple(results))
