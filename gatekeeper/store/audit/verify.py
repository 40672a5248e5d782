"""Walking the audit chains: the first event altered, deleted, inserted or moved.

Every chain is walked in order of its `chain_seq`: each event must follow the
one before it without a gap, link to its hash, hash to what it carries, and
stand later in the log (`seq`) than the one before it. Each chain must end
where its head says, and, given a checkpoint, hold at least the events the
checkpoint vouches for, ending in the same hashes: a chain cut short, deleted
whole or rebuilt is caught there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from gatekeeper.core.status import ChainBreak
from gatekeeper.store.audit.chain import GENESIS_HASH, event_hash
from gatekeeper.store.audit.checkpoint import Checkpoint, Heads, current_heads, fingerprint
from gatekeeper.store.audit.tables import AuditEvent


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chains` found: ok, or the first broken chain, where and why."""

    ok: bool
    count: int  # events walked, over every chain
    chains: int
    fingerprint: str  # over every chain's (count, last hash) as walked
    chain: str | None = None
    position: int | None = None  # the first bad event's place in its chain
    first_bad_seq: int | None = None  # its number in the log, when it is there
    problem: str | None = None  # why, in English (the command line's words)
    kind: ChainBreak | None = None  # why, for a page to say in its reader's language
    details: tuple[tuple[str, object], ...] = ()  # the figures `problem` names, by name


class _Broken(Exception):
    def __init__(
        self,
        chain: str,
        position: int,
        problem: str,
        seq: int | None = None,
        *,
        kind: ChainBreak,
        **details: object,
    ) -> None:
        super().__init__(problem)
        self.chain, self.position, self.problem, self.seq = chain, position, problem, seq
        self.kind, self.details = kind, tuple(details.items())


def _events(session: Session, batch: int = 2000) -> Iterator[AuditEvent]:
    """Every event, chain by chain, in the order of each chain."""
    order = (col(AuditEvent.chain), col(AuditEvent.chain_seq))
    statement = select(AuditEvent).order_by(*order).limit(batch)
    rows = session.exec(statement).all()
    while rows:
        yield from rows
        last = (rows[-1].chain, rows[-1].chain_seq)
        session.expunge_all()
        rows = session.exec(statement.where(tuple_(*order) > tuple_(*last))).all()


@dataclass
class _Walk:
    """One chain as far as it has been walked."""

    chain: str
    count: int = 0
    hash: str = GENESIS_HASH
    seq: int = 0
    at_checkpoint: str | None = None

    def step(self, event: AuditEvent, vouched: int) -> None:
        expected = self.count + 1
        if event.chain_seq != expected:
            missing = (
                f"event {expected}"
                if event.chain_seq == expected + 1
                else f"events {expected}–{event.chain_seq - 1}"
            )
            raise _Broken(
                self.chain,
                expected,
                f"{missing} missing: deleted from the chain",
                kind=ChainBreak.MISSING,
                first=expected,
                last=event.chain_seq - 1,
            )
        if event.prev_hash != self.hash:
            raise _Broken(
                self.chain,
                expected,
                f"event {expected} does not link to event {expected - 1}: an event "
                "before it was deleted, inserted or replaced",
                event.seq,
                kind=ChainBreak.UNLINKED,
                event=expected,
                previous=expected - 1,
            )
        if event_hash(event) != event.hash:
            raise _Broken(
                self.chain,
                expected,
                f"event {expected} (#{event.seq} in the log) was altered after it was written",
                event.seq,
                kind=ChainBreak.ALTERED,
                event=expected,
                number=event.seq,
            )
        if (event.seq or 0) <= self.seq:
            raise _Broken(
                self.chain,
                expected,
                f"event {expected} (#{event.seq} in the log) is numbered before event "
                f"{expected - 1} (#{self.seq}): the log was reordered",
                event.seq,
                kind=ChainBreak.REORDERED,
                event=expected,
                number=event.seq,
                previous=expected - 1,
                previous_number=self.seq,
            )
        self.count, self.hash, self.seq = expected, event.hash, event.seq or 0
        if expected == vouched:
            self.at_checkpoint = event.hash

    def close(self, head: tuple[int, str] | None, checkpoint: Checkpoint | None) -> None:
        """The chain's end against its head and the checkpoint."""
        count, chain = self.count, self.chain
        if head is None and count:
            raise _Broken(
                chain,
                count,
                f"the chain has {count} events but no head: it was deleted",
                kind=ChainBreak.NO_HEAD,
                count=count,
            )
        if head is not None and head != (count, self.hash):
            if head[0] > count:
                lost = "every event was" if not count else "the newest events were"
                raise _Broken(
                    chain,
                    count + 1,
                    f"the chain ends at event {count} but its head records {head[0]} events: "
                    f"{lost} deleted",
                    kind=ChainBreak.TAIL_CUT,
                    count=count,
                    recorded=head[0],
                )
            raise _Broken(
                chain,
                count,
                "the chain head does not match the last event: the head was altered",
                kind=ChainBreak.HEAD_ALTERED,
            )
        if checkpoint is None or chain not in checkpoint.chains:
            return
        vouched, vouched_hash = checkpoint.chains[chain]
        if count < vouched:
            vouches = f"the checkpoint of {checkpoint.at} vouches for {vouched} events but"
            if not count and head is None:
                raise _Broken(
                    chain,
                    count + 1,
                    f"{vouches} the chain is gone: it was deleted whole",
                    kind=ChainBreak.CHECKPOINT_GONE,
                    at=checkpoint.at,
                    vouched=vouched,
                )
            raise _Broken(
                chain,
                count + 1,
                f"{vouches} only {count} remain: the chain was cut off after event {count}",
                kind=ChainBreak.CHECKPOINT_SHORT,
                at=checkpoint.at,
                vouched=vouched,
                count=count,
            )
        if self.at_checkpoint != vouched_hash:
            raise _Broken(
                chain,
                vouched,
                f"event {vouched} differs from the checkpoint of {checkpoint.at}: "
                "the chain was rewritten",
                kind=ChainBreak.CHECKPOINT_REWRITTEN,
                at=checkpoint.at,
                vouched=vouched,
            )


def verify_chains(*, session: Session, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Walk every chain and name the first event that was altered, deleted or inserted.

    The heads and the events are read from one snapshot (PostgreSQL: a REPEATABLE READ
    transaction; SQLite: a read transaction is one), so changes committed meanwhile
    are not mistaken for a head that runs ahead of its chain or behind it. `session`
    must not have begun its transaction yet."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    heads = current_heads(session)
    walked: Heads = {}
    total = 0
    walk: _Walk | None = None

    def vouched(chain: str) -> int:
        return checkpoint.chains.get(chain, (0, ""))[0] if checkpoint else 0

    def close(done: _Walk) -> None:
        done.close(heads.get(done.chain), checkpoint)
        walked[done.chain] = (done.count, done.hash)

    try:
        for event in _events(session):
            if walk is None or event.chain != walk.chain:
                if walk is not None:
                    close(walk)
                walk = _Walk(event.chain)
            walk.step(event, vouched(event.chain))
            total += 1
        if walk is not None:
            close(walk)
        vouched_for = set(checkpoint.chains) if checkpoint else set()
        for chain in sorted((set(heads) | vouched_for) - set(walked)):
            close(_Walk(chain))  # a head, or a checkpoint's chain, without events
    except _Broken as broken:
        return ChainReport(
            False,
            total,
            len(walked),
            fingerprint(walked),
            broken.chain,
            broken.position,
            broken.seq,
            broken.problem,
            broken.kind,
            broken.details,
        )
    walked = {chain: head for chain, head in walked.items() if head[0]}
    return ChainReport(True, total, len(walked), fingerprint(walked))
