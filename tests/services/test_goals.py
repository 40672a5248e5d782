"""Goals, the nyttoregister and measurements through the use cases, on SQLite and PostgreSQL.

Shaped like seed 000's uppföljningsmått (mätetal, metod, mätpunkt, ansvarig)
and DIGG's nyttoregister: success with its audit event, bad input refused
with a Swedish sentence naming the field and nothing saved, who may write,
and two people changing one goal at once.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from gatekeeper.core.followup.goal import GoalKind
from gatekeeper.errors import Conflict, NotFound, PermissionDenied, StaleVersion, ValidationFailed
from gatekeeper.services.access import account as accounts
from gatekeeper.services.context import Context
from gatekeeper.services.followup import goal as goals
from gatekeeper.services.followup import measurement as measurements
from gatekeeper.services.followup.goal_fields import GoalFields, parse_points
from gatekeeper.services.followup.goal_view import goals_view
from gatekeeper.services.gates.readiness import gate_readiness
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.followup.goal_tables import Goal, Measurement
from tests.factories import ADMIN, PROJEKTLEDARE, STYRGRUPP, start_ibic

KEY = "ibic-alingsas"

UTBILDADE = GoalFields(
    kind=GoalKind.EFFEKTMAL,
    title="Alla som arbetar med IBIC har gått utbildningen",
    indicator="Andel anställda som gått utbildning i IBIC",
    method="Uppföljning av deltagarlistor",
    unit="%",
    baseline="0",
    baseline_on=date(2026, 3, 1),
    target="90",
    target_on=date(2027, 6, 30),
    responsible="Anita Lindqvist",
    measure_points=(date(2026, 11, 15), date(2026, 8, 31), date(2027, 3, 31)),
)
NYTTA = GoalFields(
    kind=GoalKind.NYTTA,
    title="Mindre dubbeldokumentation",
    indicator="Minuter per dag och handläggare",
    unit="minuter",
    baseline="55",
    target="35",
    target_on=date(2028, 6, 30),
    responsible="Karin Ek",
    organisation="Vård- och omsorgsförvaltningen",
)


@pytest.fixture
def ibic(ctx: Context) -> Context:
    """IBIC, with an administrator account for the registrator."""
    start_ibic(ctx)
    accounts.create_user(ctx, ADMIN, email=ADMIN.id, name=ADMIN.name, is_admin=True)
    return ctx


def _count(ctx: Context, table: type[Goal] | type[Measurement]) -> int:
    with ctx.db.read() as session:
        return len(session.exec(select(table)).all())


def _actions(ctx: Context) -> list[str]:
    with ctx.db.read() as session:
        return [e.action for e in session.exec(select(AuditEvent)).all()]


def test_the_projektledare_adds_an_effektmal_with_its_matpunkter_in_date_order(
    ibic: Context,
) -> None:
    goal, parent = goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE)

    assert goal.key == "alla-som-arbetar-med-ibic-har-gatt-utbildningen"
    assert parent is None
    assert goal.measure_points == ["2026-08-31", "2026-11-15", "2027-03-31"]
    assert "goal.created" in _actions(ibic)


def test_a_nytta_keeps_its_nyttoansvarig_and_organisation(ibic: Context) -> None:
    goal, _ = goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=NYTTA, key="dubbel")

    stored, _ = goals.get_goal(ibic, KEY, "dubbel")
    assert (stored.kind, stored.responsible, stored.organisation) == (
        GoalKind.NYTTA,
        "Karin Ek",
        "Vård- och omsorgsförvaltningen",
    )
    assert goal.key == "dubbel"


def test_a_delmal_belongs_to_the_goal_above_it_and_never_under_itself(ibic: Context) -> None:
    goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE, key="utbildade")
    delmal = GoalFields(kind=GoalKind.DELMAL, title="Alla IBIC-ombud utbildade före driftstart")
    _, parent = goals.add_goal(
        ibic, PROJEKTLEDARE, project_key=KEY, fields=delmal, key="ombud", parent="utbildade"
    )
    assert parent == "utbildade"

    with pytest.raises(ValidationFailed) as refused:
        goals.update_goal(
            ibic, PROJEKTLEDARE, project_key=KEY, key="utbildade", changes={}, parent="ombud"
        )
    assert refused.value.field == "parent"
    assert goals.get_goal(ibic, KEY, "utbildade")[1] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (GoalFields(kind=GoalKind.EFFEKTMAL, title="  "), "title"),
        (GoalFields(kind=GoalKind.EFFEKTMAL, title="Mål", baseline="ungefär hälften"), "baseline"),
        (GoalFields(kind=GoalKind.EFFEKTMAL, title="Mål", target="90 %"), "target"),
        (
            GoalFields(
                kind=GoalKind.EFFEKTMAL,
                title="Mål",
                baseline_on=date(2027, 1, 1),
                target_on=date(2026, 1, 1),
            ),
            "target_on",
        ),
    ],
)
def test_bad_goal_input_is_refused_with_its_field_and_nothing_saved(
    ibic: Context, fields: GoalFields, field: str
) -> None:
    before = _count(ibic, Goal)

    with pytest.raises(ValidationFailed) as refused:
        goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=fields)

    assert refused.value.field == field
    assert refused.value.message.endswith(".") or "'" in refused.value.message
    assert _count(ibic, Goal) == before


def test_a_goal_for_an_unknown_parent_or_a_taken_key_is_refused(ibic: Context) -> None:
    goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE, key="utbildade")
    with pytest.raises(ValidationFailed) as unknown:
        goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=NYTTA, parent="finns-inte")
    assert unknown.value.field == "parent"
    with pytest.raises(Conflict):
        goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=NYTTA, key="utbildade")
    assert _count(ibic, Goal) == 1


def test_matpunkter_written_as_text_must_be_dates() -> None:
    assert parse_points("2027-03-31, 2027-06-30\n2027-12-31") == (
        date(2027, 3, 31),
        date(2027, 6, 30),
        date(2027, 12, 31),
    )
    with pytest.raises(ValidationFailed) as refused:
        parse_points("2027-03-31, om ett år")
    assert refused.value.field == "measure_points"


def test_a_measurement_is_recorded_and_compared_with_the_last_one_baseline_and_target(
    ibic: Context,
) -> None:
    goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE, key="utbildade")
    measurements.record_measurement(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        goal="utbildade",
        measured_on=date(2026, 8, 31),
        value="38",
        source="Deltagarlistor",
    )
    measurements.record_measurement(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        goal="utbildade",
        measured_on=date(2026, 11, 16),
        value="64,5",
        comment="Hemtjänsten kvar.",
    )

    entry = goals_view(ibic, KEY, PROJEKTLEDARE.id).entry("utbildade")
    latest = entry.latest
    assert latest is not None
    assert latest.row.value == "64,5"
    assert latest.comparison.change == pytest.approx(26.5)
    assert latest.comparison.from_baseline == pytest.approx(64.5)
    assert latest.comparison.to_target == pytest.approx(25.5)
    assert latest.comparison.reached is False
    assert entry.next_point == date(2027, 3, 31)
    assert entry.missed_points == ()
    assert entry.chart is not None and len(entry.chart.points) == 2
    assert _actions(ibic).count("measurement.recorded") == 2


@pytest.mark.parametrize(
    ("goal", "value", "measured_on", "field"),
    [
        ("utbildade", "ungefär två tredjedelar", date(2026, 11, 1), "value"),
        ("finns-inte", "40", date(2026, 11, 1), "goal"),
        ("utbildade", "40", date(2027, 1, 1), "measured_on"),
        ("utbildade", "", date(2026, 11, 1), "value"),
    ],
)
def test_a_bad_measurement_is_refused_with_its_field_and_nothing_saved(
    ibic: Context, goal: str, value: str, measured_on: date, field: str
) -> None:
    goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE, key="utbildade")

    with pytest.raises(ValidationFailed) as refused:
        measurements.record_measurement(
            ibic, PROJEKTLEDARE, project_key=KEY, goal=goal, measured_on=measured_on, value=value
        )

    assert refused.value.field == field
    assert _count(ibic, Measurement) == 0


def test_a_text_indicator_takes_text_and_is_reached_when_it_says_the_target(ibic: Context) -> None:
    fields = GoalFields(
        kind=GoalKind.PROJEKTMAL,
        title="Rutin för nyanställda fastställd",
        numeric=False,
        baseline="saknas",
        target="fastställd",
    )
    goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=fields, key="rutin")
    measurements.record_measurement(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        goal="rutin",
        measured_on=date(2026, 11, 20),
        value="Fastställd",
    )

    latest = goals_view(ibic, KEY, PROJEKTLEDARE.id).entry("rutin").latest
    assert latest is not None and latest.comparison.reached is True
    with pytest.raises(ValidationFailed) as refused:
        goals.update_goal(
            ibic, PROJEKTLEDARE, project_key=KEY, key="rutin", changes={"numeric": True}
        )
    assert refused.value.field in ("baseline", "numeric")


def test_only_the_projektledare_or_an_administrator_writes_goals(ibic: Context) -> None:
    with pytest.raises(PermissionDenied):
        goals.add_goal(ibic, STYRGRUPP, project_key=KEY, fields=UTBILDADE)
    goal, _ = goals.add_goal(ibic, ADMIN, project_key=KEY, fields=UTBILDADE, key="utbildade")
    with pytest.raises(PermissionDenied):
        measurements.record_measurement(
            ibic,
            STYRGRUPP,
            project_key=KEY,
            goal="utbildade",
            measured_on=date(2026, 11, 1),
            value="40",
        )
    assert goal.key == "utbildade"
    assert _count(ibic, Measurement) == 0
    assert "change.refused" in _actions(ibic)
    assert goals_view(ibic, KEY, STYRGRUPP.id).may_edit is False


def test_two_people_changing_one_goal_at_once_the_second_is_told_it_changed(ibic: Context) -> None:
    goal, _ = goals.add_goal(
        ibic, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE, key="utbildade"
    )
    seen = goal.row_version

    goals.update_goal(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        key="utbildade",
        changes={"target": "95"},
        expected_version=seen,
    )
    with pytest.raises(StaleVersion):
        goals.update_goal(
            ibic,
            ADMIN,
            project_key=KEY,
            key="utbildade",
            changes={"target": "80"},
            expected_version=seen,
        )

    stored, _ = goals.get_goal(ibic, KEY, "utbildade")
    assert stored.target == "95"
    assert _actions(ibic).count("goal.updated") == 1


def test_a_measurement_is_corrected_under_its_version(ibic: Context) -> None:
    goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE, key="utbildade")
    row = measurements.record_measurement(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        goal="utbildade",
        measured_on=date(2026, 11, 1),
        value="40",
    )
    assert row.id is not None
    fixed, goal = measurements.update_measurement(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        measurement_id=row.id,
        value="42.5",
        expected_version=row.row_version,
    )
    assert (fixed.value, goal.key) == ("42,5", "utbildade")
    with pytest.raises(StaleVersion):
        measurements.update_measurement(
            ibic,
            PROJEKTLEDARE,
            project_key=KEY,
            measurement_id=row.id,
            value="41",
            expected_version=row.row_version,
        )
    with pytest.raises(NotFound):
        measurements.update_measurement(
            ibic, PROJEKTLEDARE, project_key=KEY, measurement_id=row.id + 100, value="41"
        )


def _goals_criterion(ctx: Context) -> tuple[bool, tuple[str, ...]]:
    verdict = gate_readiness(ctx, KEY, "uppfoljning-klar").verdict
    result = next(r for r in verdict.results if r.kind == "goals_measured")
    return result.passed, result.details


def test_uppfoljning_klar_asks_for_the_effektmal_measured_at_their_passed_matpunkter(
    ibic: Context,
) -> None:
    assert _goals_criterion(ibic)[0] is False  # no effektmål at all

    goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=UTBILDADE, key="utbildade")
    goals.add_goal(ibic, PROJEKTLEDARE, project_key=KEY, fields=NYTTA, key="dubbel")
    passed, details = _goals_criterion(ibic)
    assert not passed
    assert details == (
        f"{UTBILDADE.title}: mätning saknas för mätpunkten 2026-08-31",
        f"{UTBILDADE.title}: mätning saknas för mätpunkten 2026-11-15",
    )

    for day in (date(2026, 9, 2), date(2026, 11, 20)):
        measurements.record_measurement(
            ibic, PROJEKTLEDARE, project_key=KEY, goal="utbildade", measured_on=day, value="50"
        )
    assert _goals_criterion(ibic) == (True, ())  # the nytta is followed up after the project
