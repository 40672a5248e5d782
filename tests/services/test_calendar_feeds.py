"""Personal iCal feeds on SQLite and PostgreSQL, read back with `icalendar`.

What a feed carries (gate dates, the person's deadlines and conditions, the
cadence's meetings), that its UIDs are stable, that it shows only the
person's projects, and that a revoked or unknown token is not found.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar, Event
from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.events import EventName
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import NotFound
from gatekeeper.services.access import account as accounts
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import member as members
from gatekeeper.services.reminders import calendar_feed as calendar_feeds
from gatekeeper.services.reminders import ical
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.reminders.tables import CalendarFeed
from tests.factories import (
    ADMIN,
    AT_ONCE,
    PROJEKTLEDARE,
    STYRGRUPP,
    STYRGRUPP_2,
    approve_gate,
    start_ibic,
)
from tests.services.test_inbox import start_lerum

KEY = "ibic-alingsas"
ANITA = PROJEKTLEDARE.id
LARS = STYRGRUPP.id
JONAS = "jonas.berg@alingsas.se"  # förvaltningsledare
OVERRIDE = "Nämnden har redan beslutat om införandet (§53 dnr 2021.158 VON)."


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    for email, name in ((ANITA, "Anita Lindqvist"), (LARS, "Lars Carlsson"), (JONAS, "Jonas Berg")):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
    return ctx


def _events(ctx: Context, token: str) -> dict[str, Event]:
    calendar = Calendar.from_ical(ical.render_feed(ctx, token))
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _feed(ctx: Context, email: str = ANITA, project_key: str | None = None) -> str:
    return calendar_feeds.create_feed(
        ctx, Actor.user(email), email=email, project_key=project_key
    ).token


def test_the_feed_is_an_icalendar_with_every_gate_date(ibic: Context) -> None:
    token = _feed(ibic)

    calendar = Calendar.from_ical(ical.render_feed(ibic, token))

    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Stockholm"
    assert calendar["X-WR-CALNAME"] == "gatekeeper – Anita Lindqvist"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    go_live = events["gate-ibic-alingsas-go-live@gatekeeper"]
    assert str(go_live["SUMMARY"]) == "Grind: Go-live / driftstart – Införande av IBIC"
    assert go_live.decoded("DTSTART") == date(2027, 9, 1)  # all day: a date, not a time
    assert go_live.decoded("DTEND") == date(2027, 9, 2)
    assert go_live.decoded("DTSTAMP") == ibic.clock.now()
    gate_uids = {uid for uid in events if uid.startswith("gate-")}
    assert gate_uids == {
        f"gate-{KEY}-{gate}@gatekeeper"
        for gate in (
            "forstudie-klar",
            "beslut-om-genomforande",
            "go-live",
            "driftoverlamning-godkand",
        )
    }


def test_the_persons_open_deadlines_of_gates_ahead_are_in_it(ibic: Context) -> None:
    expected = {
        f"item-{KEY}-{readiness.gate.id}-{item.checklist_id}-{item.row.item_id}@gatekeeper": item
        for readiness in gates.all_gates(ibic, KEY)
        for item in readiness.items
        if item.row.responsible == "projektledare" and item.due_on is not None
    }
    assert expected, "IBIC has items the projektledare answers for"

    events = _events(ibic, _feed(ibic))

    items = {uid: e for uid, e in events.items() if uid.startswith("item-")}
    assert set(items) == set(expected)
    uid, item = next(iter(expected.items()))
    assert items[uid].decoded("DTSTART") == item.due_on
    assert str(items[uid]["SUMMARY"]) == f"Deadline: {item.row.text} – Införande av IBIC"
    # Jonas (förvaltningsledare) answers for none of those items
    assert not any(uid in expected for uid in _events(ibic, _feed(ibic, JONAS)))


def test_a_ticked_item_leaves_the_feed_and_a_moved_date_keeps_its_uid(ibic: Context) -> None:
    token = _feed(ibic)
    before = _events(ibic, token)
    item = next(
        i
        for i in gates.gate_readiness(ibic, KEY, "forstudie-klar").items
        if i.row.responsible == "projektledare" and i.due_on is not None
    )
    uid = f"item-{KEY}-forstudie-klar-{item.checklist_id}-{item.row.item_id}@gatekeeper"
    assert uid in before
    checklists.update_item(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="forstudie-klar",
        checklist_id=item.checklist_id,
        item_id=item.row.item_id,
        status=ItemStatus.NOT_APPLICABLE,
    )
    gate_dates.set_gate_target(
        ibic, PROJEKTLEDARE, project_key=KEY, gate_id="go-live", target_date=date(2027, 10, 4)
    )

    after = _events(ibic, token)

    assert uid not in after
    go_live = f"gate-{KEY}-go-live@gatekeeper"
    assert after[go_live].decoded("DTSTART") == date(2027, 10, 4)
    assert before[go_live].decoded("DTSTART") == date(2027, 9, 1)
    assert set(after) == set(before) - {uid}  # same UIDs otherwise: calendars update, not add


def test_items_of_a_passed_gate_are_left_out(ibic: Context) -> None:
    token = _feed(ibic)
    approve_gate(ibic, KEY, "forstudie-klar", override=OVERRIDE)

    events = _events(ibic, token)

    assert not any(uid.startswith(f"item-{KEY}-forstudie-klar-") for uid in events)
    assert any(uid.startswith(f"item-{KEY}-go-live-") for uid in events)
    assert f"gate-{KEY}-forstudie-klar@gatekeeper" in events  # the date itself stays


def test_open_conditions_the_person_owns_are_in_it(ibic: Context) -> None:
    review = reviews.request_review(
        ibic, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE
    )
    assert review.id is not None
    condition = voting.ConditionSpec("Nulägesanalysen kompletteras", ANITA, date(2026, 12, 18))
    for voter, outcome in ((STYRGRUPP, Outcome.CONDITIONAL_GO), (STYRGRUPP_2, Outcome.GO)):
        voting.cast_vote(
            ibic,
            voter,
            project_key=KEY,
            review_id=review.id,
            outcome=outcome,
            motivation="Underlaget är genomgånget på styrgruppsmötet.",
            override_motivation=OVERRIDE,
            conditions=[condition] if outcome is Outcome.CONDITIONAL_GO else [],
        )

    anitas = _events(ibic, _feed(ibic))
    lars = _events(ibic, _feed(ibic, LARS))

    (uid,) = [uid for uid in anitas if uid.startswith("condition-")]
    assert str(anitas[uid]["SUMMARY"]) == (
        "Villkor: Nulägesanalysen kompletteras – Införande av IBIC"
    )
    assert anitas[uid].decoded("DTSTART") == date(2026, 12, 18)
    assert not any(uid.startswith("condition-") for uid in lars)


def test_cadence_meetings_of_the_next_twelve_months_for_the_persons_roles(
    ibic: Context, clock: FixedClock
) -> None:
    approve_gate(ibic, KEY, "forstudie-klar", override=OVERRIDE)  # into beslut: styrgruppsmöten

    lars = _events(ibic, _feed(ibic, LARS))
    jonas = _events(ibic, _feed(ibic, JONAS))

    meetings = sorted(
        (e.decoded("DTSTART"), str(e["SUMMARY"]))
        for uid, e in lars.items()
        if uid.startswith("meeting-")
    )
    assert meetings, "styrgruppen meets every second month in beslut"
    today = clock.now().date()
    assert all(today <= day <= today + timedelta(days=365) for day, _ in meetings)
    assert {summary for _, summary in meetings} == {"Styrgruppsmöte – Införande av IBIC"}
    assert not any(uid.startswith("meeting-") for uid in jonas)
    assert set(_events(ibic, _feed(ibic, LARS))) == set(lars)  # stable UIDs


def test_someone_elses_project_is_not_in_the_feed(ibic: Context) -> None:
    start_lerum(ibic)
    all_of_lars = _events(ibic, _feed(ibic, LARS))
    anitas = _events(ibic, _feed(ibic))

    assert any("ibic-lerum" in uid for uid in all_of_lars)
    assert not any("ibic-lerum" in uid for uid in anitas)
    with pytest.raises(NotFound, match="finns inte"):
        calendar_feeds.create_feed(ibic, PROJEKTLEDARE, email=ANITA, project_key="ibic-lerum")


def test_a_one_project_feed_carries_that_project_only(ibic: Context) -> None:
    start_lerum(ibic)

    token = _feed(ibic, LARS, project_key="ibic-lerum")
    calendar = Calendar.from_ical(ical.render_feed(ibic, token))

    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert uids and all("-ibic-lerum-" in uid for uid in uids)
    assert calendar["X-WR-CALNAME"] == "gatekeeper – Införande av IBIC i Lerum"
    (view,) = [v for v in calendar_feeds.list_feeds(ibic, LARS) if v.project_key]
    assert view.project_name == "Införande av IBIC i Lerum"


def test_a_member_who_leaves_the_project_loses_its_dates(ibic: Context) -> None:
    token = _feed(ibic, JONAS, project_key=KEY)
    members.remove_member(ibic, ADMIN, project_key=KEY, email=JONAS, role="forvaltningsledare")

    assert _events(ibic, token) == {}


def test_only_the_tokens_hash_is_stored_and_creation_is_audited(ibic: Context) -> None:
    made = calendar_feeds.create_feed(ibic, PROJEKTLEDARE, email=ANITA)

    with ibic.db.read() as session:
        feed = session.exec(select(CalendarFeed)).one()
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == EventName.CALENDAR_FEED_CREATED.value)
        ).one()
    assert feed.token_hash == calendar_feeds.token_hash(made.token) != made.token
    assert made.token not in str(feed.model_dump()) and made.token not in str(event.after)
    assert len(made.token) >= 40


def test_a_revoked_or_unknown_token_is_not_found(ibic: Context) -> None:
    token = _feed(ibic)
    (view,) = calendar_feeds.list_feeds(ibic, ANITA)
    assert view.feed.id is not None

    calendar_feeds.revoke_feed(ibic, PROJEKTLEDARE, email=ANITA, feed_id=view.feed.id)

    with pytest.raises(NotFound):
        ical.render_feed(ibic, token)
    with pytest.raises(NotFound):
        ical.render_feed(ibic, "gissat-token")
    assert calendar_feeds.list_feeds(ibic, ANITA) == []
    with pytest.raises(NotFound):  # once revoked, it is gone
        calendar_feeds.revoke_feed(ibic, PROJEKTLEDARE, email=ANITA, feed_id=view.feed.id)


def test_nobody_revokes_someone_elses_feed(ibic: Context) -> None:
    token = _feed(ibic)
    (view,) = calendar_feeds.list_feeds(ibic, ANITA)
    assert view.feed.id is not None

    with pytest.raises(NotFound):
        calendar_feeds.revoke_feed(ibic, STYRGRUPP, email=LARS, feed_id=view.feed.id)

    assert ical.render_feed(ibic, token).startswith(b"BEGIN:VCALENDAR")


def test_a_disabled_account_has_no_feed(ibic: Context) -> None:
    token = _feed(ibic)
    with ibic.db.write() as session:
        user = session.exec(
            select(accounts.UserAccount).where(accounts.UserAccount.email == ANITA)
        ).one()
        user.disabled_at = ibic.clock.now()
        session.add(user)

    with pytest.raises(NotFound):
        ical.render_feed(ibic, token)


def test_polling_writes_last_used_at_most_once_an_hour(ibic: Context, clock: FixedClock) -> None:
    token = _feed(ibic)

    def last_used() -> object:
        with ibic.db.read() as session:
            return session.exec(
                select(CalendarFeed.last_used_at).where(col(CalendarFeed.revoked_at).is_(None))
            ).one()

    first = clock.now()
    ical.render_feed(ibic, token)
    clock.advance(timedelta(minutes=59))
    ical.render_feed(ibic, token)
    assert last_used() == first
    clock.advance(timedelta(minutes=1))
    ical.render_feed(ibic, token)
    assert last_used() == clock.now()
