"""A rollout brought to its go-live: genomförande, with units made ready through bulk ticks.

Shared by the wave go/no-go tests of the services and the web. Built through the
public use cases on top of `tests.rollout_factories.start_rollout`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gatekeeper.core.actor import Actor
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from gatekeeper.services.rollout import unit_listing
from tests.replay import replayed
from tests.rollout_factories import (
    BESTALLARE,
    PROJEKTLEDARE,
    ROLLOUT_KEY,
    STYRGRUPP,
    STYRGRUPP_2,
    start_rollout,
)

DECIDERS = (STYRGRUPP, STYRGRUPP_2)
EVIDENCE = "https://samarbetsyta.vgregion.se/breddinforande/underlag.pdf"


def tick_project_gate(ctx: Context, gate_id: str, key: str = ROLLOUT_KEY) -> None:
    """Tick every item of the project's own checklists of the gate (evidence where asked)."""
    for item in gates.gate_readiness(ctx, key, gate_id).items:
        checklists.update_item(
            ctx,
            PROJEKTLEDARE,
            project_key=key,
            gate_id=gate_id,
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=ItemStatus.DONE,
            evidence=EVIDENCE if item.row.evidence_required else None,
        )


def pass_gate_by_vote(ctx: Context, gate_id: str, key: str = ROLLOUT_KEY) -> None:
    review = reviews.request_review(ctx, PROJEKTLEDARE, project_key=key, gate_id=gate_id)
    assert review.id is not None
    for seat in review_views.review_seats(ctx, key, review.id).seats:
        result = voting.cast_vote(
            ctx,
            Actor.user(seat.member),
            project_key=key,
            review_id=review.id,
            outcome=Outcome.GO,
            motivation="Underlaget är genomgånget på styrgruppsmötet.",
        )
        if result.decision is not None:
            return
    raise AssertionError(f"{gate_id} was not decided")


def _rollout_at_go_live(ctx: Context, *, kommuner: int = 4, units_per_kommun: int = 2) -> None:
    """The VGR rollout in genomförande, its own go-live checklists done; no unit ready yet.

    Kommun number i is in wave 1 + i % 3: Borås and Vårgårda in vag-1 (each with
    its two förvaltningar and enheter), Alingsås in vag-2, Lerum in vag-3.
    """
    start_rollout(ctx, kommuner=kommuner, units_per_kommun=units_per_kommun)
    tick_project_gate(ctx, "forstudie-klar")
    pass_gate_by_vote(ctx, "forstudie-klar")
    tick_project_gate(ctx, "beslut-om-genomforande")
    for decision in ("projektdirektiv", "finansiering"):
        decisions.record_named_decision(
            ctx,
            BESTALLARE,
            project_key=ROLLOUT_KEY,
            key=decision,
            title=decision,
            decided_on=date(2026, 11, 2),
        )
    pass_gate_by_vote(ctx, "beslut-om-genomforande")
    tick_project_gate(ctx, "go-live")


def _nothing(ctx: Context, first: None) -> None:
    return None


# Replayed in a fresh database once a worker has run it (tests/replay.py).
rollout_at_go_live = replayed(_rollout_at_go_live, reread=_nothing)


def wave_units(ctx: Context, wave_key: str) -> list[str]:
    """Keys of the wave's units, in tree order."""
    return [row.unit.key for row in unit_listing.list_units(ctx, ROLLOUT_KEY, wave_key=wave_key)]


def make_ready(ctx: Context, unit_keys: Iterable[str]) -> None:
    """Every item of the units' checklists done, with evidence (bulk ticks, per item)."""
    keys = list(unit_keys)
    for checklist_id, item_id, _text in unit_checklists.unit_item_ids(ctx, ROLLOUT_KEY):
        result = unit_bulk.bulk_update_items(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            item_id=item_id,
            checklist_id=checklist_id,
            unit_keys=keys,
            status=ItemStatus.DONE,
            evidence=EVIDENCE,
        )
        assert not result.refused, result.refused
