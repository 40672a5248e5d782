"""Writing a plan: the reminder rows brought in step with it by key, set-based.

`upsert` diffs the planned reminders against the open rows of the plan's
scope (one select, `FOR UPDATE`), and writes at most four statements: one
executemany INSERT, one executemany UPDATE and the cancelling UPDATEs of
open rows whose key is no longer planned. Rows that are sent, failed, missed
or claimed by a dispatcher are never touched. A planned reminder that is
`late` (its send day had passed when it was planned) and has no row yet gets
one with the status `missed`: logged, never claimed nor sent. Nothing here
commits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Text,
    and_,
    bindparam,
    cast,
    false,
    insert,
    or_,
    update,
)
from sqlalchemy import select as core_select
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col

from gatekeeper.core.reminders import plan as rp
from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.services.reminders.scope import EVERYTHING, Scope
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
)
from gatekeeper.store.reminders.tables import Reminder

OPEN_STATUSES = (ReminderStatus.PENDING, ReminderStatus.RETRYING, ReminderStatus.PAUSED)
_KEY_CHUNK = 500  # keys per IN (...) list


@dataclass(frozen=True)
class PlanReport:
    """What one re-planning changed."""

    created: int = 0
    updated: int = 0
    cancelled: int = 0
    paused: int = 0
    missed: int = 0  # new rows logged as missed, not to be sent


def item_subjects(scope: Scope, project_id: int) -> ColumnElement[bool]:
    """The project's items of the scope's items and gates, as a condition on `ChecklistItem`.

    Equalities rather than `IN (...)`: a scope names one item or a few gates, and
    an expanding IN costs more to bind than these to compare.
    """
    gates = scope.gates
    return and_(
        col(ChecklistItem.project_id) == project_id,
        or_(
            false(),
            *(col(ChecklistItem.id) == item for item in sorted(scope.items)),
            col(ChecklistItem.instance_id).in_(
                core_select(col(ChecklistInstance.id)).where(
                    col(ChecklistInstance.project_id) == project_id,
                    or_(false(), *(col(ChecklistInstance.gate_id) == g for g in sorted(gates))),
                )
            ),
        ),
    )


def in_scope(scope: Scope, project_id: int) -> ColumnElement[bool]:
    """The reminder rows whose subject the scope covers, as a condition on `Reminder`."""
    covered: list[ColumnElement[bool]] = []
    if scope.items or scope.gates:
        item_ids = (
            # Not correlated with the reminder row: evaluated once, not once per row.
            core_select(cast(col(ChecklistItem.id), Text))
            .where(item_subjects(scope, project_id))
            .scalar_subquery()
        )
        covered.append(
            and_(
                col(Reminder.subject_type) == "checklist_item",
                col(Reminder.subject_id).in_(item_ids),
            )
        )
    for kind, wanted in (
        ("review", scope.reviews),
        ("condition", scope.conditions),
        ("meeting", scope.meetings),
        ("communication", scope.communications),
    ):
        if wanted:
            covered.append(col(Reminder.subject_type) == kind)
    return or_(false(), *covered)


# What re-planning compares and rewrites, read as plain tuples (never ORM objects).
_COLUMNS = (
    col(Reminder.id),
    col(Reminder.key),
    col(Reminder.status),
    col(Reminder.recipient_name),
    col(Reminder.title),
    # The stored JSON text, compared with the planned details' own text: a fraction of
    # the cost of decoding every open row (see `_same_details`).
    cast(col(Reminder.details), Text).label("details"),
    col(Reminder.link),
    col(Reminder.due_at),
    col(Reminder.next_attempt_at),
)
_REFRESHABLE = (*OPEN_STATUSES, ReminderStatus.CANCELLED)
_UPDATE = (
    update(Reminder)
    .where(col(Reminder.id) == bindparam("row_id"))
    .values(
        recipient_name=bindparam("recipient_name"),
        title=bindparam("title"),
        details=bindparam("details"),
        link=bindparam("link"),
        due_at=bindparam("due_at"),
        next_attempt_at=bindparam("next_attempt_at"),
        status=bindparam("status"),
        updated_at=bindparam("updated_at"),
    )
)


def set_status(
    *,
    session: Session,
    project_id: int,
    now: datetime,
    where: Sequence[ReminderStatus],
    to: ReminderStatus,
) -> int:
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Reminder)
        .where(
            col(Reminder.project_id) == project_id,
            col(Reminder.status).in_([s.value for s in where]),
        )
        .values(status=to, updated_at=now)
    )
    return int(result.rowcount or 0)


_CANCEL = (
    update(Reminder)
    .where(col(Reminder.id) == bindparam("row_id"))
    .values(status=ReminderStatus.CANCELLED, updated_at=bindparam("cancelled_at"))
)


def _known_keys(connection: Connection, keys: list[str]) -> set[str]:
    """Those of `keys` that have a row, whatever its status (the key column alone)."""
    known: set[str] = set()
    for start in range(0, len(keys), _KEY_CHUNK):
        known.update(
            connection.execute(
                core_select(col(Reminder.key)).where(
                    col(Reminder.key).in_(keys[start : start + _KEY_CHUNK])
                )
            ).scalars()
        )
    return known


def _open_rows_and_planned_keys(
    connection: Connection, project_id: int, planned: list[rp.PlannedReminder]
) -> dict[str, Any]:
    """The project's open rows, and the rows of any other status that have a planned key."""
    rows: dict[str, Any] = {  # key -> Row of _COLUMNS
        row.key: row
        for row in connection.execute(
            core_select(*_COLUMNS)
            .where(
                col(Reminder.project_id) == project_id,
                col(Reminder.status).in_([s.value for s in OPEN_STATUSES]),
            )
            .with_for_update()
        )
    }
    # A late reminder never gets a new row nor revives a cancelled one, so only the
    # keys that could be inserted or revived are looked for among the other rows.
    keys = [p.key for p in planned if p.key not in rows and not p.late]
    for start in range(0, len(keys), _KEY_CHUNK):
        for row in connection.execute(
            core_select(*_COLUMNS)
            .where(col(Reminder.key).in_(keys[start : start + _KEY_CHUNK]))
            .with_for_update()
        ):
            rows[row.key] = row
    return rows


# The rows of a scope that names no items nor gates (a phase change's meetings, a
# decision's conditions, a review's seats), built once per kind of scope: building the
# statement cost more than running it.
_FLAG_SCOPE_ROWS: dict[Scope, Any] = {}


# The rows of one item (a reopened one): the subject named directly, built once.
_ITEM_ROWS = (
    core_select(*_COLUMNS)
    .where(
        col(Reminder.project_id) == bindparam("project_id"),
        col(Reminder.subject_type) == "checklist_item",
        col(Reminder.subject_id) == bindparam("item"),
    )
    .with_for_update()
)


def _scope_rows(scope: Scope, project_id: int) -> tuple[Any, dict[str, Any]]:
    """The statement reading a scope's rows (whatever their status), locked, and its
    parameters."""
    item = scope.single_item
    if item is not None:
        return _ITEM_ROWS, {"project_id": project_id, "item": str(item)}
    if scope.items or scope.gates:
        return (
            core_select(*_COLUMNS)
            .where(col(Reminder.project_id) == project_id, in_scope(scope, project_id))
            .with_for_update(),
            {},
        )
    statement = _FLAG_SCOPE_ROWS.get(scope)
    if statement is None:
        statement = _FLAG_SCOPE_ROWS[scope] = (
            core_select(*_COLUMNS)
            .where(col(Reminder.project_id) == bindparam("project_id"), in_scope(scope, 0))
            .with_for_update()
        )
    return statement, {"project_id": project_id}


def upsert(
    *,
    session: Session,
    project_id: int,
    planned: list[rp.PlannedReminder],
    now: datetime,
    scope: Scope = EVERYTHING,
) -> PlanReport:
    """Diff the plan against the rows (of the scope) by key; at most three set-based writes.

    Every row read here is read `FOR UPDATE` (a no-op on SQLite, where the
    write transaction holds the database): a dispatcher claiming with SKIP
    LOCKED passes over them until we commit, and one that claimed a row
    first makes us wait and then see it claimed, so a claimed row is never
    overwritten.
    """
    session.flush()
    connection = session.connection()
    logged: set[str]
    if scope.everything:
        rows = _open_rows_and_planned_keys(connection, project_id, planned)
        # A late reminder only needs to know whether it has a row at all (sent, most
        # often): it never revives one, and without one it is logged as missed.
        logged = _known_keys(connection, [p.key for p in planned if p.late and p.key not in rows])
    else:
        # A scope's rows are few: all of them, whatever their status, in one select
        # (no list of keys to look up, which costs more than the rows themselves).
        rows = {row.key: row for row in connection.execute(*_scope_rows(scope, project_id))}
        logged = set()
    inserts: list[dict[str, Any]] = []
    missed = 0
    updates: list[dict[str, Any]] = []
    wanted: set[str] = set()
    for reminder in planned:
        wanted.add(reminder.key)
        found = rows.get(reminder.key)
        if found is None:
            if not reminder.late:
                inserts.append(_new_row(project_id, reminder, now))
            elif reminder.key not in logged:
                inserts.append(_new_row(project_id, reminder, now, ReminderStatus.MISSED))
                missed += 1
        elif found.status in _REFRESHABLE:
            if found.status is ReminderStatus.CANCELLED and reminder.late:
                continue
            change = _refresh(found, reminder, now)
            if change is not None:
                updates.append(change)
    obsolete = [
        row.id for key, row in rows.items() if key not in wanted and row.status in OPEN_STATUSES
    ]
    if inserts:
        connection.execute(insert(Reminder), inserts)
    if updates:
        connection.execute(_UPDATE, updates)
    if obsolete:
        connection.execute(
            _CANCEL, [{"row_id": row_id, "cancelled_at": now} for row_id in obsolete]
        )
    return PlanReport(
        created=len(inserts) - missed,
        updated=len(updates),
        cancelled=len(obsolete),
        missed=missed,
    )


def _new_row(
    project_id: int,
    reminder: rp.PlannedReminder,
    now: datetime,
    status: ReminderStatus = ReminderStatus.PENDING,
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "key": reminder.key,
        "kind": ReminderKind(reminder.kind),
        "recipient_email": reminder.recipient_email,
        "recipient_name": reminder.recipient_name,
        "subject_type": reminder.subject_type,
        "subject_id": reminder.subject_id,
        "title": reminder.title,
        "details": reminder.details,
        "link": reminder.link,
        "due_at": reminder.due_at,
        "status": status,
        "attempts": 0,
        "next_attempt_at": reminder.due_at,
        "claimed_by": None,
        "claimed_until": None,
        "sent_at": None,
        "last_error": None,
        "channels": [],
        "created_at": now,
        "updated_at": now,
    }


def _same_details(stored: str | None, planned: dict[str, Any]) -> bool:
    """Whether a row's stored details (JSON text) are the planned ones.

    The text is written by `json.dumps` (SQLAlchemy's and psycopg's default), so
    an unchanged row nearly always matches it verbatim; otherwise the values
    are compared, so a difference in spelling alone changes nothing.
    """
    if stored is None:
        return False
    return stored == json.dumps(planned) or json.loads(stored) == planned


def _refresh(row: Row[Any], reminder: rp.PlannedReminder, now: datetime) -> dict[str, Any] | None:
    """The row's values as planned now (parameters of `_UPDATE`), or None if unchanged."""
    status: ReminderStatus = row.status
    next_attempt_at: datetime = row.next_attempt_at
    changed = (
        row.recipient_name != reminder.recipient_name
        or row.title != reminder.title
        or row.link != reminder.link
        or not _same_details(row.details, reminder.details)
    )
    if row.due_at != reminder.due_at:
        if status is not ReminderStatus.RETRYING:
            next_attempt_at = reminder.due_at
        changed = True
    if status in (ReminderStatus.PAUSED, ReminderStatus.CANCELLED):
        status = ReminderStatus.PENDING
        next_attempt_at = reminder.due_at
        changed = True
    if not changed:
        return None
    return {
        "row_id": row.id,
        "recipient_name": reminder.recipient_name,
        "title": reminder.title,
        "details": reminder.details,
        "link": reminder.link,
        "due_at": reminder.due_at,
        "next_attempt_at": next_attempt_at,
        "status": status,
        "updated_at": now,
    }
