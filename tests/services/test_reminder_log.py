"""The reminder log on SQLite and PostgreSQL: listing, counting and requeueing failed reminders."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.events import EventName
from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.errors import Conflict, GatekeeperError, NotFound, PermissionDenied
from gatekeeper.services.access import account as accounts
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import log as reminder_log
from gatekeeper.store.audit.tables import AuditEvent
from tests.factories import ADMIN, BESTALLARE, PROJEKTLEDARE, STYRGRUPP, start_ibic
from tests.services.test_inbox import add_reminder, start_lerum

KEY = "ibic-alingsas"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    return ctx


def _mine(rows: list[reminder_log.Reminder]) -> list[reminder_log.Reminder]:
    return [r for r in rows if r.key.startswith("test:")]  # not the planner's own rows


def test_the_log_pages_newest_first_and_filters(ibic: Context) -> None:
    made = [add_reminder(ibic, title=f"Påminnelse {n}") for n in range(5)]
    failed = add_reminder(ibic, status=ReminderStatus.FAILED, kind=ReminderKind.CONDITION)

    first, more = reminder_log.list_reminders(ibic, KEY, limit=3)
    assert more
    second, _ = reminder_log.list_reminders(ibic, KEY, limit=3, before_id=first[-1].id)
    ids = [r.id for r in first + second]
    assert ids == sorted(ids, reverse=True)
    assert failed.id == ids[0] and made[-1].id == ids[1]

    only_failed, more = reminder_log.list_reminders(ibic, KEY, status=ReminderStatus.FAILED)
    assert [r.id for r in only_failed] == [failed.id] and not more
    conditions, _ = reminder_log.list_reminders(ibic, KEY, kind=ReminderKind.CONDITION)
    assert [r.id for r in _mine(conditions)] == [failed.id]


def test_counts_by_status_include_zeros(ibic: Context) -> None:
    before = reminder_log.status_counts(ibic, KEY)
    add_reminder(ibic, status=ReminderStatus.FAILED)
    add_reminder(ibic, status=ReminderStatus.FAILED)

    after = reminder_log.status_counts(ibic, KEY)

    assert set(after) == set(ReminderStatus)
    assert after[ReminderStatus.FAILED] == before[ReminderStatus.FAILED] + 2
    assert after[ReminderStatus.SENT] == before[ReminderStatus.SENT]


def test_upcoming_lists_what_is_still_to_go_out_soonest_first(
    ibic: Context, clock: FixedClock
) -> None:
    now = clock.now()
    later = add_reminder(ibic, status=ReminderStatus.PENDING, due_at=now + timedelta(days=9))
    sooner = add_reminder(ibic, status=ReminderStatus.RETRYING, due_at=now - timedelta(days=1))
    add_reminder(ibic, status=ReminderStatus.SENT)

    rows = _mine(reminder_log.upcoming(ibic, KEY, limit=500))

    assert [r.id for r in rows] == [sooner.id, later.id]


def test_the_projektledare_requeues_a_failed_reminder(ibic: Context, clock: FixedClock) -> None:
    failed = add_reminder(
        ibic, status=ReminderStatus.FAILED, attempts=8, last_error="SMTP 451: försök senare"
    )
    assert failed.id is not None
    clock.advance(timedelta(hours=2))

    reminder = reminder_log.requeue(ibic, PROJEKTLEDARE, project_key=KEY, reminder_id=failed.id)

    assert reminder.status is ReminderStatus.PENDING
    assert reminder.attempts == 0 and reminder.last_error is None
    assert reminder.next_attempt_at == clock.now()
    with ibic.db.read() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == EventName.REMINDER_REQUEUED.value)
        ).one()
    assert event.actor == str(PROJEKTLEDARE) and event.object_id == str(failed.id)
    assert event.before == {
        "status": "failed",
        "attempts": 8,
        "last_error": "SMTP 451: försök senare",
    }


def test_an_administrator_may_requeue_too(ibic: Context) -> None:
    accounts.create_user(ibic, ADMIN, email="it@alingsas.se", name="IT", is_admin=True)
    failed = add_reminder(ibic, status=ReminderStatus.FAILED)
    assert failed.id is not None

    reminder = reminder_log.requeue(
        ibic, Actor.user("it@alingsas.se"), project_key=KEY, reminder_id=failed.id
    )

    assert reminder.status is ReminderStatus.PENDING


@pytest.mark.parametrize("actor", [BESTALLARE, STYRGRUPP, Actor.user("kalle.nilsson@boras.se")])
def test_other_members_and_strangers_may_not_requeue(ibic: Context, actor: Actor) -> None:
    failed = add_reminder(ibic, status=ReminderStatus.FAILED)
    assert failed.id is not None

    with pytest.raises(PermissionDenied, match="Bara projektledaren"):
        reminder_log.requeue(ibic, actor, project_key=KEY, reminder_id=failed.id)

    assert (
        reminder_log.list_reminders(ibic, KEY, status=ReminderStatus.FAILED)[0][0].id == failed.id
    )


@pytest.mark.parametrize("status", [ReminderStatus.SENT, ReminderStatus.PENDING])
def test_only_failed_reminders_are_requeued(ibic: Context, status: ReminderStatus) -> None:
    row = add_reminder(ibic, status=status)
    assert row.id is not None

    with pytest.raises(Conflict, match="har inte misslyckats"):
        reminder_log.requeue(ibic, PROJEKTLEDARE, project_key=KEY, reminder_id=row.id)


def test_a_reminder_of_another_project_is_not_found(ibic: Context) -> None:
    start_lerum(ibic)
    theirs = add_reminder(ibic, "ibic-lerum", status=ReminderStatus.FAILED)
    assert theirs.id is not None

    with pytest.raises(NotFound):
        reminder_log.requeue(ibic, PROJEKTLEDARE, project_key=KEY, reminder_id=theirs.id)
    with pytest.raises(NotFound):
        reminder_log.requeue(ibic, PROJEKTLEDARE, project_key=KEY, reminder_id=999_999)


def test_two_requeues_at_once_put_it_back_once(ibic: Context) -> None:
    failed = add_reminder(ibic, status=ReminderStatus.FAILED)
    assert failed.id is not None
    outcomes: list[str] = []

    def requeue() -> None:
        try:
            reminder_log.requeue(ibic, PROJEKTLEDARE, project_key=KEY, reminder_id=failed.id or 0)
            outcomes.append("ok")
        except GatekeeperError as error:
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=requeue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["Conflict", "ok"]
    with ibic.db.read() as session:
        events = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == EventName.REMINDER_REQUEUED.value,
                col(AuditEvent.object_id) == str(failed.id),
            )
        ).all()
    assert len(events) == 1
