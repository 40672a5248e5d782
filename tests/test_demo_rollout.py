"""The demo's regional rollout: 49 kommuner, 3 waves, about 1,000 units in varied states."""

from __future__ import annotations

from gatekeeper.core.rollout.blocker import BlockerKind
from gatekeeper.demo.rollout import KEY, build_rollout, inforandeansvariga
from gatekeeper.services.context import Context
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.rollout import readiness_review as rollout_review
from gatekeeper.services.rollout import unit_listing


def test_the_rollout_demo_has_49_kommuner_3_waves_and_about_1000_units(ctx: Context) -> None:
    lines = list(build_rollout(ctx))
    assert lines[0].startswith("Införande av nytt verksamhetssystem i Västra Götaland: 49 kommuner")
    rows = unit_listing.list_units(ctx, KEY)
    assert sum(1 for row in rows if row.unit.kind == "kommun") == 49
    assert 950 <= len(rows) <= 1050
    overview = overviews.project_overview(ctx, KEY)
    assert overview.project.phase == "genomforande"
    members = {m.email for m in overview.members if m.role == "inforandeansvarig"}
    assert members == set(inforandeansvariga()) and len(members) == 49

    review = rollout_review.readiness_review(ctx, KEY).review
    assert [w.wave.go_live_on.year for w in review.waves] == [2027, 2027, 2027]
    assert len(review.kommuner) == 49
    # Varied states: some kommuner ready, some with nothing ready, a wave behind its pace.
    assert any(k.counts.all_ready for k in review.kommuner)
    assert any(k.counts.ready == 0 for k in review.kommuner)
    # The forecast in units: some not ready now are expected ready, not all.
    assert any(w.forecast.units_ready < w.forecast.units_expected < w.counts.units
               for w in review.waves)  # fmt: skip
    # An overdue item holds many units back, and a high risk is open.
    overdue = [b for b in review.blockers if b.kind is BlockerKind.OVERDUE]
    assert overdue and overdue[0].units >= 50
    assert review.high_risks

    assert list(build_rollout(ctx)) == [
        "Införande av nytt verksamhetssystem i Västra Götaland: finns redan, orörd"
    ]
