"""Readiness of a rollout from plain rows: units, waves, kommuner, blockers, kritisk linje."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.core.rollout.blocker import BlockerKind
from gatekeeper.core.rollout.forecast import (
    GO_EXCEPT_MIN_SHARE,
    Suggestion,
    forecast,
)
from gatekeeper.core.rollout.readiness import Review, build_review
from gatekeeper.core.rollout.rows import (
    CellCounts,
    HighRisk,
    ItemCounts,
    UnitRow,
    WaveRow,
)
from gatekeeper.core.rollout.unit_readiness import (
    CellState,
    category_tallies,
    cell_state,
    kommun_of,
    top_of,
)
from gatekeeper.core.status import ItemStatus

TODAY = date(2026, 11, 25)
WAVE_1 = WaveRow(1, "vag-1", "Våg 1", date(2027, 3, 1), 1)
WAVE_2 = WaveRow(2, "vag-2", "Våg 2", date(2027, 5, 3), 2)
BORAS = UnitRow(1, "boras", "Borås stad", "kommun", None, 1)
BORAS_VO = UnitRow(2, "boras-vo", "Vård och omsorg", "forvaltning", 1, 1)
HEMTJANST = UnitRow(3, "boras-hemtjanst", "Hemtjänst Norr", "enhet", 2, 1)
ALE = UnitRow(4, "ale", "Ale kommun", "kommun", None, 2)
ALE_BOENDE = UnitRow(5, "ale-boende", "Särskilt boende Ängen", "enhet", 4, 2)
UNITS = (BORAS, BORAS_VO, HEMTJANST, ALE, ALE_BOENDE)


def cell(unit: UnitRow, category: str = "Utbildning", **counts: int) -> CellCounts:
    return CellCounts(unit.id, category, **counts)


def review(
    cells: Sequence[CellCounts],
    items: Sequence[ItemCounts] = (),
    risks: Sequence[HighRisk] = (),
) -> Review:
    return build_review(
        today=TODAY,
        waves=[WAVE_1, WAVE_2],
        units=UNITS,
        cells=cells,
        items=items,
        risks=risks,
    )


def test_a_unit_is_ready_when_every_mandatory_item_is_done_with_evidence() -> None:
    result = review(
        [
            cell(HEMTJANST, total=3, done=3, mandatory=2, mandatory_satisfied=2),
            cell(
                ALE_BOENDE, total=3, done=3, mandatory=2, mandatory_satisfied=1, lacking_evidence=1
            ),
        ]
    )
    ready = {u.unit.key: u.ready for u in result.units}
    assert ready == {"boras-hemtjanst": True, "ale-boende": False}
    assert result.totals.units == 2 and result.totals.ready == 1


def test_units_without_items_are_left_out_and_kommun_is_the_top_ancestor() -> None:
    result = review([cell(HEMTJANST, total=1, done=0, mandatory=1)])
    assert [u.unit.key for u in result.units] == ["boras-hemtjanst"]
    assert result.units[0].kommun == BORAS
    assert [k.kommun.key for k in result.kommuner] == ["boras"]
    assert result.kommuner[0].wave_keys == ("vag-1",)


def test_the_kommun_heatmap_sums_its_units_cells_and_keeps_the_worst_state() -> None:
    result = review(
        [
            cell(BORAS, "Teknik", total=2, done=2, mandatory=2, mandatory_satisfied=2, position=4),
            cell(
                HEMTJANST, "Teknik", total=3, done=1, mandatory=2, mandatory_satisfied=1, overdue=1
            ),
            cell(HEMTJANST, "Utbildning", total=2, done=2, mandatory=1, mandatory_satisfied=1),
            cell(ALE_BOENDE, "Teknik", total=1, done=1, mandatory=1, lacking_evidence=1),
        ]
    )
    boras, ale = (k for k in sorted(result.kommuner, key=lambda k: k.kommun.id))
    teknik = boras.cells["Teknik"]
    assert (teknik.total, teknik.done, teknik.mandatory, teknik.overdue) == (5, 3, 4, 1)
    assert teknik.position == 0 and teknik.unit_id == BORAS.id
    assert cell_state(teknik) is CellState.OVERDUE  # one unit's late item marks the kommun
    assert cell_state(boras.cells["Utbildning"]) is CellState.DONE
    assert cell_state(ale.cells["Teknik"]) is CellState.EVIDENCE
    assert "Utbildning" not in ale.cells
    assert (boras.counts.units, boras.counts.ready) == (2, 1)


def test_kommun_of_survives_a_cycle() -> None:
    a = UnitRow(1, "a", "A", "kommun", 2)
    b = UnitRow(2, "b", "B", "enhet", 1)
    tops = kommun_of({1: a, 2: b})
    assert set(tops) == {1, 2}


def test_the_top_of_a_unit_is_its_kommun_by_parent_ids_alone() -> None:
    parent_of = {u.id: u.parent_id for u in UNITS}
    assert [top_of(u.id, parent_of) for u in UNITS] == [1, 1, 1, 4, 4]
    assert top_of(7, {7: 3, **parent_of}) == 1  # a new unit under one already there


def test_a_units_items_add_to_its_cells_per_category() -> None:
    tallies = category_tallies(
        [
            ("Teknik", ItemStatus.OPEN, True),
            ("Teknik", ItemStatus.DONE, True),
            ("Teknik", ItemStatus.NOT_APPLICABLE, True),
            ("Utbildning", ItemStatus.DONE, False),
        ]
    )
    assert tallies == {"Teknik": (2, 1, 2, 1), "Utbildning": (1, 1, 0, 0)}


def test_cell_states_put_late_and_missing_evidence_first() -> None:
    assert cell_state(CellCounts(1, "x")) is CellState.EMPTY
    assert cell_state(CellCounts(1, "x", total=2, done=2, mandatory=1, mandatory_satisfied=1)) is (
        CellState.DONE
    )
    assert cell_state(CellCounts(1, "x", total=2, done=1, mandatory=1, overdue=1)) is (
        CellState.OVERDUE
    )
    assert (
        cell_state(CellCounts(1, "x", total=2, done=2, mandatory=1, lacking_evidence=1))
        is CellState.EVIDENCE
    )
    assert cell_state(CellCounts(1, "x", total=2, done=1, mandatory=1)) is CellState.PARTIAL
    assert cell_state(CellCounts(1, "x", total=2, done=0, mandatory=1)) is CellState.OPEN


def item(wave: WaveRow, item_id: str, *, offset: int, open_: int = 0, lacking: int = 0,
         mandatory: bool = True) -> ItemCounts:  # fmt: skip
    return ItemCounts(
        wave_id=wave.id,
        checklist_id="cutover",
        item_id=item_id,
        text=f"Punkt {item_id}",
        category="Teknik",
        mandatory=mandatory,
        due_offset_days=offset,
        open=open_,
        lacking_evidence=lacking,
    )


def test_blockers_are_ranked_by_units_held_back_and_merged_across_waves() -> None:
    days_to_wave_1 = (WAVE_1.go_live_on - TODAY).days
    items = [
        # Overdue in wave 1 only (its deadline passed); not yet due in wave 2.
        item(WAVE_1, "utrustning", offset=-(days_to_wave_1 + 10), open_=3),
        item(WAVE_2, "utrustning", offset=-(days_to_wave_1 + 10), open_=7),
        # Missing evidence in both waves: 2 + 4 units.
        item(WAVE_1, "atergangsplan", offset=-21, lacking=2),
        item(WAVE_2, "atergangsplan", offset=-21, lacking=4),
        # Optional items never block.
        item(WAVE_1, "bemanning", offset=-200, open_=50, mandatory=False),
    ]
    result = review(
        [cell(HEMTJANST, total=1, mandatory=1), cell(ALE_BOENDE, total=1, mandatory=1)],
        items,
        [HighRisk("Leverantören hinner inte", 16)],
    )
    kinds = [(b.kind, b.item_id, b.units) for b in result.blockers]
    assert kinds == [
        (BlockerKind.EVIDENCE, "atergangsplan", 6),
        (BlockerKind.OVERDUE, "utrustning", 3),
        (BlockerKind.RISK, "", 2),
    ]
    overdue = result.blockers[1]
    assert overdue.wave_keys == ("vag-1",)
    assert overdue.due_on == WAVE_1.go_live_on - timedelta(days=days_to_wave_1 + 10)


def test_kritisk_linje_lists_deadlines_ahead_and_what_is_late() -> None:
    days = (WAVE_1.go_live_on - TODAY).days
    items = [
        item(WAVE_1, "soon", offset=-(days - 10), open_=4),
        item(WAVE_1, "far", offset=-(days - 60), open_=4),
        item(WAVE_1, "late", offset=-(days + 1), open_=1, mandatory=False),
        item(WAVE_1, "closed", offset=-(days - 5), open_=0),
    ]
    result = review([cell(HEMTJANST, total=1, mandatory=1)], items)
    assert [(d.item_id, d.units, d.due_on) for d in result.upcoming] == [
        ("soon", 4, TODAY + timedelta(days=10))
    ]
    assert [d.item_id for d in result.late] == ["late"]


def test_forecast_projects_the_recent_pace_to_go_live_and_caps_at_100() -> None:
    # 40 of 100 done, 20 done in four weeks = 5 a week; 8 weeks left → 80 %.
    slow = forecast(
        satisfied=40, mandatory=100, done_recent=20, today=TODAY, go_live_on=TODAY + timedelta(56)
    )
    assert round(slow.projected_share, 6) == 0.8 and not slow.in_time
    assert slow.ready_on == TODAY + timedelta(days=84)
    fast = forecast(
        satisfied=90, mandatory=100, done_recent=80, today=TODAY, go_live_on=TODAY + timedelta(56)
    )
    assert fast.projected_share == 1.0
    stalled = forecast(
        satisfied=10, mandatory=100, done_recent=0, today=TODAY, go_live_on=TODAY + timedelta(56)
    )
    assert stalled.ready_on is None and stalled.projected_share == 0.1
    past = forecast(
        satisfied=10, mandatory=20, done_recent=40, today=TODAY, go_live_on=TODAY - timedelta(7)
    )
    assert past.projected_share == 0.5  # no weeks left: what is done is what there is


def test_suggestions_go_go_except_and_postpone() -> None:
    ready = cell(HEMTJANST, total=1, done=1, mandatory=1, mandatory_satisfied=1)
    not_ready = cell(ALE_BOENDE, total=1, mandatory=1)
    both_ready = review([ready, replace_unit(ready, ALE_BOENDE)])
    assert [w.suggestion.kind for w in both_ready.waves] == [Suggestion.GO, Suggestion.GO]
    mixed = review([ready, not_ready])
    assert [w.suggestion.kind for w in mixed.waves] == [Suggestion.GO, Suggestion.POSTPONE]
    with_risk = review([ready], risks=[HighRisk("Integrationen är inte testad", 12)])
    assert with_risk.waves[0].suggestion.kind is Suggestion.POSTPONE
    assert "1 öppen hög risk" in with_risk.waves[0].suggestion.message_sv


def test_go_except_names_the_units_that_are_not_ready() -> None:
    units = [UnitRow(10, "k", "Kommunen", "kommun", None, 1)] + [
        UnitRow(11 + n, f"e{n}", f"Enhet {n}", "enhet", 10, 1) for n in range(10)
    ]
    cells = [
        CellCounts(11 + n, "Teknik", total=1, done=int(n != 0), mandatory=1,
                   mandatory_satisfied=int(n != 0))
        for n in range(10)
    ]  # fmt: skip
    result = build_review(today=TODAY, waves=[WAVE_1], units=units, cells=cells, items=[], risks=[])
    suggestion = result.waves[0].suggestion
    assert suggestion.kind is Suggestion.GO_EXCEPT
    assert suggestion.except_units == ("Enhet 0",)


def replace_unit(c: CellCounts, unit: UnitRow) -> CellCounts:
    return CellCounts(unit.id, c.category, c.total, c.done, c.mandatory, c.mandatory_satisfied)


# --- properties ---------------------------------------------------------------------------


@st.composite
def rollouts(draw: st.DrawFn) -> tuple[list[WaveRow], list[UnitRow], list[CellCounts]]:
    waves = [
        WaveRow(n, f"vag-{n}", f"Våg {n}", TODAY + timedelta(days=30 * n), n)
        for n in range(1, draw(st.integers(1, 3)) + 1)
    ]
    units: list[UnitRow] = []
    for k in range(draw(st.integers(1, 4))):
        kommun_id = len(units) + 1
        wave = draw(st.sampled_from(waves)).id
        units.append(UnitRow(kommun_id, f"k{k}", f"Kommun {k}", "kommun", None, wave))
        for e in range(draw(st.integers(0, 4))):
            parent = draw(st.sampled_from([u.id for u in units if u.id >= kommun_id]))
            units.append(UnitRow(len(units) + 1, f"k{k}-{e}", f"Enhet {e}", "enhet", parent, wave))
    cells = []
    for unit in units:
        for category in draw(st.sets(st.sampled_from(["Teknik", "Utbildning", "Styrning"]))):
            mandatory = draw(st.integers(0, 4))
            satisfied = draw(st.integers(0, mandatory))
            lacking = draw(st.integers(0, mandatory - satisfied))
            optional = draw(st.integers(0, 3))
            done = satisfied + lacking + draw(st.integers(0, optional))
            cells.append(
                CellCounts(
                    unit.id, category, total=mandatory + optional, done=done,
                    mandatory=mandatory, mandatory_satisfied=satisfied, lacking_evidence=lacking,
                    done_recent=draw(st.integers(0, satisfied + lacking)),
                )
            )  # fmt: skip
    return waves, units, cells


@settings(deadline=None)
@given(rollouts())
def test_aggregation_rules_hold_for_any_rollout(
    rollout: tuple[list[WaveRow], list[UnitRow], list[CellCounts]],
) -> None:
    waves, units, cells = rollout
    result = build_review(today=TODAY, waves=waves, units=units, cells=cells, items=[], risks=[])
    tracked = {c.unit_id for c in cells}
    assert {u.unit.id for u in result.units} == tracked
    # Totals add up over waves, over kommuner and over categories.
    assert sum(w.counts.units for w in result.waves) == result.totals.units == len(tracked)
    assert sum(k.counts.units for k in result.kommuner) == result.totals.units
    assert sum(k.counts.ready for k in result.kommuner) == result.totals.ready
    assert sum(w.counts.ready for w in result.waves) == result.totals.ready
    assert sum(c.total for c in result.by_category) == sum(c.total for c in cells)
    assert sum(c.done for c in result.by_category) == sum(c.done for c in cells)
    for u in result.units:
        assert 0.0 <= u.share <= 1.0
        assert u.ready == all(c.mandatory_satisfied == c.mandatory for c in u.cells.values())
    for w in result.waves:
        members = [u for u in result.units if u.wave and u.wave.id == w.wave.id]
        # A wave is ready iff all its units are; not-ready units are exactly named.
        assert w.counts.all_ready == all(u.ready for u in members)
        assert {u.unit.id for u in w.not_ready} == {u.unit.id for u in members if not u.ready}
        assert 0.0 <= w.counts.share_ready <= 1.0
        assert 0.0 <= w.forecast.projected_share <= 1.0
        assert w.forecast.projected_share >= w.forecast.current_share - 1e-9
        # The forecast speaks of the same units as the wave's figure.
        assert w.forecast.units == w.counts.units
        assert w.forecast.units_ready == w.counts.ready
        assert w.counts.ready <= w.forecast.units_expected <= w.counts.units
        if w.suggestion.kind is Suggestion.GO:
            assert w.forecast.in_time and w.counts.units > 0
        if w.suggestion.kind is Suggestion.GO_EXCEPT:
            assert w.forecast.expected_share >= GO_EXCEPT_MIN_SHARE
            assert len(w.suggestion.except_units) == w.counts.units - w.forecast.units_expected > 0
    for k in result.kommuner:
        members = [u for u in result.units if u.kommun.id == k.kommun.id]
        assert k.counts.all_ready == all(u.ready for u in members)
        assert 0.0 <= k.counts.share_ready <= 1.0


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d"]),
            st.sampled_from([1, 2]),
            st.integers(0, 9),
            st.integers(0, 9),
            st.integers(-400, 0),
        ),
        max_size=12,
    ),
    st.lists(st.integers(12, 16), max_size=3),
)
def test_blockers_are_sorted_by_units_and_count_every_unit_held_back(
    rows: list[tuple[str, int, int, int, int]], scores: list[int]
) -> None:
    items = [
        item(WAVE_1 if w == 1 else WAVE_2, f"{item_id}-{n}", offset=offset, open_=o, lacking=lk)
        for n, (item_id, w, o, lk, offset) in enumerate(rows)
    ]
    result = review(
        [cell(HEMTJANST, total=1, mandatory=1)], items, [HighRisk(f"R{s}", s) for s in scores]
    )
    units = [b.units for b in result.blockers]
    assert units == sorted(units, reverse=True)
    assert all(b.units > 0 for b in result.blockers)
    assert sum(b.units for b in result.blockers if b.kind is BlockerKind.EVIDENCE) == sum(
        i.lacking_evidence for i in items
    )
    late = sum(
        i.open
        for i in items
        if (WAVE_1 if i.wave_id == 1 else WAVE_2).go_live_on
        + timedelta(days=i.due_offset_days or 0)
        < TODAY
    )
    assert sum(b.units for b in result.blockers if b.kind is BlockerKind.OVERDUE) == late
