"""The goal criteria and the comparison rule, on seed-shaped goals: no database.

`goals_measured`: every chosen goal measured on or after each mätpunkt passed
by the evaluation date. `goal_targets_reached`: the latest value has reached
the målvärde, up or down from the nuläge. Hypothesis holds the comparison rule
over numbers, baselines and targets.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from gatekeeper.core.criteria import AnyCriterion, GateContext
from gatekeeper.core.criteria.goal_targets_reached import GoalTargetsReached
from gatekeeper.core.criteria.goals_measured import GoalsMeasured
from gatekeeper.core.followup.chart import chart
from gatekeeper.core.followup.goal import (
    GoalKind,
    GoalState,
    Reading,
    compare,
    number_text,
    parse_number,
    target_reached,
)

TODAY = date(2028, 1, 15)
# 3, 6 and 12 months after driftöverlämningen on 2027-01-01
POINTS = (date(2027, 4, 1), date(2027, 7, 1), date(2028, 1, 1))


def goal(
    key: str = "utbildade",
    *,
    kind: GoalKind = GoalKind.EFFEKTMAL,
    readings: tuple[tuple[str, str], ...] = (),
    points: tuple[date, ...] = POINTS,
    baseline: str = "0",
    target: str = "90",
    numeric: bool = True,
) -> GoalState:
    return GoalState(
        key=key,
        title=key.capitalize(),
        kind=kind,
        numeric=numeric,
        baseline=baseline,
        target=target,
        measure_points=points,
        readings=tuple(Reading(date.fromisoformat(d), v) for d, v in readings),
    )


ALL_THREE = (("2027-04-03", "40"), ("2027-07-01", "70"), ("2028-01-10", "91"))


def test_goals_measured_passes_when_every_passed_matpunkt_has_a_measurement_on_or_after_it() -> (
    None
):
    context = GateContext(items=(), today=TODAY, goals=(goal(readings=ALL_THREE),))

    result = GoalsMeasured().evaluate(context)

    assert result.passed
    assert result.measured == "3 av 3 mätningar"


def test_goals_measured_names_the_missing_12_month_measurement() -> None:
    context = GateContext(items=(), today=TODAY, goals=(goal(readings=ALL_THREE[:2]),))

    result = GoalsMeasured().evaluate(context)

    assert not result.passed
    assert result.message_sv == "1 av 3 mätningar som har passerat saknas."
    assert result.details == ("Utbildade: mätning saknas för mätpunkten 2028-01-01",)


def test_a_matpunkt_not_yet_passed_is_not_asked_for() -> None:
    context = GateContext(items=(), today=date(2027, 8, 1), goals=(goal(readings=ALL_THREE[:2]),))

    assert GoalsMeasured().evaluate(context).passed


def test_goals_measured_judges_only_the_kinds_or_keys_it_names() -> None:
    nytta = goal("dubbel", kind=GoalKind.NYTTA)  # never measured
    measured = goal(readings=ALL_THREE)
    context = GateContext(items=(), today=TODAY, goals=(measured, nytta))

    assert GoalsMeasured(kinds=(GoalKind.EFFEKTMAL,)).evaluate(context).passed
    assert not GoalsMeasured().evaluate(context).passed
    assert GoalsMeasured(goals=("utbildade",)).evaluate(context).passed
    unknown = GoalsMeasured(goals=("utbildade", "saknas")).evaluate(context)
    assert not unknown.passed and "saknas" in unknown.message_sv


def test_goals_measured_fails_without_goals_unless_told_that_none_will_do() -> None:
    context = GateContext(items=(), today=TODAY)

    assert not GoalsMeasured().evaluate(context).passed
    assert GoalsMeasured(min_goals=0).evaluate(context).passed


def test_targets_are_reached_up_or_down_from_the_baseline() -> None:
    up = goal(readings=(("2027-12-01", "91"),))
    down = goal("vantetid", baseline="30", target="14", readings=(("2027-12-01", "15"),))
    context = GateContext(items=(), today=TODAY, goals=(up, down))

    result = GoalTargetsReached().evaluate(context)

    assert not result.passed
    assert result.details == ("Vantetid: 15 (målvärde 14)",)
    assert GoalTargetsReached(goals=("utbildade",)).evaluate(context).passed


def test_an_unmeasured_goal_has_not_reached_its_target() -> None:
    context = GateContext(items=(), today=TODAY, goals=(goal(),))

    result = GoalTargetsReached().evaluate(context)

    assert not result.passed and result.details == ("Utbildade: inte mätt",)


def test_a_text_target_is_reached_when_the_latest_value_says_it() -> None:
    rutin = goal(
        "rutin",
        numeric=False,
        baseline="saknas",
        target="Fastställd",
        readings=(("2027-10-01", "fastställd"),),
    )

    assert GoalTargetsReached().evaluate(GateContext(items=(), goals=(rutin,))).passed


def test_yaml_parameters_of_the_goal_criteria_are_checked() -> None:
    adapter: TypeAdapter[AnyCriterion] = TypeAdapter(AnyCriterion)
    parsed = adapter.validate_python({"kind": "goals_measured", "kinds": ["effektmal", "nytta"]})
    assert isinstance(parsed, GoalsMeasured) and parsed.kinds == (
        GoalKind.EFFEKTMAL,
        GoalKind.NYTTA,
    )
    with pytest.raises(ValidationError):
        adapter.validate_python({"kind": "goals_measured", "kinds": ["huvudmal"]})
    with pytest.raises(ValidationError):
        adapter.validate_python({"kind": "goal_targets_reached", "min_goals": -1})


def test_numbers_are_read_the_swedish_and_the_english_way() -> None:
    assert parse_number("72,5") == parse_number("72.5") == 72.5
    assert parse_number("1 200") == 1200
    assert parse_number("ungefär 70") is None
    assert parse_number("nan") is None
    assert number_text(72.50) == "72,5" and number_text(-3.0) == "-3"


def test_the_chart_places_the_target_above_the_baseline_and_dates_left_to_right() -> None:
    drawn = chart(
        [(date(2027, 4, 1), "40"), (date(2027, 7, 1), "70")],
        baseline="0",
        target="90",
        numeric=True,
    )

    assert drawn is not None
    assert drawn.target is not None and drawn.baseline is not None
    assert drawn.target.y < drawn.baseline.y
    assert drawn.points[0].x < drawn.points[1].x
    assert chart([(date(2027, 4, 1), "ja")], baseline="", target="", numeric=False) is None


numbers = st.integers(min_value=-10_000, max_value=10_000).map(lambda n: n / 4)


@given(value=numbers, target=numbers, baseline=st.none() | numbers)
def test_the_comparison_rule_reaches_a_target_from_whichever_side_the_baseline_is(
    value: float, target: float, baseline: float | None
) -> None:
    reached = target_reached(value, target, baseline)
    going_down = baseline is not None and target < baseline
    assert reached == (value <= target if going_down else value >= target)
    assert target_reached(target, target, baseline)  # the target itself always counts
    outcome = compare(
        number_text(value),
        previous=None,
        baseline="" if baseline is None else number_text(baseline),
        target=number_text(target),
        numeric=True,
    )
    assert outcome.reached == reached
    assert outcome.to_target == (0 if reached else pytest.approx(abs(target - value)))


@given(value=numbers, previous=numbers)
def test_a_change_is_the_difference_from_the_previous_measurement(
    value: float, previous: float
) -> None:
    outcome = compare(
        number_text(value), previous=number_text(previous), baseline="", target="", numeric=True
    )
    assert outcome.change == pytest.approx(value - previous)
    assert outcome.reached is None
