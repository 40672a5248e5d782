"""Criterion `mandatory_items_done`: every obligatoriskt item done, with evidence
where the item demands it."""

from __future__ import annotations

from typing import Literal

from gatekeeper.core.criteria.base import Criterion, CriterionResult, GateContext


class MandatoryItemsDone(Criterion):
    """All mandatory items of the gate's checklists are done (with evidence)."""

    kind: Literal["mandatory_items_done"] = "mandatory_items_done"
    title_sv = "Obligatoriska punkter klara"

    def evaluate(self, context: GateContext) -> CriterionResult:
        mandatory = [item for item in context.items if item.mandatory and item.counts]
        not_done = [item for item in mandatory if not item.done]
        no_evidence = [item for item in mandatory if item.done and not item.satisfied]
        satisfied = len(mandatory) - len(not_done) - len(no_evidence)
        passed = not not_done and not no_evidence
        measured = f"{satisfied} av {len(mandatory)}"
        if passed:
            sv = f"Alla {len(mandatory)} obligatoriska punkter är klara."
            en = f"All {len(mandatory)} mandatory items are done."
            da = f"Alle {len(mandatory)} obligatoriske punkter er færdige."
        else:
            parts_sv, parts_en, parts_da = [], [], []
            if not_done:
                if len(not_done) == 1:
                    parts_sv.append("1 obligatorisk punkt är inte klar")
                    parts_en.append("1 mandatory item is not done")
                    parts_da.append("1 obligatorisk punkt er ikke færdigt")
                else:
                    parts_sv.append(f"{len(not_done)} obligatoriska punkter är inte klara")
                    parts_en.append(f"{len(not_done)} mandatory items are not done")
                    parts_da.append(f"{len(not_done)} obligatoriske punkter er ikke færdige")
            if no_evidence:
                parts_sv.append(f"{len(no_evidence)} saknar underlag som krävs")
                parts_en.append(
                    f"{len(no_evidence)} {'lacks' if len(no_evidence) == 1 else 'lack'} "
                    "the required evidence"
                )
                parts_da.append(f"{len(no_evidence)} mangler den krævede dokumentation")
            sv = " och ".join(parts_sv).capitalize() + "."
            en = " and ".join(parts_en).capitalize() + "."
            da = " og ".join(parts_da).capitalize() + "."
        details = tuple(f"Ej klar: {item.text}" for item in not_done) + tuple(
            f"Underlag saknas: {item.text}" for item in no_evidence
        )
        return CriterionResult(
            kind=self.kind,
            passed=passed,
            measured=measured,
            required=f"{len(mandatory)} av {len(mandatory)}",
            message_sv=sv,
            message_en=en,
            details=details,
            message_da=da,
            measured_da=f"{satisfied} af {len(mandatory)}",
            required_da=f"{len(mandatory)} af {len(mandatory)}",
            details_da=tuple(f"Ikke færdigt: {item.text}" for item in not_done)
            + tuple(f"Dokumentation mangler: {item.text}" for item in no_evidence),
        )
