"""Moving gate dates: later gates shift along or the move is refused; no phase ends before
it starts; the preview says what moves; two moves at once are serialised."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatekeeper.errors import DatesOutOfOrder, StaleVersion, ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import date_preview as date_previews
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import project as projects
from gatekeeper.web.pages.projects.timeline import build_timeline
from tests.factories import IBIC_MEMBERS, IBIC_TARGETS, PROJEKTLEDARE, start_ibic

GATES = (*IBIC_TARGETS, "uppfoljning-klar")


def _targets(ctx: Context, key: str) -> dict[str, date]:
    return dict(overviews.project_overview(ctx, key).gate_targets)


def _move(ctx: Context, key: str, gate_id: str, day: date, **options: object) -> None:
    gate_dates.set_gate_target(
        ctx, PROJEKTLEDARE, project_key=key, gate_id=gate_id, target_date=day, **options
    )  # type: ignore[arg-type]


def test_a_move_past_a_later_gate_is_refused_with_the_gates_named(ctx: Context) -> None:
    project = start_ibic(ctx)
    before = _targets(ctx, project.key)
    events = len(audit_log.list_events(ctx, project_key=project.key))

    with pytest.raises(DatesOutOfOrder) as refused:
        _move(ctx, project.key, "go-live", date(2028, 2, 1))

    assert refused.value.field == "target_date"
    assert [g for g, _, _ in refused.value.gates] == ["go-live", "driftoverlamning-godkand"]
    assert "Driftöverlämning godkänd" in refused.value.message
    assert "skulle sluta innan den börjar" in refused.value.message
    assert _targets(ctx, project.key) == before
    assert len(audit_log.list_events(ctx, project_key=project.key)) == events


def test_a_move_before_an_earlier_gate_is_refused_even_with_shift_later(ctx: Context) -> None:
    project = start_ibic(ctx)
    with pytest.raises(DatesOutOfOrder) as refused:
        _move(ctx, project.key, "go-live", date(2027, 1, 10), shift_later=True)
    assert [name for _, name, _ in refused.value.gates] == [
        "Beslut om genomförande",
        "Go-live / driftstart",
    ]


def test_the_first_gate_may_not_come_before_the_project_starts(ctx: Context) -> None:
    project = start_ibic(ctx)  # started 2026-09-01
    with pytest.raises(DatesOutOfOrder, match="projektets start"):
        _move(ctx, project.key, "forstudie-klar", date(2026, 8, 1))


def test_shift_later_moves_every_later_gate_by_the_same_days(ctx: Context) -> None:
    project = start_ibic(ctx)
    before = _targets(ctx, project.key)

    _move(ctx, project.key, "go-live", date(2028, 2, 1), shift_later=True)

    after = _targets(ctx, project.key)
    offset = date(2028, 2, 1) - before["go-live"]
    assert after["go-live"] == date(2028, 2, 1)
    assert after["driftoverlamning-godkand"] == before["driftoverlamning-godkand"] + offset
    assert after["forstudie-klar"] == before["forstudie-klar"]  # earlier gates stay
    moved = [
        e
        for e in audit_log.list_events(ctx, project_key=project.key)
        if e.action == "gate.target_changed"
    ]
    assert [e.object_id for e in moved[-2:]] == [
        f"{project.key}/go-live",
        f"{project.key}/driftoverlamning-godkand",
    ]


def test_shift_later_moves_later_gates_earlier_too(ctx: Context) -> None:
    project = start_ibic(ctx)
    before = _targets(ctx, project.key)
    _move(ctx, project.key, "go-live", date(2027, 8, 1), shift_later=True)
    after = _targets(ctx, project.key)
    assert after["driftoverlamning-godkand"] == before["driftoverlamning-godkand"] - timedelta(31)


def test_the_preview_says_what_moves_and_changes_nothing(ctx: Context) -> None:
    project = start_ibic(ctx)
    before = _targets(ctx, project.key)
    events = len(audit_log.list_events(ctx, project_key=project.key))

    preview = date_previews.preview_move(
        ctx, project.key, "go-live", target_date=date(2027, 10, 1), shift_later=True
    )

    assert [(m.gate_id, m.old, m.new) for m in preview.moves] == [
        ("go-live", date(2027, 9, 1), date(2027, 10, 1)),
        ("driftoverlamning-godkand", date(2027, 12, 1), date(2027, 12, 31)),
    ]
    assert preview.offset_days == 30
    assert preview.deadlines and all(
        d.old is not None and (d.new - d.old).days == 30 for d in preview.deadlines
    )
    assert {d.gate_id for d in preview.deadlines} <= {"go-live", "driftoverlamning-godkand"}
    assert preview.reminders > 0  # the items' planned reminders are re-planned
    assert _targets(ctx, project.key) == before
    assert len(audit_log.list_events(ctx, project_key=project.key)) == events


def test_without_shift_later_the_preview_names_the_gates_that_stay(ctx: Context) -> None:
    project = start_ibic(ctx)
    preview = date_previews.preview_move(
        ctx, project.key, "go-live", target_date=date(2027, 10, 1), shift_later=False
    )
    assert [m.gate_id for m in preview.moves] == ["go-live"]
    assert [k.gate_id for k in preview.kept] == ["driftoverlamning-godkand", "uppfoljning-klar"]


def test_the_preview_refuses_what_the_move_would_refuse(ctx: Context) -> None:
    project = start_ibic(ctx)
    with pytest.raises(DatesOutOfOrder):
        date_previews.preview_move(
            ctx, project.key, "go-live", target_date=date(2028, 2, 1), shift_later=False
        )


def test_a_move_confirmed_on_a_stale_preview_is_refused(ctx: Context) -> None:
    project = start_ibic(ctx)
    preview = date_previews.preview_move(
        ctx, project.key, "go-live", target_date=date(2027, 10, 1), shift_later=True
    )
    _move(ctx, project.key, "driftoverlamning-godkand", date(2027, 12, 20))

    with pytest.raises(StaleVersion):
        _move(
            ctx,
            project.key,
            "go-live",
            date(2027, 10, 1),
            shift_later=True,
            expected_version=preview.dates_version,
        )
    assert _targets(ctx, project.key)["go-live"] == date(2027, 9, 1)


def test_two_moves_at_once_on_one_preview_one_wins_one_is_stale(ctx: Context) -> None:
    """Serialised on the project row: the second sees the first's dates and answers 412."""
    project = start_ibic(ctx)
    version = date_previews.preview_move(
        ctx, project.key, "go-live", target_date=date(2027, 10, 1), shift_later=True
    ).dates_version

    def move(day: date) -> str:
        try:
            _move(ctx, project.key, "go-live", day, shift_later=True, expected_version=version)
        except StaleVersion:
            return "stale"
        return "moved"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(move, [date(2027, 10, 1), date(2027, 11, 1)]))

    assert results == ["moved", "stale"]
    after = _targets(ctx, project.key)
    offset = after["go-live"] - IBIC_TARGETS["go-live"]
    assert after["driftoverlamning-godkand"] == IBIC_TARGETS["driftoverlamning-godkand"] + offset


def test_a_project_with_dates_out_of_order_is_not_started(ctx: Context) -> None:
    with pytest.raises(DatesOutOfOrder) as refused:
        projects.create_project(
            ctx,
            PROJEKTLEDARE,
            key="ibic-alingsas",
            name="Införande av IBIC",
            workflow_id="inforande",
            started_on=date(2026, 9, 1),
            gate_targets={**IBIC_TARGETS, "driftoverlamning-godkand": date(2027, 1, 28)},
            members=IBIC_MEMBERS,
        )
    assert refused.value.field == "gate_targets"
    with pytest.raises(ValidationFailed, match="projektets start"):
        projects.create_project(
            ctx,
            PROJEKTLEDARE,
            key="ibic-alingsas",
            name="Införande av IBIC",
            workflow_id="inforande",
            started_on=date(2027, 1, 1),
            gate_targets={"forstudie-klar": date(2026, 12, 15)},
        )


_keys = count()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(GATES), st.integers(min_value=-400, max_value=400)),
        min_size=1,
        max_size=5,
    )
)
def test_no_sequence_of_moves_with_shift_later_inverts_a_phase(
    ctx: Context, moves: list[tuple[str, int]]
) -> None:
    project = start_ibic(ctx, key=f"ibic-{next(_keys)}")
    for gate_id, days in moves:
        targets = _targets(ctx, project.key)
        day = targets.get(gate_id, IBIC_TARGETS["driftoverlamning-godkand"]) + timedelta(days)
        try:
            _move(ctx, project.key, gate_id, day, shift_later=True)
        except DatesOutOfOrder:
            assert _targets(ctx, project.key) == targets  # refused: nothing moved
    overview = overviews.project_overview(ctx, project.key)
    timeline = build_timeline(
        overview.workflow,
        targets=dict(overview.gate_targets),
        history=[],
        current_phase=overview.project.phase,
        started_on=overview.project.started_on,
        today=date(2026, 11, 25),
    )
    for line in timeline.phases:
        if line.planned_start is not None and line.planned_end is not None:
            assert line.planned_start <= line.planned_end, line
