"""Criterion `subprojects_handed_over`: the project's delprojekt have handed over.

A delprojekt has handed over when it has passed its own driftöverlämning gate
(the gate of its workflow with `handover_to`) or stands in a final phase.
Without `subprojects` every delprojekt of the project must have; with it, the
named ones (project keys), each of which must be a delprojekt of the project.
A project without delprojekt, and no names, passes: the criterion does not
apply.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gatekeeper.core.criteria.base import NOT_APPLICABLE, Criterion, CriterionResult, GateContext


class SubprojectsHandedOver(Criterion):
    """All delprojekt (or the named ones) have handed over to their förvaltning."""

    kind: Literal["subprojects_handed_over"] = "subprojects_handed_over"
    subprojects: tuple[str, ...] = Field(
        default=(), description="Keys of the delprojekt that must have handed over (none: all)."
    )
    title_sv = "Delprojekt överlämnade"

    def evaluate(self, context: GateContext) -> CriterionResult:
        known = {sub.key: sub for sub in context.subprojects}
        if not self.subprojects and not known:
            return CriterionResult(
                kind=self.kind,
                passed=True,
                measured=NOT_APPLICABLE,
                required="alla delprojekt",
                message_sv="Projektet har inga delprojekt; kriteriet gäller inte.",
                message_en="The project has no subprojects; the criterion does not apply.",
                message_da="Projektet har ingen delprojekter; kriteriet gælder ikke.",
            )
        wanted = self.subprojects or tuple(known)
        unknown = [key for key in wanted if key not in known]
        waiting = [known[key] for key in wanted if key in known and not known[key].handed_over]
        done = len(wanted) - len(unknown) - len(waiting)
        details = tuple(
            [f"Inte överlämnat: {sub.name} (i fasen {sub.phase_name})" for sub in waiting]
            + [f"Inget delprojekt till projektet: {key}" for key in unknown]
        )
        if not waiting and not unknown:
            sv = f"Alla {len(wanted)} delprojekt har lämnats över till förvaltningen."
            en = f"All {len(wanted)} subprojects have been handed over."
            da = f"Alle {len(wanted)} delprojekter er overdraget til driften."
        else:
            names = ", ".join([sub.name for sub in waiting] + unknown)
            sv = f"{done} av {len(wanted)} delprojekt överlämnade; inte överlämnade: {names}."
            en = f"{done} of {len(wanted)} subprojects handed over; not handed over: {names}."
            da = f"{done} af {len(wanted)} delprojekter overdraget; mangler: {names}."
        return CriterionResult(
            kind=self.kind,
            passed=not waiting and not unknown,
            measured=f"{done} av {len(wanted)}",
            required=f"{len(wanted)} av {len(wanted)}",
            message_sv=sv,
            message_en=en,
            details=details,
            message_da=da,
            measured_da=f"{done} af {len(wanted)}",
            required_da=f"{len(wanted)} af {len(wanted)}",
        )
