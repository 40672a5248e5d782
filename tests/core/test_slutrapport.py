"""The slutrapport's plain rules: plan vs actual per gate and what counts as a deviation."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.core.reports.slutrapport import (
    ConditionLine,
    DecisionLine,
    FinalReport,
    closing_phases,
    plan_vs_actual,
)
from gatekeeper.definitions import load_catalog, shipped_checklists_dir, shipped_workflows_dir

CATALOG = load_catalog([shipped_workflows_dir()], [shipped_checklists_dir()])
INFORANDE = CATALOG.workflow("inforande")
START = date(2027, 1, 1)


@given(
    planned=st.integers(min_value=0, max_value=400),
    moved=st.integers(min_value=-60, max_value=120),
    effect=st.one_of(st.none(), st.integers(min_value=0, max_value=500)),
)
def test_days_late_count_from_the_first_plan_and_say_early_on_time_or_late(
    planned: int, moved: int, effect: int | None
) -> None:
    first = START + timedelta(days=planned)
    took = None if effect is None else START + timedelta(days=effect)
    [line, *_] = plan_vs_actual(
        INFORANDE,
        planned={"forstudie-klar": first},
        targets={"forstudie-klar": first + timedelta(days=moved)},
        took_effect={} if took is None else {"forstudie-klar": took},
    )
    assert line.gate_id == "forstudie-klar" and line.planned_on == first
    if took is None:
        assert line.state == "not_passed" and line.days_late is None
        return
    assert line.days_late == (took - first).days
    expected = "early" if took < first else "on_time" if took == first else "late"
    assert line.state == expected


def test_a_gate_without_a_first_plan_falls_back_to_its_target_and_else_has_none() -> None:
    lines = {
        line.gate_id: line
        for line in plan_vs_actual(
            INFORANDE,
            planned={},
            targets={"go-live": date(2027, 9, 1)},
            took_effect={"go-live": date(2027, 9, 3), "forstudie-klar": date(2027, 1, 5)},
        )
    }
    assert lines["go-live"].days_late == 2
    assert lines["forstudie-klar"].state == "no_plan"
    assert list(lines)[:2] == ["forstudie-klar", "beslut-om-genomforande"]


def _decision(
    outcome: str,
    conditions: tuple[str, ...],
    *,
    override: bool = False,
    lapsed: bool = False,
    reservations: tuple[str, ...] = (),
) -> DecisionLine:
    return DecisionLine(
        gate="Go-live / driftstart",
        outcome=outcome,
        outcome_sv=outcome,
        decided_on=START,
        reference="",
        reason="",
        override=override,
        lapsed=lapsed,
        conditions=tuple(
            ConditionLine(text="Villkor", owner="Anita", due_on=None, status=s, status_sv=s)
            for s in conditions
        ),
        reservations=reservations,
    )


@given(
    outcome=st.sampled_from(["go", "conditional_go", "no_go", "hold", "recycle", "kill"]),
    conditions=st.lists(st.sampled_from(["open", "closed", "waived"]), max_size=3),
    override=st.booleans(),
    lapsed=st.booleans(),
    reserved=st.booleans(),
)
def test_only_a_clean_go_or_a_met_conditional_go_is_no_deviation(
    outcome: str, conditions: list[str], override: bool, lapsed: bool, reserved: bool
) -> None:
    decision = _decision(
        outcome,
        tuple(conditions),
        override=override,
        lapsed=lapsed,
        reservations=("Lars Carlsson: för tidigt",) if reserved else (),
    )
    clean = (
        outcome == "go" or (outcome == "conditional_go" and set(conditions) <= {"closed"})
    ) and not (override or lapsed or reserved)
    assert decision.deviation is not clean


def test_the_closing_phases_start_at_the_handover_gate() -> None:
    closing = closing_phases(INFORANDE)
    assert {"driftoverlamning", "uppfoljning", "avslutad"} <= closing
    assert not {"forstudie", "beslut", "genomforande"} & closing


def test_a_report_round_trips_through_its_snapshot() -> None:
    report = FinalReport(
        project_key="ibic-alingsas",
        project_name="Införande av IBIC",
        organisation="Alingsås kommun",
        phase="Uppföljning",
        started_on=START,
        drafted_on=START,
        texts=(),
        phases=plan_vs_actual(INFORANDE, planned={}, targets={}, took_effect={}),
        decisions=(_decision("no_go", ()),),
        named_decisions=(),
        risks=(),
        restlista=(),
        activities_not_done=(),
        lessons=(),
    )
    assert FinalReport.model_validate(report.model_dump(mode="json")) == report
