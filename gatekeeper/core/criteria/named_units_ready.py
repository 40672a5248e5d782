"""Criterion `named_units_ready`: every unit a wave names as required is ready.

The required units are set per wave (through the API or the wave's page), not
in YAML: which kommuner must be ready for a wave to go live is the steering
group's call for each wave. A project without units, or a wave that names
none, passes.
"""

from __future__ import annotations

from typing import Literal

from gatekeeper.core.criteria.base import NOT_APPLICABLE, Criterion, CriterionResult, GateContext


class NamedUnitsReady(Criterion):
    """Each unit named as required for the wave (or waves) in scope is ready."""

    kind: Literal["named_units_ready"] = "named_units_ready"
    title_sv = "Namngivna enheter redo"

    def evaluate(self, context: GateContext) -> CriterionResult:
        scope = context.units
        if scope is None:
            return CriterionResult(
                kind=self.kind,
                passed=True,
                measured=NOT_APPLICABLE,
                required="alla namngivna",
                message_sv="Projektet har inga enheter i vågor; kriteriet gäller inte.",
                message_en="The project has no units in waves; the criterion does not apply.",
            )
        named = scope.required
        missing = [unit.name for unit in named if not unit.ready]
        ready = len(named) - len(missing)
        if not named:
            sv = f"Inga enheter är namngivna som krav för {scope.label_sv}."
            en = f"No units are named as required for {scope.label_sv}."
        elif not missing:
            sv = f"Alla {len(named)} namngivna enheter i {scope.label_sv} är redo."
            en = f"All {len(named)} named units in {scope.label_sv} are ready."
        else:
            sv = (
                f"{ready} av {len(named)} namngivna enheter i {scope.label_sv} är redo; "
                f"inte redo: {', '.join(missing)}."
            )
            en = (
                f"{ready} of {len(named)} named units in {scope.label_sv} are ready; "
                f"not ready: {', '.join(missing)}."
            )
        return CriterionResult(
            kind=self.kind,
            passed=not missing,
            measured=f"{ready} av {len(named)}",
            required=f"{len(named)} av {len(named)}",
            message_sv=sv,
            message_en=en,
            details=tuple(f"Inte redo: {name}" for name in missing),
        )
