"""Criterion `units_ready_share`: at least a given share of a wave's units is ready.

A unit is ready when every mandatory item of its cut-over checklists is done
(with evidence where the item demands it). Judged on the units of the wave
under review; for the project's own review on the units of the waves not yet
live. A project without units (no rollout) passes: the criterion does not apply.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field

from gatekeeper.core.criteria.base import NOT_APPLICABLE, Criterion, CriterionResult, GateContext

MAX_NAMED = 20  # units named in the details; the rest are counted


def _percent(share: float) -> str:
    # Rounded down, so that 79.5 % never reads as a passing "80 %".
    return f"{math.floor(share * 100 + 1e-9)} %"


class UnitsReadyShare(Criterion):
    """Units ready / units in scope (a wave's, or the waves' not yet live)."""

    kind: Literal["units_ready_share"] = "units_ready_share"
    min_share: float = Field(ge=0.0, le=1.0, description="Lowest share of units ready, 0 to 1.")
    title_sv = "Andel enheter redo"

    def evaluate(self, context: GateContext) -> CriterionResult:
        required = f"minst {_percent(self.min_share)}"
        scope = context.units
        if scope is None:
            return CriterionResult(
                kind=self.kind,
                passed=True,
                measured=NOT_APPLICABLE,
                required=required,
                message_sv="Projektet har inga enheter i vågor; kriteriet gäller inte.",
                message_en="The project has no units in waves; the criterion does not apply.",
            )
        total = len(scope.units)
        ready = sum(1 for unit in scope.units if unit.ready)
        share = ready / total if total else 1.0
        passed = share >= self.min_share
        if total == 0:
            sv = f"Inga enheter att bedöma i {scope.label_sv}."
            en = f"No units to judge in {scope.label_sv}."
        else:
            # Swedish subordinate clause: the negation goes before the verb.
            verb_sv = "når" if passed else "inte når"
            verb_en = "meets" if passed else "falls short of"
            sv = (
                f"{ready} av {total} enheter i {scope.label_sv} är redo ({_percent(share)}), "
                f"vilket {verb_sv} kravet på minst {_percent(self.min_share)}."
            )
            en = (
                f"{ready} of {total} units in {scope.label_sv} are ready ({_percent(share)}), "
                f"which {verb_en} the required {_percent(self.min_share)}."
            )
        not_ready = [unit.name for unit in scope.units if not unit.ready]
        details = [f"Inte redo: {name}" for name in not_ready[:MAX_NAMED]]
        if len(not_ready) > MAX_NAMED:
            details.append(f"… och {len(not_ready) - MAX_NAMED} enheter till som inte är redo")
        return CriterionResult(
            kind=self.kind,
            passed=passed,
            measured=f"{ready} av {total} ({_percent(share)})",
            required=required,
            message_sv=sv,
            message_en=en,
            details=tuple(details),
        )
