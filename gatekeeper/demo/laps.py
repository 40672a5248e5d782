"""The Danish ICS demo project's first lap (seed 001): once round the loop, then lap 2.

Skanderborg's forankringsteam measured with the implementeringsbarometer in the autumn
of 2025, chose three sigtepunkter, worked on them through the spring and decided a
new measurement in August 2026. The project stands in lap 2 ("Runde 2"): the new
barometer is taken, and the plan phase of lap 2 is where `projects.yaml` describes it.
Lap 1's dates, ticks, sigtepunkter and decisions (with their beslutsdatum) stay in
the record; the dates in `projects.yaml` are lap 2's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gatekeeper.core.actor import Actor
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import register
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import named_decision as decisions

# Projects that went round before: their first lap's gate dates and the sigtepunkter
# it chose.
EARLIER_LAP: dict[str, dict[str, Any]] = {
    "ics-forankring-skanderborg": {
        "started_on": date(2025, 8, 18),
        "dates": {
            "maling-afsluttet": date(2025, 10, 2),
            "plan-godkendt": date(2025, 12, 11),
            "gennemforelse-afsluttet": date(2026, 6, 25),
            "ny-maling": date(2026, 8, 13),
        },
        "sigtepunkter": (
            "Sigtepunkter for 1. runde: 3 (ledelsen prioriterer ICS), 7 (fælles sprog i "
            "sagerne) og 12 (introduktion af nye medarbejdere)"
        ),
        "reference": "Sagsnr. 27.00.00-A00-17-25",
    }
}
PLANNER = Actor.system("demo")  # the forankring workflow has no projektledare


def started_on(spec: dict[str, Any]) -> date:
    """When the project began: with its first lap, if it went round before."""
    earlier = EARLIER_LAP.get(spec["key"])
    return earlier["started_on"] if earlier else date.fromisoformat(spec["started_on"])


def first_lap_dates(spec: dict[str, Any]) -> dict[str, date]:
    """The gate dates the project starts with: its first lap's, if it went round before."""
    earlier = EARLIER_LAP.get(spec["key"])
    if earlier:
        return dict(earlier["dates"])
    return {g: date.fromisoformat(d) for g, d in spec.get("gate_targets", {}).items()}


def go_round_once(ctx: Context, spec: dict[str, Any], team: Actor, chair: Actor) -> None:
    """Take a project that went round before once round its loop, then plan lap 2's dates
    from `projects.yaml`; nothing for the others."""
    earlier = EARLIER_LAP.get(spec["key"])
    if earlier is None:
        return
    key = spec["key"]
    for gate_id, day in earlier["dates"].items():
        for item in gates.gate_readiness(ctx, key, gate_id).items:
            checklists.update_item(
                ctx,
                team,
                project_key=key,
                gate_id=gate_id,
                checklist_id=item.checklist_id,
                item_id=item.row.item_id,
                status=ItemStatus.DONE,
                evidence=f"https://intranet.skanderborg.example/ics/runde-1/{item.row.item_id}"
                if item.row.evidence_required
                else None,
            )
        if gate_id == "plan-godkendt":
            decisions.record_named_decision(
                ctx,
                chair,
                project_key=key,
                key="sigtepunkter",
                title=earlier["sigtepunkter"],
                decided_on=day,
                reference=earlier["reference"],
            )
        _decide(ctx, key, team, gate_id, day)
    for gate_id, text in spec.get("gate_targets", {}).items():
        gate_dates.set_gate_target(
            ctx, PLANNER, project_key=key, gate_id=gate_id, target_date=date.fromisoformat(text)
        )


def _decide(ctx: Context, key: str, team: Actor, gate_id: str, day: date) -> None:
    """The team asks; the ledelse decides go. (A review cannot be dated back, so lap 1's
    decisions are recorded on the day the demo is built; its dates and sigtepunkter
    carry lap 1's days.)"""
    review = reviews.request_review(
        ctx,
        team,
        project_key=key,
        gate_id=gate_id,
        message="Underlaget for 1. runde er klar til beslutning.",
        effective_from="immediately",
        effective_motivation="Beslutningen gælder fra mødet.",
    )
    assert review.id is not None
    for seat in review_views.review_seats(ctx, key, review.id).seats:
        result = voting.cast_vote(
            ctx,
            Actor.user(seat.member),
            project_key=key,
            review_id=review.id,
            outcome=Outcome.GO,
            motivation="Ledelsen har gennemgået underlaget på mødet.",
        )
        if result.decision is not None:
            assert result.decision.id is not None
            register.set_reference(
                ctx,
                team,
                project_key=key,
                decision_id=result.decision.id,
                reference=f"Sagsnr. 27.00.00-A00-{result.decision.id:02d}-{day:%y}",
            )
            return
    raise RuntimeError(f"demo: the ledelse did not decide {gate_id}")
