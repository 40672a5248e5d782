"""The in-app inbox on SQLite and PostgreSQL: own messages only, unread first, marking read.

Reminder and inbox rows are made directly here (`add_reminder`, `add_message`),
as the dispatcher would, so that these tests need neither planner nor dispatcher.
"""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ProjectStatus, ReminderKind, ReminderStatus
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.services.reminders import inbox
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.reminders.tables import InboxMessage, Reminder
from tests.factories import PROJEKTLEDARE, start_ibic

KEY = "ibic-alingsas"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"


def add_reminder(
    ctx: Context,
    project_key: str = KEY,
    *,
    email: str = ANITA,
    name: str = "Anita Lindqvist",
    title: str = "Om 14 dagar: Utbildningsplan klar – Införande av IBIC",
    status: ReminderStatus = ReminderStatus.SENT,
    kind: ReminderKind = ReminderKind.DEADLINE,
    attempts: int = 0,
    last_error: str | None = None,
    due_at: datetime | None = None,
) -> Reminder:
    """A reminder row as the planner and dispatcher leave it (a unique key of its own)."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = session.exec(select(Project).where(Project.key == project_key)).one()
        assert project.id is not None
        reminder = Reminder(
            project_id=project.id,
            key=f"test:{uuid.uuid4().hex}",
            kind=kind,
            recipient_email=email,
            recipient_name=name,
            subject_type="checklist_item",
            subject_id="1",
            title=title,
            details={"project_key": project_key, "lines": ["Utbildningsplanen ska vara klar."]},
            link=f"/projects/{project_key}/gates/forstudie-klar",
            due_at=due_at or now,
            status=status,
            attempts=attempts,
            next_attempt_at=due_at or now,
            sent_at=now if status is ReminderStatus.SENT else None,
            last_error=last_error,
            channels=["inbox"] if status is ReminderStatus.SENT else [],
            created_at=now,
            updated_at=now,
        )
        session.add(reminder)
        session.flush()
        return reminder


def add_message(
    ctx: Context,
    project_key: str = KEY,
    *,
    email: str = ANITA,
    title: str = "Om 14 dagar: Utbildningsplan klar – Införande av IBIC",
    at: datetime | None = None,
) -> InboxMessage:
    """A sent reminder and its inbox copy for `email`."""
    reminder = add_reminder(ctx, project_key, email=email, title=title)
    assert reminder.id is not None
    with ctx.db.write() as session:
        message = InboxMessage(
            reminder_id=reminder.id,
            project_id=reminder.project_id,
            recipient_email=email,
            title=title,
            body="Utbildningsplanen ska vara klar.\nSe grinden Förstudie klar.",
            link=reminder.link,
            created_at=at or ctx.clock.now(),
        )
        session.add(message)
        session.flush()
        return message


def start_lerum(ctx: Context) -> Project:
    """A second project in which Anita is not a member (Lars is)."""
    return projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="ibic-lerum",
        name="Införande av IBIC i Lerum",
        workflow_id="inforande",
        started_on=date(2026, 10, 1),
        gate_targets={"forstudie-klar": date(2027, 1, 29), "go-live": date(2027, 11, 1)},
        members=(
            projects.MemberSpec("Lars Carlsson", LARS, "projektledare"),
            projects.MemberSpec("Eva Ek", "eva.ek@lerum.se", "styrgrupp"),
        ),
    )


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    return ctx


def test_a_person_sees_their_own_messages_unread_first_then_newest(
    ibic: Context, clock: FixedClock
) -> None:
    oldest = add_message(ibic, title="Första")
    clock.advance(timedelta(hours=1))
    middle = add_message(ibic, title="Andra")
    clock.advance(timedelta(hours=1))
    newest = add_message(ibic, title="Tredje")
    add_message(ibic, email=LARS, title="Lars påminnelse")
    assert newest.id is not None
    inbox.mark_read(ibic, ANITA, newest.id)

    entries = inbox.messages(ibic, ANITA)

    assert [e.message.title for e in entries] == ["Andra", "Första", "Tredje"]
    assert [e.unread for e in entries] == [True, True, False]
    assert {e.project_key for e in entries} == {KEY}
    assert entries[0].project_name == "Införande av IBIC"
    assert inbox.unread_count(ibic, ANITA) == 2
    assert inbox.unread_count(ibic, LARS) == 1
    assert [e.message.id for e in inbox.messages(ibic, ANITA, unread_only=True)] == [
        middle.id,
        oldest.id,
    ]


def test_marking_read_keeps_the_first_time(ibic: Context, clock: FixedClock) -> None:
    message = add_message(ibic)
    assert message.id is not None
    first = inbox.mark_read(ibic, ANITA, message.id)
    clock.advance(timedelta(minutes=5))

    again = inbox.mark_read(ibic, ANITA, message.id)

    assert first.message.read_at == again.message.read_at == ibic.clock.now() - timedelta(minutes=5)
    assert inbox.unread_count(ibic, ANITA) == 0


def test_someone_elses_message_is_not_found_and_stays_unread(ibic: Context) -> None:
    theirs = add_message(ibic, email=LARS)
    assert theirs.id is not None

    with pytest.raises(NotFound, match="finns inte i din inkorg"):
        inbox.mark_read(ibic, ANITA, theirs.id)
    with pytest.raises(NotFound):
        inbox.mark_read(ibic, ANITA, 999_999)

    assert inbox.unread_count(ibic, LARS) == 1


def test_mark_all_read_touches_only_the_persons_unread_messages(ibic: Context) -> None:
    for _ in range(3):
        add_message(ibic)
    add_message(ibic, email=LARS)

    assert inbox.mark_all_read(ibic, ANITA) == 3
    assert inbox.mark_all_read(ibic, ANITA) == 0
    assert inbox.unread_count(ibic, ANITA) == 0
    assert inbox.unread_count(ibic, LARS) == 1


def test_a_caller_limited_to_some_projects_sees_only_theirs(ibic: Context) -> None:
    start_lerum(ibic)
    add_message(ibic, email=LARS, title="Alingsås")
    lerum = add_message(ibic, "ibic-lerum", email=LARS, title="Lerum")
    assert lerum.id is not None

    limited = inbox.messages(ibic, LARS, projects={KEY})

    assert [e.message.title for e in limited] == ["Alingsås"]
    assert inbox.unread_count(ibic, LARS, projects={KEY}) == 1
    with pytest.raises(NotFound):
        inbox.mark_read(ibic, LARS, lerum.id, projects={KEY})
    assert inbox.mark_all_read(ibic, LARS, projects={KEY}) == 1
    assert inbox.unread_count(ibic, LARS) == 1  # Lerum's is still unread


def test_e_mail_addresses_are_matched_without_case(ibic: Context) -> None:
    add_message(ibic)

    assert inbox.unread_count(ibic, "Anita.Lindqvist@Alingsas.se ") == 1


def test_two_people_marking_all_read_at_once_count_each_message_once(ibic: Context) -> None:
    for _ in range(10):
        add_message(ibic)
    counts: list[int] = []

    def mark() -> None:
        counts.append(inbox.mark_all_read(ibic, ANITA))

    threads = [threading.Thread(target=mark) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == [0, 10]


def test_messages_of_a_paused_project_stay_readable(ibic: Context) -> None:
    add_message(ibic)
    with ibic.db.write() as session:
        project = session.exec(select(Project).where(Project.key == KEY)).one()
        project.status = ProjectStatus.ON_HOLD
        session.add(project)

    assert len(inbox.messages(ibic, ANITA)) == 1
