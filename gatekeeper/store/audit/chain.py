"""The audit chain: append-only, hash-chained events, and the checks on it.

Each event's hash is SHA-256 over a canonical JSON form of its fields and the
previous event's hash, so altering, deleting or inserting an event breaks the
chain at that point. A plain chain cannot see a cut-off tail (delete the last
events and rewrite the head), nor a chain rebuilt from scratch, so
`write_checkpoint` signs the head with a key kept outside the database, and
`verify_chain(..., checkpoint=...)` holds the chain to it.

`record` runs inside the caller's transaction: the change and its event
commit together or not at all. Only the change recorder
(`gatekeeper.services.change.record`) calls it; the recorder adds the event's
webhook deliveries (`outbox.enqueue`) in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.store.audit.tables import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
HEAD_ID = 1


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def _json_safe(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Before/after values as they will read back from a JSON column."""
    if value is None:
        return None
    loaded: dict[str, Any] = json.loads(_canonical(dict(value)))
    return loaded


def event_hash(event: AuditEvent) -> str:
    """The hash an event must carry, given its fields and `prev_hash`."""
    body = {
        "seq": event.seq,
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
    return hashlib.sha256(_canonical(body)).hexdigest()


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
    """Append one event to the chain within the caller's transaction."""
    head = session.exec(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).one_or_none()
    if head is None:  # a database migrated before the head row existed
        head = AuditHead(id=HEAD_ID, count=0, hash=GENESIS_HASH)
        session.add(head)
    event = AuditEvent(
        seq=head.count + 1,
        at=at.replace(microsecond=at.microsecond),
        actor=actor,
        action=str(action),
        project_id=project_id,
        object_type=object_type,
        object_id=str(object_id),
        before=_json_safe(before),
        after=_json_safe(after),
        prev_hash=head.hash,
        hash="",
    )
    event.hash = event_hash(event)
    head.count = event.seq
    head.hash = event.hash
    session.add(event)
    session.add(head)
    session.flush()
    return event


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the chain's length and last hash at a moment."""

    count: int
    hash: str
    at: str
    signature: str

    def payload(self) -> bytes:
        return f"{self.count}:{self.hash}:{self.at}".encode()


def sign_checkpoint(count: int, head_hash: str, at: datetime, key: bytes) -> Checkpoint:
    stamp = at.isoformat(timespec="seconds")
    unsigned = Checkpoint(count, head_hash, stamp, "")
    signature = hmac.new(key, unsigned.payload(), hashlib.sha256).hexdigest()
    return Checkpoint(count, head_hash, stamp, signature)


def write_checkpoint(*, session: Session, path: Path, key: bytes, at: datetime) -> Checkpoint:
    """Write the current chain head, signed with `key`, to `path` (JSON)."""
    head = session.get(AuditHead, HEAD_ID)
    count, head_hash = (head.count, head.hash) if head else (0, GENESIS_HASH)
    checkpoint = sign_checkpoint(count, head_hash, at, key)
    path.write_text(json.dumps(checkpoint.__dict__, indent=2) + "\n", encoding="utf-8")
    return checkpoint


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read or whose signature is wrong."""


def read_checkpoint(path: Path, key: bytes) -> Checkpoint:
    """Read and authenticate a checkpoint file; raise CheckpointError if it is not genuine."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        checkpoint = Checkpoint(
            count=int(raw["count"]),
            hash=str(raw["hash"]),
            at=str(raw["at"]),
            signature=str(raw["signature"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"{path}: not a readable audit checkpoint ({error})") from None
    expected = hmac.new(key, checkpoint.payload(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, checkpoint.signature):
        raise CheckpointError(
            f"{path}: the checkpoint's signature does not match: the file was altered "
            "or signed with another key"
        )
    return checkpoint


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: ok, or the first broken event and why."""

    ok: bool
    count: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None


def _events(session: Session, batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.exec(
            select(AuditEvent)
            .where(AuditEvent.seq > last)
            .order_by(col(AuditEvent.seq))
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify_chain(*, session: Session, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Walk the whole chain and name the first event that was altered, deleted or inserted."""
    expected_seq = 1
    previous = GENESIS_HASH
    hash_at_checkpoint: str | None = None

    def broken(seq: int, problem: str) -> ChainReport:
        return ChainReport(False, expected_seq - 1, previous, seq, problem)

    for event in _events(session):
        if event.seq != expected_seq:
            missing = (
                f"event {expected_seq}"
                if event.seq == expected_seq + 1
                else f"events {expected_seq}–{event.seq - 1}"
            )
            return broken(expected_seq, f"{missing} missing: deleted from the chain")
        if event.prev_hash != previous:
            return broken(
                event.seq,
                f"event {event.seq} does not link to event {event.seq - 1}: an event "
                "before it was deleted, inserted or replaced",
            )
        if event_hash(event) != event.hash:
            return broken(event.seq, f"event {event.seq} was altered after it was written")
        previous = event.hash
        if checkpoint is not None and event.seq == checkpoint.count:
            hash_at_checkpoint = event.hash
        expected_seq += 1
    count = expected_seq - 1

    head = session.get(AuditHead, HEAD_ID)
    if head is not None and (head.count, head.hash) != (count, previous):
        if head.count > count:
            return broken(
                count + 1,
                f"the chain ends at event {count} but its head records {head.count} events: "
                "the newest events were deleted",
            )
        return broken(count, "the chain head does not match the last event: the head was altered")
    if checkpoint is not None:
        if count < checkpoint.count:
            return ChainReport(
                False,
                count,
                previous,
                count + 1,
                f"the checkpoint of {checkpoint.at} vouches for {checkpoint.count} events but "
                f"only {count} remain: the chain was cut off after event {count}",
            )
        if hash_at_checkpoint != checkpoint.hash:
            return ChainReport(
                False,
                count,
                previous,
                checkpoint.count,
                f"event {checkpoint.count} differs from the checkpoint of {checkpoint.at}: "
                "the chain was rewritten",
            )
    return ChainReport(True, count, previous)
