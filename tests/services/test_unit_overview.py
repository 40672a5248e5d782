"""The Enheter page's read: filters (mine, kommun, wave, readiness), grouping, rights.

Three kommuner of the VGR rollout, one per wave: Borås (wave 1), Alingsås
(wave 2) and Lerum (wave 3), each with two förvaltningar and four enheter. Read
two days before wave 1 goes live: two Borås enheter have every mandatory item
done (ready), the rest of Borås is late, the other kommuner are not ready.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.rollout.unit_filter import UnitState
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.rollout import bulk_tick, readiness_review, unit_listing, unit_overview
from gatekeeper.services.rollout.unit_overview import UnitOverview, UnitQuery
from tests.rollout_factories import (
    PROJEKTLEDARE,
    ROLLOUT_KEY,
    STYRGRUPP,
    kommun_email,
    start_rollout,
)

BORAS = Actor.user(kommun_email("Borås"), "Anna Andersson")
BORAS_VO = Actor.user(kommun_email("Borås", "vo"), "Erik Karlsson")
READY = ("boras-hemtjanst-norr", "boras-hemtjanst-soder")
BEFORE_WAVE_1 = datetime(2027, 2, 27, 9, 0, tzinfo=UTC)  # wave 1 goes live 1 March 2027


@pytest.fixture
def rollout(ctx: Context) -> Context:
    start_rollout(ctx, kommuner=3, units_per_kommun=4)
    for entry in ctx.catalog.checklist("cutover").items:
        if entry.mandatory:
            bulk_tick.bulk_update_items(
                ctx,
                PROJEKTLEDARE,
                project_key=ROLLOUT_KEY,
                item_id=entry.id,
                unit_keys=list(READY),
                status=ItemStatus.DONE,
                evidence="Dnr KS 2027/114",
            )
    return replace(ctx, clock=FixedClock(BEFORE_WAVE_1))


def seen(
    ctx: Context, viewer: Actor, *, visa: str = "", beredskap: str = "", **query: str
) -> UnitOverview:
    """The overview for the address parameters (visa, kommun, wave, beredskap)."""
    asked = UnitQuery(show=visa, readiness=beredskap, **query)
    return unit_overview.unit_overview(ctx, ROLLOUT_KEY, viewer=viewer, query=asked)


def keys(view: UnitOverview) -> list[str]:
    return [u.unit.key for s in view.sections for g in s.kommuner for u in g.units]


def test_an_inforandeansvarig_sees_her_own_units_first(rollout: Context) -> None:
    view = seen(rollout, BORAS)
    assert view.filter.mine and view.mine == 7
    listed = keys(view)
    assert listed[0] == "boras" and len(listed) == 7
    assert all(key == "boras" or key.startswith("boras-") for key in listed)
    assert all(u.may_tick for s in view.sections for g in s.kommuner for u in g.units)
    assert view.readiness_kommun is not None and view.readiness_kommun.key == "boras"
    assert not view.may_manage


def test_responsibility_through_a_forvaltning_covers_its_enheter_only(rollout: Context) -> None:
    listed = keys(seen(rollout, BORAS_VO))
    assert listed == ["boras-vo", *sorted(listed[1:])] and len(listed) == 3
    assert "boras" not in listed and "boras-ifo" not in listed


def test_all_units_show_the_others_without_a_checkbox(rollout: Context) -> None:
    view = seen(rollout, BORAS, visa="alla")
    assert not view.filter.mine and view.matching == 21
    ticks = {u.unit.key: u.may_tick for s in view.sections for g in s.kommuner for u in g.units}
    assert ticks["boras-hemtjanst-norr"] and not ticks["alingsas-hemtjanst-norr"]
    assert view.readiness_kommun is None  # three kommuner: no one readiness to link to


def test_the_projektledare_has_no_units_of_her_own_and_sees_all(rollout: Context) -> None:
    view = seen(rollout, PROJEKTLEDARE)
    assert not view.filter.mine and view.mine == 0 and view.matching == 21
    assert view.may_manage and view.may_tick_any
    assert [s.wave.key for s in view.sections if s.wave] == ["vag-1", "vag-2", "vag-3"]


def test_a_styrgrupp_member_may_tick_nothing(rollout: Context) -> None:
    view = seen(rollout, STYRGRUPP)
    assert view.matching == 21 and not view.may_tick_any and not view.may_manage


def test_each_filter_alone(rollout: Context) -> None:
    assert set(keys(seen(rollout, PROJEKTLEDARE, kommun="lerum"))) == {
        key for key in all_keys(rollout) if key.startswith("lerum")
    }
    assert {k.split("-")[0] for k in keys(seen(rollout, PROJEKTLEDARE, wave="vag-2"))} == {
        "alingsas"
    }
    assert set(keys(seen(rollout, PROJEKTLEDARE, beredskap="redo"))) == set(READY)
    late = keys(seen(rollout, PROJEKTLEDARE, beredskap="forsenad"))
    assert late and all(k.startswith("boras") and k not in READY for k in late)
    not_ready = keys(seen(rollout, PROJEKTLEDARE, beredskap="inte-redo"))
    assert set(not_ready) == set(all_keys(rollout)) - set(READY)


def test_filters_combine(rollout: Context) -> None:
    view = seen(rollout, BORAS, visa="mina", beredskap="redo")
    assert keys(view) == list(READY) or set(keys(view)) == set(READY)
    assert keys(seen(rollout, BORAS, visa="mina", kommun="lerum")) == []


def test_the_states_follow_the_readiness_review(rollout: Context) -> None:
    review = readiness_review.readiness_review(rollout, ROLLOUT_KEY).review
    expected = {r.unit.key: (r.ready, r.overdue > 0) for r in review.units}
    view = seen(rollout, PROJEKTLEDARE)
    for section in view.sections:
        for group in section.kommuner:
            for listed in group.units:
                ready, late = expected[listed.unit.key]
                assert (listed.state is UnitState.READY) == ready
                assert (listed.state is UnitState.OVERDUE) == late


def test_a_value_that_names_nothing_lists_nothing_and_says_which(rollout: Context) -> None:
    view = seen(rollout, PROJEKTLEDARE, kommun="boras-vo", wave="vag-9", beredskap="klar")
    assert view.matching == 0 and keys(view) == []
    assert view.unknown == (("kommun", "boras-vo"), ("wave", "vag-9"), ("beredskap", "klar"))
    assert seen(rollout, PROJEKTLEDARE, visa="nagon").unknown == (("visa", "nagon"),)


def test_a_large_match_over_several_kommuner_lists_the_kommuner(
    rollout: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unit_overview, "LIST_LIMIT", 10)
    view = seen(rollout, PROJEKTLEDARE)
    assert view.collapsed and keys(view) == []
    groups = {g.kommun.key: g for s in view.sections for g in s.kommuner}
    assert set(groups) == {"boras", "alingsas", "lerum"}
    assert groups["boras"].matching == 7 and groups["boras"].ready == 2
    assert groups["boras"].not_ready == 5 and groups["boras"].overdue == 5
    assert [u.key for u in view.listed] == [g.kommun.key for s in view.sections for g in s.kommuner]
    chosen = seen(rollout, PROJEKTLEDARE, kommun="boras")  # one kommun: always in full
    assert not chosen.collapsed and len(keys(chosen)) == 7


def all_keys(ctx: Context) -> list[str]:
    return [row.unit.key for row in unit_listing.list_units(ctx, ROLLOUT_KEY)]


KOMMUNER = ("", "boras", "alingsas", "lerum")
WAVES = ("", "vag-1", "vag-2", "vag-3")
STATES = ("", "redo", "inte-redo", "forsenad")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    show=st.sampled_from(("", "mina", "alla")),
    kommun=st.sampled_from(KOMMUNER),
    wave=st.sampled_from(WAVES),
    state=st.sampled_from(STATES),
)
def test_any_combination_lists_exactly_the_units_matching_all_filters(
    rollout: Context, show: str, kommun: str, wave: str, state: str
) -> None:
    review = readiness_review.readiness_review(rollout, ROLLOUT_KEY).review
    ready = {r.unit.key for r in review.units if r.ready}
    late = {r.unit.key for r in review.units if r.overdue}
    waves = {row.unit.key: row.wave_key for row in unit_listing.list_units(rollout, ROLLOUT_KEY)}

    def expected(key: str) -> bool:
        return (
            (show == "alla" or key == "boras" or key.startswith("boras-"))
            and (not kommun or key == kommun or key.startswith(f"{kommun}-"))
            and (not wave or waves[key] == wave)
            and (
                not state
                or (state == "redo" and key in ready)
                or (state == "inte-redo" and key not in ready)
                or (state == "forsenad" and key in late)
            )
        )

    view = seen(rollout, BORAS, visa=show, kommun=kommun, wave=wave, beredskap=state)
    assert set(keys(view)) == {key for key in waves if expected(key)}
    assert view.matching == len(keys(view))
