"""A rollout project's row on Översikt speaks of its units, by the same figures as the review."""

from __future__ import annotations

import re

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from gatekeeper.services.rollout import overview_card
from gatekeeper.services.rollout import readiness_review as rollout_review
from tests.factories import start_ibic
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, start_rollout
from tests.web.test_rollout_page import signed_in


def test_the_card_counts_units_ready_and_names_the_next_wave(ctx: Context) -> None:
    start_rollout(ctx, kommuner=3, units_per_kommun=2)
    for entry in ctx.catalog.checklist("cutover").items:
        if entry.mandatory:
            unit_bulk.bulk_update_items(
                ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, item_id=entry.id,
                unit_keys=["boras-hemtjanst-norr", "boras-hemtjanst-soder"],
                status=ItemStatus.DONE, evidence="Protokoll i diariet",
            )  # fmt: skip
    cards = overview_card.rollout_cards(ctx, [ROLLOUT_KEY, "finns-inte"])
    assert list(cards) == [ROLLOUT_KEY]
    card = cards[ROLLOUT_KEY]
    review = rollout_review.readiness_review(ctx, ROLLOUT_KEY).review
    # One definition: the card's figure is the review's.
    assert (card.ready, card.units) == (review.totals.ready, review.totals.units) == (2, 15)
    first = review.waves[0].wave
    assert card.next_wave == first.name and card.days_left == (first.go_live_on - ctx.today()).days
    client = signed_in(ctx, PROJEKTLEDARE.id, "Karin Olsson")
    html = client.get("/").text
    row = re.search(rf'<a href="/projects/{ROLLOUT_KEY}">.*?</tr>', html, re.S)
    assert row, html
    link = f'<a class="ov-units" href="/projects/{ROLLOUT_KEY}/readiness">'
    assert link + "2 av 15 enheter redo (13 %)</a>" in row.group(0)
    assert f"{first.name} om {card.days_left} dagar" in row.group(0)


def test_a_project_without_units_has_no_card(ctx: Context) -> None:
    ibic = start_ibic(ctx)
    assert overview_card.rollout_cards(ctx, [ibic.key]) == {}
    assert overview_card.rollout_cards(ctx, []) == {}
