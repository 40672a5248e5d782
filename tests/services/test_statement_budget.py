"""A checklist tick through the service layer issues at most a budgeted number of SQL
statements, counted with the engine's `before_cursor_execute` event (a count, never a
time): the lean write path of issue 14 is held here.

The budgets are what the tick reaches now (it issued 11 statements ticking and 14.6
reopening before the lean path, then 7 and 11):

- tick (open → done, with evidence), 7 on SQLite: BEGIN IMMEDIATE; one SELECT of the
  project and the item, both locked, with the ticker's roles, admin flag and whether
  anyone subscribes to the project's webhooks (`tick_right.item_to_tick`); the item's
  UPDATE; the audit chain's three (head locked, event inserted, head moved on); the one
  UPDATE cancelling the item's own open reminders. No webhook query: the lookup said
  nobody subscribes.
- reopen (done → open), 10 on SQLite: the same lookup, UPDATE and audit chain; the
  lapse check (a go decided on the item?); the re-planning of the item's own reminders
  (one SELECT of the item, if it is reminded at all, with the project's members, its
  recipients; its existing reminders; one UPDATE reviving those the tick cancelled;
  nothing of the rest of the project). An item with nothing left to remind of (its
  deadline long gone) needs neither read nor revival: one UPDATE cancels its open
  reminders, 9 in all.
- an item without a deadline (none of the shipped IBIC items, but a checklist may leave
  `due` out) has no reminders: its tick is 6 on SQLite and no statement of either tick
  touches the reminders.

PostgreSQL has no explicit BEGIN statement (the driver opens the transaction), so its
budgets are one less. A change that adds a statement to the tick must say here why.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ItemStatus, ReminderStatus
from gatekeeper.definitions import load_catalog, shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates.readiness import GateItem
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import project as projects
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.database import Database
from gatekeeper.store.reminders.tables import Reminder
from tests.factories import IBIC_MEMBERS, IBIC_TARGETS, PROJEKTLEDARE, start_ibic
from tests.statement_count import budget as _budget
from tests.statement_count import counted as _counted

TICK_BUDGET = 7
REOPEN_BUDGET = 10
EVIDENCE = "https://intranat.alingsas.se/ibic/utbildningsplan-hemtjanst.pdf"


def _events(ctx: Context) -> int:
    with ctx.db.read() as session:
        return len(session.exec(select(AuditEvent.seq)).all())


@pytest.mark.parametrize("which", ["first", "due last"])
def test_a_tick_and_a_reopen_stay_within_their_statement_budgets(ctx: Context, which: str) -> None:
    """The gate's first item (its deadline long gone: nothing left to remind of) and the
    one due last (reminders still to come, cancelled by the tick and revived)."""
    start_ibic(ctx)
    items = gates.gate_readiness(ctx, "ibic-alingsas", "go-live").items
    item = items[0] if which == "first" else max(items, key=lambda i: i.row.due_offset_days or 0)
    pending = _reminder_keys(ctx, item.row.id, ReminderStatus.PENDING)
    assert bool(pending) is (which == "due last")

    before = _events(ctx)
    ticked = _tick(ctx, item, ItemStatus.DONE)
    assert len(ticked) <= _budget(ctx, TICK_BUDGET), "\n".join(ticked)
    reopened = _tick(ctx, item, ItemStatus.OPEN)
    assert len(reopened) <= _budget(ctx, REOPEN_BUDGET), "\n".join(reopened)

    # The lean path still did everything a tick does: two audit events, the item open
    # again at version 3, its reminders planned again.
    assert _events(ctx) == before + 2
    after = gates.gate_readiness(ctx, "ibic-alingsas", "go-live").items
    row = next(i.row for i in after if i.row.id == item.row.id)
    assert row.status is ItemStatus.OPEN
    assert row.row_version == item.row.row_version + 2
    assert any("reminder" in statement for statement in reopened)
    assert _reminder_keys(ctx, item.row.id, ReminderStatus.PENDING) == pending


def _tick(ctx: Context, item: GateItem, status: ItemStatus) -> list[str]:
    """Tick (or reopen) `item` as the projektledare; the statements it ran."""
    with _counted(ctx) as statements:
        checklists.update_item(
            ctx,
            PROJEKTLEDARE,
            project_key="ibic-alingsas",
            gate_id="go-live",
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=status,
            evidence=EVIDENCE,
        )
    return statements


def _reminder_keys(
    ctx: Context, item_row: int | None, status: ReminderStatus | None = None
) -> list[str]:
    """The keys of the item's reminders (those with `status`, when given)."""
    query = select(Reminder.key).where(
        Reminder.subject_type == "checklist_item", Reminder.subject_id == str(item_row)
    )
    if status is not None:
        query = query.where(Reminder.status == status)
    with ctx.db.read() as session:
        return list(session.exec(query.order_by(Reminder.key)).all())


def test_ticking_an_item_without_a_deadline_is_no_reminder_work(
    database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    """An item with no deadline never has reminders: ticking and reopening it run no
    reminder statement at all (and, reopened, plan none)."""
    source = (shipped_checklists_dir() / "cutover.yaml").read_text(encoding="utf-8")
    source = source.replace("version: 1\n", "version: 2\n", 1)
    source = re.sub(r"^    due: .*\n", "", source, flags=re.MULTILINE)
    (tmp_path / "cutover.yaml").write_text(source, encoding="utf-8")
    catalog = load_catalog([shipped_workflows_dir()], [shipped_checklists_dir(), tmp_path])
    ctx = Context(db=database, catalog=catalog, clock=clock)
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="ibic-alingsas",
        name="Införande av IBIC",
        workflow_id="inforande",
        started_on=date(2026, 9, 1),
        gate_targets=IBIC_TARGETS,
        members=IBIC_MEMBERS,
    )
    items = gates.gate_readiness(ctx, "ibic-alingsas", "go-live").items
    item = next(i for i in items if i.checklist_id == "cutover")
    assert item.row.due_offset_days is None
    reminders_before = _reminder_keys(ctx, item.row.id)

    ticked = _tick(ctx, item, ItemStatus.DONE)
    reopened = _tick(ctx, item, ItemStatus.OPEN)
    assert not [s for s in ticked + reopened if "reminder" in s]
    assert len(ticked) <= _budget(ctx, TICK_BUDGET - 1), "\n".join(ticked)
    assert reminders_before == _reminder_keys(ctx, item.row.id) == []
