"""Criterion `decisions_taken`: named decisions are recorded on the project."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gatekeeper.core.criteria.base import Criterion, CriterionResult, GateContext


class DecisionsTaken(Criterion):
    """Each decision key listed (e.g. `finansiering`) has been recorded."""

    kind: Literal["decisions_taken"] = "decisions_taken"
    decisions: tuple[str, ...] = Field(min_length=1, description="Decision keys that must exist.")
    title_sv = "Beslut fattade"

    def evaluate(self, context: GateContext) -> CriterionResult:
        missing = tuple(key for key in self.decisions if key not in context.decisions)
        taken = len(self.decisions) - len(missing)
        if missing:
            sv = f"Beslut saknas: {', '.join(missing)}."
            en = f"Decisions missing: {', '.join(missing)}."
            da = f"Beslutninger mangler: {', '.join(missing)}."
        else:
            sv = f"Alla {len(self.decisions)} beslut som krävs är fattade."
            en = f"All {len(self.decisions)} required decisions are taken."
            da = f"Alle {len(self.decisions)} krævede beslutninger er truffet."
        return CriterionResult(
            kind=self.kind,
            passed=not missing,
            measured=f"{taken} av {len(self.decisions)}",
            required=f"{len(self.decisions)} av {len(self.decisions)}",
            message_sv=sv,
            message_en=en,
            details=tuple(f"Beslut saknas: {key}" for key in missing),
            message_da=da,
            measured_da=f"{taken} af {len(self.decisions)}",
            required_da=f"{len(self.decisions)} af {len(self.decisions)}",
            details_da=tuple(f"Beslutning mangler: {key}" for key in missing),
        )
