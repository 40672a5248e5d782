"""The cut-over readiness review, read from the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.rollout.blocker import BlockerKind
from gatekeeper.core.rollout.forecast import (
    Suggestion,
)
from gatekeeper.core.rollout.unit_readiness import CellState, cell_state
from gatekeeper.core.status import ItemStatus, RiskStatus
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from gatekeeper.services.rollout import readiness_export, unit_listing, unit_move
from gatekeeper.services.rollout import readiness_review as rollout_review
from gatekeeper.services.rollout import wave as waves
from gatekeeper.store.rollout.unit_tables import UnitItem
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, start_rollout

KEY = ROLLOUT_KEY
MANDATORY_WITH_EVIDENCE = ("cutover-plan", "migrering", "cutover-repeterad", "atergangsplan")


def unit_keys(ctx: Context, kommun: str) -> list[str]:
    """The kommun's own key and every unit below it."""
    rows = unit_listing.list_units(ctx, KEY)
    by_id = {row.unit.id: row.unit for row in rows}
    found = []
    for row in rows:
        top = row.unit
        while top.parent_id is not None:
            top = by_id[top.parent_id]
        if top.key == kommun:
            found.append(row.unit.key)
    return found


def tick_all(ctx: Context, keys: list[str], *, mandatory_only: bool = True) -> None:
    """Tick every (mandatory) cut-over item of the units, with evidence."""
    template = ctx.catalog.checklist("cutover")
    for entry in template.items:
        if mandatory_only and not entry.mandatory:
            continue
        result = unit_bulk.bulk_update_items(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            item_id=entry.id,
            unit_keys=keys,
            status=ItemStatus.DONE,
            evidence=f"https://intranat.vgregion.se/cutover/{entry.id}.pdf",
        )
        assert not result.refused


@pytest.fixture
def rollout(ctx: Context) -> Context:
    """Three kommuner (Borås → våg 1, Alingsås → våg 2, Lerum → våg 3), each with two
    förvaltningar and four enheter: 21 units, each with the 18-item cut-over checklist."""
    start_rollout(ctx, kommuner=3, units_per_kommun=4)
    return ctx


def test_a_fresh_rollout_has_no_unit_ready(rollout: Context) -> None:
    view = rollout_review.readiness_review(rollout, KEY)
    review = view.review
    assert review.totals.units == 21 and review.totals.ready == 0
    assert [w.wave.key for w in review.waves] == ["vag-1", "vag-2", "vag-3"]
    assert [w.counts.units for w in review.waves] == [7, 7, 7]
    assert [k.kommun.key for k in review.kommuner] == ["alingsas", "boras", "lerum"]
    assert review.categories[0] == "Planering"  # the checklist's first item's category
    assert all(cell_state(c) is CellState.OPEN for u in review.units for c in u.cells.values())
    # Nothing is late and no deadline is in the next four weeks: nothing blocks yet.
    assert review.blockers == ()
    assert all(w.suggestion.kind is Suggestion.POSTPONE for w in review.waves)
    assert [k.key for k in view.kommuner] == ["alingsas", "boras", "lerum"]


def test_ticking_a_kommun_makes_its_units_and_its_wave_ready(rollout: Context) -> None:
    tick_all(rollout, unit_keys(rollout, "boras"))
    review = rollout_review.readiness_review(rollout, KEY).review
    wave_1 = review.waves[0]
    assert wave_1.counts.ready == wave_1.counts.units == 7
    assert wave_1.suggestion.kind is Suggestion.GO
    assert wave_1.forecast.in_time and wave_1.forecast.current_share == 1.0
    boras = next(k for k in review.kommuner if k.kommun.key == "boras")
    assert boras.counts.all_ready
    assert review.totals.ready == 7
    # Optional items left open: some cells are not done, the units are ready all the same.
    states = {
        cell_state(c) for u in review.units if u.kommun.key == "boras" for c in u.cells.values()
    }
    assert CellState.DONE in states and CellState.PARTIAL in states
    assert not states & {CellState.OVERDUE, CellState.EVIDENCE}


def test_an_open_high_risk_blocks_every_unit_and_postpones_the_wave(rollout: Context) -> None:
    tick_all(rollout, unit_keys(rollout, "boras"))
    risks.add_risk(
        rollout,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Integrationen mot e-tjänsterna är inte testad",
        probability=4,
        consequence=3,
    )
    risks.add_risk(
        rollout, PROJEKTLEDARE, project_key=KEY, title="Låg risk", probability=2, consequence=2
    )
    review = rollout_review.readiness_review(rollout, KEY).review
    assert (review.blockers[0].kind, review.blockers[0].units) == (BlockerKind.RISK, 21)
    assert review.blockers[0].score == 12
    assert [b.kind for b in review.blockers].count(BlockerKind.RISK) == 1  # not the low one
    assert len(review.blockers) == 1
    assert review.waves[0].suggestion.kind is Suggestion.POSTPONE


def test_overdue_items_are_late_blockers_and_overdue_cells(ctx: Context) -> None:
    start_rollout(ctx, kommuner=3, units_per_kommun=4)
    tick_all(ctx, unit_keys(ctx, "boras")[:3])
    assert isinstance(ctx.clock, FixedClock)
    # Wave 1 goes live 1 March 2027; 20 February is past every deadline but -3d and -7d.
    ctx.clock.set(ctx.clock.now().replace(year=2027, month=2, day=20))
    view = rollout_review.readiness_review(ctx, KEY)
    review = view.review
    late_ids = {d.item_id for d in review.late}
    assert "cutover-plan" in late_ids
    plan = next(
        b for b in review.blockers if b.item_id == "cutover-plan" and b.kind is BlockerKind.OVERDUE
    )
    assert plan.units == 4 and plan.wave_keys == ("vag-1",)
    # The same item in wave 2 (due 8 March) is not late; it demands evidence and is due
    # within four weeks, so its missing evidence holds Alingsås's 7 units back.
    later = next(
        b for b in review.blockers if b.item_id == "cutover-plan" and b.kind is BlockerKind.EVIDENCE
    )
    assert later.units == 7 and later.wave_keys == ("vag-2",)
    boras = next(k for k in review.kommuner if k.kommun.key == "boras")
    assert any(cell_state(c) is CellState.OVERDUE for c in boras.cells.values())
    assert sum(c.overdue for c in boras.cells.values()) == sum(
        u.overdue for u in review.units if u.kommun.key == "boras"
    )
    late_unit = next(u for u in review.units if u.kommun.key == "boras" and not u.ready)
    assert late_unit.overdue > 0
    assert any(cell_state(c) is CellState.OVERDUE for c in late_unit.cells.values())
    assert all(u.overdue == 0 for u in review.units if u.kommun.key != "boras")
    assert {d.wave.key for d in review.upcoming} <= {"vag-1", "vag-2"}


def test_done_without_the_evidence_it_demands_is_missing_evidence(rollout: Context) -> None:
    keys = unit_keys(rollout, "lerum")
    tick_all(rollout, keys)
    # The evidence is removed behind the service's back (e.g. a link found broken and
    # cleared by a data fix): the review must not count those items as satisfied.
    with rollout.db.write() as session:
        session.execute(
            update(UnitItem)
            .where(col(UnitItem.item_id) == "atergangsplan")
            .where(col(UnitItem.unit_id).in_([u.unit.id
                                               for u in unit_listing.list_units(rollout, KEY)
                                               if u.unit.key in keys[:2]]))
            .values(evidence="")
        )  # fmt: skip
    review = rollout_review.readiness_review(rollout, KEY).review
    rollback = next(b for b in review.blockers if b.item_id == "atergangsplan")
    # Done without evidence in 2 units of Lerum; open elsewhere, but not due for weeks.
    assert (rollback.kind, rollback.units, rollback.wave_keys) == (
        BlockerKind.EVIDENCE,
        2,
        ("vag-3",),
    )
    lerum = [u for u in review.units if u.kommun.key == "lerum"]
    assert sum(u.lacking_evidence for u in lerum) == 2
    lerum_row = next(k for k in review.kommuner if k.kommun.key == "lerum")
    assert sum(c.lacking_evidence for c in lerum_row.cells.values()) == 2
    assert any(cell_state(c) is CellState.EVIDENCE for c in lerum_row.cells.values())
    wave_3 = review.waves[2]
    assert wave_3.counts.ready == 5
    # The two lacking evidence did the rest lately: their own pace is expected to bring it.
    assert (wave_3.forecast.units_ready, wave_3.forecast.units_expected) == (5, 7)
    assert wave_3.suggestion.kind is Suggestion.GO


def test_the_forecast_uses_the_pace_of_the_last_four_weeks(rollout: Context) -> None:
    clock = rollout.clock
    assert isinstance(clock, FixedClock)
    start = clock.now()
    clock.set(start - timedelta(weeks=6))  # long ago: does not count towards the pace
    tick_all(rollout, unit_keys(rollout, "boras")[:1])
    clock.set(start - timedelta(weeks=1))
    tick_all(rollout, unit_keys(rollout, "boras")[1:3])
    clock.set(start)
    wave_1 = rollout_review.readiness_review(rollout, KEY).review.waves[0]
    mandatory_per_unit = sum(1 for i in rollout.catalog.checklist("cutover").items if i.mandatory)
    assert wave_1.forecast.done_recent == 2 * mandatory_per_unit
    assert wave_1.forecast.pace == 2 * mandatory_per_unit / 4
    assert wave_1.forecast.current_share == pytest.approx(3 / 7)
    assert wave_1.forecast.projected_share == 1.0  # 7 items a week for 13 weeks cover 56
    # But in units: the four untouched units have no pace of their own, so 3 of 7.
    assert (wave_1.forecast.units_ready, wave_1.forecast.units_expected) == (3, 3)
    assert not wave_1.forecast.in_time
    assert wave_1.suggestion.kind is Suggestion.POSTPONE


def test_filters_narrow_the_units_counted(rollout: Context) -> None:
    tick_all(rollout, unit_keys(rollout, "boras"))
    by_wave = rollout_review.readiness_review(rollout, KEY, wave="vag-1")
    assert by_wave.wave == "vag-1"
    assert {u.kommun.key for u in by_wave.review.units} == {"boras"}
    assert [w.wave.key for w in by_wave.review.waves] == ["vag-1"]
    assert len(by_wave.waves) == 3 and len(by_wave.kommuner) == 3  # the filter's choices
    by_kommun = rollout_review.readiness_review(rollout, KEY, kommun="lerum")
    assert by_kommun.review.totals.units == 7 and by_kommun.review.totals.ready == 0
    assert [w.wave.key for w in by_kommun.review.waves] == ["vag-3"]
    both = rollout_review.readiness_review(rollout, KEY, wave="vag-1", kommun="lerum")
    assert both.review.totals.units == 0 and both.review.units == ()


def test_bad_filters_and_unknown_projects_are_refused(rollout: Context) -> None:
    with pytest.raises(ValidationFailed) as wave:
        rollout_review.readiness_review(rollout, KEY, wave="vag-9")
    assert wave.value.field == "wave"
    with pytest.raises(ValidationFailed) as kommun:
        rollout_review.readiness_review(rollout, KEY, kommun="boras-vo")  # a förvaltning
    assert kommun.value.field == "kommun"
    with pytest.raises(NotFound):
        rollout_review.readiness_review(rollout, "finns-inte")


def test_a_project_without_units_has_an_empty_review(ctx: Context) -> None:
    from tests.factories import start_ibic

    start_ibic(ctx)
    review = rollout_review.readiness_review(ctx, "ibic-alingsas").review
    assert review.units == () and review.waves == () and review.totals.units == 0


def test_export_tables_have_one_row_per_unit_and_per_wave(rollout: Context) -> None:
    tick_all(rollout, unit_keys(rollout, "boras"))
    view = rollout_review.readiness_review(rollout, KEY)
    header, rows = readiness_export.unit_table(view)
    assert len(rows) == 21 and all(len(r) == len(header) for r in rows)
    ready = [r for r in rows if r[header.index("Redo")] == "ja"]
    assert {r[header.index("Kommun")] for r in ready} == {"Borås kommun"}
    header, rows = readiness_export.wave_table(view)
    assert [r[header.index("Vågnyckel")] for r in rows] == ["vag-1", "vag-2", "vag-3"]
    assert rows[0][header.index("Förslag till beslut")].startswith("Go")


def test_every_change_through_the_services_shows_at_once(rollout: Context) -> None:
    """The review is built from the database on every read: no change may be missed."""
    first = rollout_review.readiness_review(rollout, KEY)
    assert rollout_review.readiness_review(rollout, KEY) == first  # nothing changed
    tick_all(rollout, unit_keys(rollout, "boras"))
    ticked = rollout_review.readiness_review(rollout, KEY)
    assert ticked.review.totals.ready == 7 != first.review.totals.ready
    risk = risks.add_risk(
        rollout, PROJEKTLEDARE, project_key=KEY, title="Leverantören", probability=4, consequence=4
    )
    assert rollout_review.readiness_review(rollout, KEY).review.high_risks
    assert risk.id is not None
    risks.update_risk(
        rollout, PROJEKTLEDARE, project_key=KEY, risk_id=risk.id, status=RiskStatus.CLOSED
    )
    assert not rollout_review.readiness_review(rollout, KEY).review.high_risks
    waves.update_wave(
        rollout, PROJEKTLEDARE, project_key=KEY, wave_key="vag-2", go_live_on=date(2026, 12, 1)
    )
    moved = rollout_review.readiness_review(rollout, KEY).review
    assert any(d.wave.key == "vag-2" for d in moved.late)
    unit_move.move_unit(
        rollout,
        PROJEKTLEDARE,
        project_key=KEY,
        unit_key="lerum",
        wave_key="vag-1",
        motivation="Lerum är redo tidigare än planerat.",
    )
    assert rollout_review.readiness_review(rollout, KEY).review.waves[0].counts.units == 14
