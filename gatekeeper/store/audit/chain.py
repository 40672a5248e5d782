"""The audit chains: append-only, hash-chained events, one chain per project.

Each event's hash is SHA-256 over a canonical JSON form of its fields, its
chain and place in it, and the previous event's hash in that chain, so
altering, deleting, inserting or moving an event breaks its chain at that
point (`gatekeeper.store.audit.verify`). A chain alone cannot see a cut-off
tail (delete the last events and rewind the head), a chain deleted whole, nor
one rebuilt from scratch, so a checkpoint signs every chain's head with a key
kept outside the database (`gatekeeper.store.audit.checkpoint`).

Events of a project go on the chain `project:<id>`, events outside any project
on `global`; `legacy` is the single chain of a database written before chains
were split (migration 0021), kept as it was and verified as before: nothing
appends to it. A writer locks only its chain's head, so two projects' changes
do not queue on one row.

`record` runs inside the caller's transaction: the change and its event
commit together or not at all. Only the change recorder
(`gatekeeper.services.change.record`) calls it; the recorder adds the event's
webhook deliveries (`outbox.enqueue`) in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from gatekeeper.store.audit.tables import AuditEvent, ChainHead

GENESIS_HASH = "0" * 64
GLOBAL = "global"
LEGACY = "legacy"
PROJECT_PREFIX = "project:"


def chain_of(project_id: int | None) -> str:
    """The chain an event of the project (None: of no project) goes on."""
    return GLOBAL if project_id is None else f"{PROJECT_PREFIX}{project_id}"


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def _json_safe(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Before/after values as they will read back from a JSON column."""
    if value is None:
        return None
    loaded: dict[str, Any] = json.loads(canonical(dict(value)))
    return loaded


def event_hash(event: AuditEvent) -> str:
    """The hash an event must carry, given its fields, its chain and `prev_hash`.

    A `legacy` event is hashed as every event was before the split (its place in
    the one chain was its `seq`), so the split rewrote no hash."""
    body: dict[str, Any] = {
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "project_id": event.project_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    if event.chain == LEGACY:
        body["seq"] = event.chain_seq
    else:
        body["chain"] = event.chain
        body["chain_seq"] = event.chain_seq
    return hashlib.sha256(canonical(body)).hexdigest()


# Per write session (one transaction, see `Database.write`): the heads this transaction
# has locked, as [count, hash], so that its later events on a chain read no row.
_LOCKED_HEADS = "gatekeeper.audit.locked_heads"

_EVENTS: Table = AuditEvent.__table__  # type: ignore[attr-defined]
_HEADS: Table = ChainHead.__table__  # type: ignore[attr-defined]


def _locked_head(session: Session, chain: str) -> list[Any]:
    """The chain's head as [count, hash], locked until the transaction ends; the row is
    made on the chain's first event. Read once per transaction: its later events on
    the chain keep it here (nothing else writes a head).

    Two writers making the same new chain at once: the second one's insert waits for
    the first to commit and then does nothing, and both lock the one row."""
    transaction = session.get_transaction()
    kept = session.info.get(_LOCKED_HEADS)
    if kept is None or kept[0] is not transaction:
        kept = session.info[_LOCKED_HEADS] = (transaction, {})
    heads: dict[str, list[Any]] = kept[1]
    head = heads.get(chain)
    if head is not None:
        return head
    connection = session.connection()
    locking = (
        select(_HEADS.c["count"], _HEADS.c.hash).where(_HEADS.c.chain == chain).with_for_update()
    )
    row = connection.execute(locking).one_or_none()
    if row is None:
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        connection.execute(
            dialect.insert(_HEADS)
            .values(chain=chain, count=0, hash=GENESIS_HASH)
            .on_conflict_do_nothing(index_elements=["chain"])
        )
        row = connection.execute(locking).one()
    head = heads[chain] = [row[0], row[1]]
    return head


def record(
    *,
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    project_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to its chain within the caller's transaction.

    Written with two Core statements (the event, the head), not through the ORM:
    the returned event, with its `seq`, is not in the session."""
    chain = chain_of(project_id)
    head = _locked_head(session, chain)
    event = AuditEvent(
        chain=chain,
        chain_seq=head[0] + 1,
        at=at,
        actor=actor,
        action=str(action),
        project_id=project_id,
        object_type=object_type,
        object_id=str(object_id),
        before=_json_safe(before),
        after=_json_safe(after),
        prev_hash=head[1],
        hash="",
    )
    event.hash = event_hash(event)
    connection = session.connection()
    inserted = connection.execute(
        insert(_EVENTS).values(
            chain=chain,
            chain_seq=event.chain_seq,
            at=event.at,
            actor=event.actor,
            action=event.action,
            project_id=project_id,
            object_type=event.object_type,
            object_id=event.object_id,
            before=event.before,
            after=event.after,
            prev_hash=event.prev_hash,
            hash=event.hash,
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    event.seq = key[0]
    connection.execute(
        update(_HEADS).where(_HEADS.c.chain == chain).values(count=event.chain_seq, hash=event.hash)
    )
    head[0], head[1] = event.chain_seq, event.hash
    return event
