"""A project entered after the fact: its days gone by are logged as missed, never mailed.

Alingsås enters its IBIC project on 25 November 2026 although it started in
March and its förstudie was due on 20 November. The reminders whose day had
passed are rows with the status `missed` (in the log and the API); those due
today go out; the dispatcher — in this process or in two at once — never
claims a missed one, and planning again adds none.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from gatekeeper.channels.recording import RecordingChannel
from gatekeeper.core.status import ReminderStatus
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.services.reminders import dispatch as reminder_dispatch
from gatekeeper.services.reminders import log as reminder_log
from gatekeeper.services.reminders.planning import PlanReport, replan_project
from gatekeeper.store.reminders.tables import Reminder
from tests.factories import IBIC_MEMBERS, PROJEKTLEDARE

ROOT = Path(__file__).resolve().parents[2]
KEY = "ibic-alingsas"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 11, 25)  # the fixed clock's day (DEMO_NOW)
PAST_TARGETS = {
    "forstudie-klar": date(2026, 11, 20),  # five days ago
    "beslut-om-genomforande": date(2026, 12, 10),
    "go-live": date(2027, 9, 1),
    "driftoverlamning-godkand": date(2027, 12, 1),
}


@pytest.fixture
def entered_late(ctx: Context) -> Iterator[None]:
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=KEY,
        name="Införande av IBIC",
        workflow_id="inforande",
        organisation="Vård- och omsorgsförvaltningen, Alingsås kommun",
        started_on=date(2026, 3, 2),
        gate_targets=PAST_TARGETS,
        members=IBIC_MEMBERS,
    )
    yield


def rows(ctx: Context, status: ReminderStatus | None = None) -> list[Reminder]:
    with ctx.db.read() as session:
        statement = select(Reminder).order_by(col(Reminder.id))
        if status is not None:
            statement = statement.where(Reminder.status == status)
        return list(session.exec(statement).all())


def local_day(row: Reminder) -> date:
    return row.due_at.astimezone(STOCKHOLM).date()


def test_days_gone_by_are_missed_and_the_rest_planned(ctx: Context, entered_late: None) -> None:
    missed = rows(ctx, ReminderStatus.MISSED)
    pending = rows(ctx, ReminderStatus.PENDING)
    assert missed and pending
    assert all(local_day(r) < TODAY for r in missed)
    assert all(local_day(r) >= TODAY for r in pending)
    # The förstudie's items were due on 20 November: their escalation so far is missed.
    assert any(r.kind == "overdue" for r in missed)
    # Planning again (the daily job) adds nothing and changes none of them.
    assert replan_project(ctx, KEY) == PlanReport()
    assert [r.id for r in rows(ctx, ReminderStatus.MISSED)] == [r.id for r in missed]


def test_the_dispatcher_sends_todays_and_never_a_missed_one(
    ctx: Context, entered_late: None
) -> None:
    missed = {r.id for r in rows(ctx, ReminderStatus.MISSED)}
    channel = RecordingChannel()
    report = reminder_dispatch.dispatch_due(ctx, worker="test", channels=[channel])
    sent = rows(ctx, ReminderStatus.SENT)
    assert report.sent == len(sent) > 0
    assert all(local_day(r) == TODAY for r in sent)
    assert not missed & {n.reminder_id for n in channel.notices}
    assert {r.id for r in rows(ctx, ReminderStatus.MISSED)} == missed


def test_two_dispatcher_processes_claim_no_missed_reminder(
    ctx: Context, entered_late: None, database_url: str, tmp_path: Path
) -> None:
    missed = {r.id for r in rows(ctx, ReminderStatus.MISSED)}
    assert missed
    outs = [tmp_path / "first.ids", tmp_path / "second.ids"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reminder_worker", database_url, str(out)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    try:
        for process in processes:
            _, stderr = process.communicate(timeout=240)
            assert process.returncode == 0, stderr
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    delivered = [id_ for out in outs for id_ in RecordingChannel.read_ids(out)]
    assert not missed & set(delivered)
    assert len(delivered) == len(set(delivered))  # and what was sent, once
    assert {r.id for r in rows(ctx, ReminderStatus.MISSED)} == missed


def test_the_log_and_the_api_show_them_as_missed(ctx: Context, entered_late: None) -> None:
    listed, _more = reminder_log.list_reminders(ctx, KEY, status=ReminderStatus.MISSED, limit=500)
    assert {r.id for r in listed} == {r.id for r in rows(ctx, ReminderStatus.MISSED)}
    with ctx.db.read() as session:
        project = reminder_log.project_by_key(session=session, key=KEY)
        section = reminder_log.reminder_section_in(
            session=session, project=project, viewer="anita.lindqvist@alingsas.se"
        )
    assert section.missed_count == len(listed)
    assert section.missed and all(r.status is ReminderStatus.MISSED for r in section.missed)
    assert section.missed[0].due_at >= section.missed[-1].due_at  # the latest first
