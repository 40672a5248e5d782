"""Criterion `completion_share`: at least a given share of the gate's items done."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field

from gatekeeper.core.criteria.base import Criterion, CriterionResult, GateContext


def _percent(share: float) -> str:
    # Rounded down, so that 79.5 % never reads as a passing "80 %".
    return f"{math.floor(share * 100 + 1e-9)} %"


class CompletionShare(Criterion):
    """Done items (mandatory and optional, not-applicable left out) / all items."""

    kind: Literal["completion_share"] = "completion_share"
    min_share: float = Field(ge=0.0, le=1.0, description="Lowest share of items done, 0 to 1.")
    title_sv = "Andel klara punkter"

    def evaluate(self, context: GateContext) -> CriterionResult:
        counted = [item for item in context.items if item.counts]
        done = sum(1 for item in counted if item.done)
        share = done / len(counted) if counted else 1.0
        passed = share >= self.min_share
        # Swedish subordinate clause: the negation goes before the verb.
        verb_sv = "når" if passed else "inte når"
        verb_en = "meets" if passed else "falls short of"
        return CriterionResult(
            kind=self.kind,
            passed=passed,
            measured=_percent(share),
            required=f"minst {_percent(self.min_share)}",
            message_sv=(
                f"{done} av {len(counted)} punkter är klara ({_percent(share)}), "
                f"vilket {verb_sv} kravet på minst {_percent(self.min_share)}."
            ),
            message_en=(
                f"{done} of {len(counted)} items are done ({_percent(share)}), "
                f"which {verb_en} the required {_percent(self.min_share)}."
            ),
            message_da=(
                f"{done} af {len(counted)} punkter er færdige ({_percent(share)}), "
                f"hvilket {'opfylder' if passed else 'ikke opfylder'} kravet om mindst "
                f"{_percent(self.min_share)}."
            ),
            measured_da=_percent(share),
            required_da=f"mindst {_percent(self.min_share)}",
        )
