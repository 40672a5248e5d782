"""One readiness rule: a wave's forecast in units, the decision it suggests, the heatmap steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.core.rollout.forecast import (
    GO_EXCEPT_MIN_SHARE,
    PACE_WEEKS,
    RULE_SV,
    Suggestion,
    UnitPace,
    expected_ready,
    forecast,
    suggest,
)
from gatekeeper.core.rollout.readiness import build_review
from gatekeeper.core.rollout.report import kommuner_in_wave
from gatekeeper.core.rollout.rows import CellCounts, UnitRow, WaveRow
from gatekeeper.core.rollout.unit_readiness import GRADES, abbreviations, grade
from tests.core.test_rollout_readiness import rollouts

TODAY = date(2026, 12, 7)
WAVE = WaveRow(1, "vag-1", "Våg 1 – Sjuhärad och pilotkommuner", date(2027, 1, 18), 1)


def unit(name: str, mandatory: int, satisfied: int, recent: int) -> UnitPace:
    return UnitPace(name, mandatory, satisfied, recent)


def test_a_unit_is_expected_ready_when_its_own_pace_covers_what_it_has_left() -> None:
    # 6 weeks left; 8 done in four weeks = 2 a week = 12 by go-live.
    weeks = 6.0
    assert expected_ready(unit("Hemtjänst Norr", 40, 28, 8), weeks)  # 12 left
    assert not expected_ready(unit("Hemtjänst Söder", 40, 27, 8), weeks)  # 13 left
    assert expected_ready(unit("Rehabenheten", 40, 40, 0), 0.0)  # ready now
    assert not expected_ready(unit("Nattpatrullen", 40, 39, 0), 52.0)  # no pace, never


def test_the_rule_is_stated_once_in_swedish() -> None:
    assert f"minst {round(GO_EXCEPT_MIN_SHARE * 100)} %" in RULE_SV
    assert f"{PACE_WEEKS} veckorna" in RULE_SV


def test_go_except_names_the_units_not_expected_ready_and_says_it_in_swedish() -> None:
    units = [unit(f"Enhet {n}", 10, 10, 0) for n in range(9)] + [unit("Hemsjukvård", 10, 2, 0)]
    outlook = forecast(
        satisfied=92, mandatory=100, done_recent=0, today=TODAY, go_live_on=WAVE.go_live_on,
        units=units,
    )  # fmt: skip
    chosen = suggest(WAVE, outlook, risks=0)
    assert chosen.kind is Suggestion.GO_EXCEPT and chosen.except_units == ("Hemsjukvård",)
    assert chosen.message_sv.startswith("Go utom 1 enhet som inte väntas bli redo")
    assert "9 av 10 enheter (90 %) väntas vara redo" in outlook.message_sv
    risky = suggest(WAVE, outlook, risks=1)
    assert risky.kind is Suggestion.POSTPONE and "1 öppen hög risk " in risky.message_sv


@st.composite
def outlooks(draw: st.DrawFn) -> tuple[list[UnitPace], int]:
    units = [
        unit(f"Enhet {n}", m, s, draw(st.integers(0, 12)))
        for n, (m, s) in enumerate(
            draw(
                st.lists(
                    st.integers(0, 12).flatmap(lambda m: st.tuples(st.just(m), st.integers(0, m))),
                    max_size=15,
                )
            )
        )
    ]
    return units, draw(st.integers(-30, 120))


@settings(deadline=None)
@given(outlooks(), st.integers(0, 3), st.sampled_from(["planned", "paused", "live"]))
def test_a_forecast_never_contradicts_its_own_suggestion(
    drawn: tuple[list[UnitPace], int], risks: int, status: str
) -> None:
    units, days = drawn
    wave = WaveRow(1, "vag-1", "Våg 1", TODAY + timedelta(days=days), 1, status)
    outlook = forecast(
        satisfied=sum(u.mandatory_satisfied for u in units),
        mandatory=sum(u.mandatory for u in units),
        done_recent=sum(u.done_recent for u in units),
        today=TODAY,
        go_live_on=wave.go_live_on,
        units=units,
    )
    chosen = suggest(wave, outlook, risks)
    assert outlook.units_ready <= outlook.units_expected <= outlook.units == len(units)
    assert len(outlook.not_expected) == outlook.units - outlook.units_expected
    if status == "live":
        assert chosen.kind is Suggestion.LIVE
        return
    decidable = outlook.units > 0 and risks == 0
    # Exactly one rule: the kind follows from the forecast and the risks, nothing else.
    if decidable and outlook.in_time:
        assert chosen.kind is Suggestion.GO
    elif decidable and outlook.expected_share >= GO_EXCEPT_MIN_SHARE:
        assert chosen.kind is Suggestion.GO_EXCEPT
        assert chosen.except_units == outlook.not_expected != ()
    else:
        assert chosen.kind is Suggestion.POSTPONE
    # A go never stands next to a forecast of units not ready, a postpone never next to all.
    if chosen.kind is Suggestion.GO:
        assert outlook.in_time and not outlook.not_expected
    if outlook.in_time and risks == 0:
        assert chosen.kind is Suggestion.GO
    # Both say the same figure.
    if outlook.units and chosen.kind is not Suggestion.GO:
        assert f"{outlook.units_expected} av {outlook.units} enheter" in chosen.message_sv
        assert f"{outlook.units_expected} av {outlook.units} enheter" in outlook.message_sv


@pytest.mark.parametrize(
    ("done", "total", "step"),
    [
        (0, 5, 0), (1, 5, 0), (24, 100, 0), (25, 100, 1), (2, 5, 1), (49, 100, 1),
        (50, 100, 2), (3, 5, 2), (74, 100, 2), (75, 100, 3), (4, 5, 3), (999, 1000, 3),
        (5, 5, 4), (0, 0, None),
    ],
)  # fmt: skip
def test_each_heatmap_step(done: int, total: int, step: int | None) -> None:
    assert grade(done, total) == step


@given(st.integers(1, 500).flatmap(lambda t: st.tuples(st.integers(0, t), st.just(t))))
def test_every_share_falls_in_exactly_one_step(pair: tuple[int, int]) -> None:
    done, total = pair
    step = grade(done, total)
    assert step is not None
    low, high = GRADES[step]
    assert low <= done * 100 // total <= high
    assert (step == len(GRADES) - 1) == (done == total)


def test_category_abbreviations_are_short_unique_and_spelled_out_once() -> None:
    names = ["Planering", "Teknik", "Förändringsledning", "Styrning", "Utbildning",
             "Informationssäkerhet", "Information", "Support", "Kommunikation"]  # fmt: skip
    short = abbreviations(names)
    assert short["Planering"] == "Pla." and short["Teknik"] == "Tek."
    assert (
        short["Informationssäkerhet"] == "Informations." and short["Information"] == "Information"
    )
    assert len(set(short.values())) == len(names)
    assert abbreviations(["Drift"]) == {"Drift": "Drift"}


@settings(deadline=None, max_examples=60)
@given(rollouts())
def test_kommun_and_wave_figures_are_their_units_ready_of_their_units(
    rollout: tuple[list[WaveRow], list[UnitRow], list[CellCounts]],
) -> None:
    waves, units, cells = rollout
    result = build_review(today=TODAY, waves=waves, units=units, cells=cells, items=[], risks=[])
    for k in result.kommuner:
        members = [u for u in result.units if u.kommun.id == k.kommun.id]
        assert (k.counts.units, k.counts.ready) == (len(members), sum(u.ready for u in members))
    for w in result.waves:
        members = [u for u in result.units if u.wave and u.wave.id == w.wave.id]
        assert (w.counts.units, w.counts.ready) == (len(members), sum(u.ready for u in members))
        # The report's rows per kommun add up to the wave, and name every unit not ready once.
        rows = kommuner_in_wave(w, result.units)
        assert sum(r.counts.units for r in rows) == w.counts.units
        assert sum(r.counts.ready for r in rows) == w.counts.ready
        named = [u.unit.id for r in rows for u in r.not_ready]
        assert sorted(named) == sorted(u.unit.id for u in w.not_ready)
        for r in rows:
            assert r.counts.ready == len(r.ready)
            assert r.counts.units == len(r.ready) + len(r.not_ready)
