"""Reminders people do not ignore: optional items stay with their own role, and
days gone by are missed, not sent.

An optional item (`mandatory: false`) is reminded to the holders of its own
role before its deadline and on the first late day; with the workflow's
`escalate_optional: false` (the default) it never reaches the projektledare
or the styrgrupp, whatever the dates, members and moment of planning. The
boundary of "missed" is the recipient's day: due today is sent, due
yesterday is missed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.core.reminders.plan import OpenItem, Person, ProjectState, plan
from gatekeeper.core.reminders.policy import ReminderPolicy
from gatekeeper.core.status import ProjectStatus

ANITA = Person("anita.lindqvist@alingsas.se", "Anita Lindqvist")
LARS = Person("lars.carlsson@alingsas.se", "Lars Carlsson")
MAJA = Person("maja.holm@alingsas.se", "Maja Holm", time_zone="America/New_York")
KARIN = Person("karin.ek@alingsas.se", "Karin Ek")

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

OPTIONAL = OpenItem(
    id=41,
    gate_id="go-live",
    gate_name="Go-live / driftstart",
    checklist_id="inforandestart",
    item_id="lathund",
    text="Lathund för personalen framtagen",
    responsible="utbildningsansvarig",
    due_on=date(2026, 12, 9),
    mandatory=False,
)
MANDATORY = replace(
    OPTIONAL, id=42, item_id="utbildningsplan", text="Utbildningsplan klar", mandatory=True
)
ROLE_NAMES = {
    "projektledare": "Projektledare",
    "styrgrupp": "Styrgrupp",
    "utbildningsansvarig": "Utbildningsansvarig",
}


def state(policy: ReminderPolicy | None = None, **changes: object) -> ProjectState:
    base = ProjectState(
        key="ibic-alingsas",
        name="Införande av IBIC",
        status=ProjectStatus.ACTIVE,
        phase="genomforande",
        final=False,
        started_on=date(2026, 9, 1),
        policy=policy or ReminderPolicy(),
        members={
            "projektledare": (ANITA,),
            "styrgrupp": (LARS, MAJA),
            "utbildningsansvarig": (KARIN,),
        },
        people={p.email: p for p in (ANITA, LARS, MAJA, KARIN)},
        items=(OPTIONAL, MANDATORY),
        role_names=ROLE_NAMES,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def of_item(item: OpenItem, planned: list[object]) -> list[object]:
    return [r for r in planned if r.subject_id == str(item.id)]  # type: ignore[attr-defined]


def test_an_optional_item_is_reminded_to_its_own_role_and_never_escalated() -> None:
    planned = plan(state(), now=NOW)
    optional = of_item(OPTIONAL, planned)
    assert {r.recipient_email for r in optional} == {KARIN.email}  # type: ignore[attr-defined]
    assert sorted((r.kind, r.details["level"]) for r in optional) == [  # type: ignore[attr-defined]
        ("deadline", -14),
        ("deadline", -3),
        ("overdue", 0),
    ]
    # The mandatory item of the same gate escalates as before, to the styrgrupp too.
    mandatory = of_item(MANDATORY, planned)
    assert {r.recipient_email for r in mandatory} == {  # type: ignore[attr-defined]
        KARIN.email,
        ANITA.email,
        LARS.email,
        MAJA.email,
    }


def test_escalate_optional_true_escalates_optional_items_like_the_others() -> None:
    planned = plan(state(ReminderPolicy(escalate_optional=True)), now=NOW)
    levels = {
        (r.details["level"], r.recipient_email)  # type: ignore[attr-defined]
        for r in of_item(OPTIONAL, planned)
        if r.kind == "overdue"  # type: ignore[attr-defined]
    }
    assert levels == {(0, KARIN.email), (3, ANITA.email), (7, LARS.email), (7, MAJA.email)}


def test_an_optional_item_whose_role_nobody_holds_reminds_nobody() -> None:
    # A mandatory item falls back to the escalation's first role; an optional one does not.
    members = {"projektledare": (ANITA,), "styrgrupp": (LARS,)}
    planned = plan(state(members=members), now=NOW)
    assert of_item(OPTIONAL, planned) == []
    assert {r.recipient_email for r in of_item(MANDATORY, planned)} >= {ANITA.email}  # type: ignore[attr-defined]


def test_escalation_lines_name_the_role_not_its_id() -> None:
    overdue = [
        r
        for r in plan(state(), now=NOW)
        if r.kind == "overdue" and r.details["level"] == 7 and r.subject_id == "42"
    ]
    assert overdue
    line = overdue[0].details["lines"][0]
    assert line.endswith("Du får den i rollen Styrgrupp.")
    assert "9 december 2026" in line
    assert overdue[0].details["en"]["lines"][0].endswith("You get it as Styrgrupp.")
    assert overdue[0].details["en"]["title"] == (
        "Overdue by 12 days: Utbildningsplan klar – Införande av IBIC"
    )


def test_one_day_late_says_1_dag_and_the_days_before_agree() -> None:
    policy = ReminderPolicy(before_deadline=(1, 2))
    item = replace(MANDATORY, due_on=date(2026, 12, 10))
    planned = plan(state(policy, items=(item,)), now=NOW)
    titles = {r.title for r in planned}
    assert "I morgon: Utbildningsplan klar – Införande av IBIC" in titles
    assert "Om 2 dagar: Utbildningsplan klar – Införande av IBIC" in titles
    assert "Försenad sedan 1 dag: Utbildningsplan klar – Införande av IBIC" in titles


# --- properties ---------------------------------------------------------------------------

ROLES = ["projektledare", "styrgrupp", "utbildningsansvarig", "kommunikator"]
PEOPLE = [ANITA, LARS, MAJA, KARIN]

items_st = st.lists(
    st.builds(
        OpenItem,
        id=st.integers(min_value=1, max_value=10_000),
        gate_id=st.just("go-live"),
        gate_name=st.just("Go-live / driftstart"),
        checklist_id=st.just("inforandestart"),
        item_id=st.sampled_from(["lathund", "utrustning", "behorigheter", "support"]),
        text=st.sampled_from(["Lathund framtagen", "Utrustning beställd", "Support bemannad"]),
        responsible=st.sampled_from(["utbildningsansvarig", "kommunikator", "projektledare"]),
        due_on=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
        mandatory=st.booleans(),
    ),
    max_size=6,
    unique_by=lambda item: item.id,
)
members_st = st.dictionaries(
    st.sampled_from(ROLES),
    st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True).map(tuple),
)
moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)
)


@settings(deadline=None)
@given(items=items_st, members=members_st, now=moments, steps=st.permutations([0, 3, 7]))
def test_no_optional_item_ever_plans_an_escalation_beyond_its_own_role(
    items: list[OpenItem], members: dict[str, tuple[Person, ...]], now: datetime, steps: list[int]
) -> None:
    from gatekeeper.core.reminders.policy import EscalationStep

    notify = ["responsible", "projektledare", "styrgrupp"]
    policy = ReminderPolicy(
        escalation=tuple(EscalationStep(d, n) for d, n in zip(steps, notify, strict=True))
    )
    planned = plan(state(policy, items=tuple(items), members=members), now=now)
    for item in items:
        if item.mandatory:
            continue
        own = {p.email for p in members.get(item.responsible, ())}
        for reminder in of_item(item, planned):
            assert reminder.details.get("notify", "responsible") == "responsible"  # type: ignore[attr-defined]
            assert reminder.recipient_email in own  # type: ignore[attr-defined]
            if item.responsible != "styrgrupp":
                styrgrupp = {p.email for p in members.get("styrgrupp", ())} - own
                assert reminder.recipient_email not in styrgrupp  # type: ignore[attr-defined]


@settings(deadline=None)
@given(items=items_st, now=moments)
def test_a_reminder_is_missed_exactly_when_its_day_is_before_today(
    items: list[OpenItem], now: datetime
) -> None:
    planned = plan(state(items=tuple(items)), now=now)
    zones = {p.email: p.time_zone or "Europe/Stockholm" for p in PEOPLE}
    from zoneinfo import ZoneInfo

    for reminder in planned:
        zone = ZoneInfo(zones[reminder.recipient_email])
        gone = reminder.due_at.astimezone(zone).date() < now.astimezone(zone).date()
        assert reminder.late == gone
        # Nothing older than 30 days is planned at all, missed or not.
        assert reminder.due_at >= now - timedelta(days=30) or not reminder.late
