"""Criterion `max_open_risk_score`: no open risk scored above a limit."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gatekeeper.core.criteria.base import Criterion, CriterionResult, GateContext


class MaxOpenRiskScore(Criterion):
    """No open risk has probability × consequence above `max_score`."""

    kind: Literal["max_open_risk_score"] = "max_open_risk_score"
    max_score: int = Field(ge=1, le=16, description="Highest allowed risk value, 1 to 16.")
    title_sv = "Inga höga öppna risker"

    def evaluate(self, context: GateContext) -> CriterionResult:
        too_high = sorted(
            (risk for risk in context.risks if risk.is_open and risk.score > self.max_score),
            key=lambda risk: -risk.score,
        )
        highest = max((risk.score for risk in context.risks if risk.is_open), default=0)
        if too_high:
            count = len(too_high)
            risks_sv = "öppen risk" if count == 1 else "öppna risker"
            sv = f"{count} {risks_sv} har ett riskvärde över {self.max_score} (högst {highest})."
            risks_en = "open risk scores" if count == 1 else "open risks score"
            en = f"{count} {risks_en} above {self.max_score} (highest {highest})."
            risks_da = "åben risiko" if count == 1 else "åbne risici"
            da = f"{count} {risks_da} har en risikoværdi over {self.max_score} (højst {highest})."
        else:
            sv = f"Ingen öppen risk har ett riskvärde över {self.max_score}."
            en = f"No open risk scores above {self.max_score}."
            da = f"Ingen åben risiko har en risikoværdi over {self.max_score}."
        return CriterionResult(
            kind=self.kind,
            passed=not too_high,
            measured=f"högsta öppna riskvärde {highest}",
            required=f"högst {self.max_score}",
            message_sv=sv,
            message_en=en,
            details=tuple(f"{risk.title} (riskvärde {risk.score})" for risk in too_high),
            message_da=da,
            measured_da=f"højeste åbne risikoværdi {highest}",
            required_da=f"højst {self.max_score}",
            details_da=tuple(f"{risk.title} (risikoværdi {risk.score})" for risk in too_high),
        )
