"""The audit chains catch altered, deleted, inserted and cut-off events.

The history here is one project's, so its events lie on the chain `project:1`;
tests/store/test_audit_chains.py covers several chains, the checkpoint over
them, concurrency across projects and the migration from the single chain.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ChainBreak
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.audit import chain as audit
from gatekeeper.store.audit.tables import AuditEvent, ChainHead
from tests.factories import PROJEKTLEDARE, start_ibic, tick_gate

KEY = b"nyckel-som-inte-finns-i-databasen"
CHAIN = "project:1"


def _event(session: Session, position: int) -> AuditEvent:
    return session.exec(
        select(AuditEvent).where(AuditEvent.chain == CHAIN, AuditEvent.chain_seq == position)
    ).one()


def _chain_length(ctx: Context) -> int:
    with ctx.db.read() as session:
        head = session.get(ChainHead, CHAIN)
        assert head is not None
        return head.count


def _history(ctx: Context, clock: FixedClock) -> int:
    """A project with a few weeks of changes; the number of events written."""
    project = start_ibic(ctx)
    for week in range(3):
        clock.advance(timedelta(days=7))
        risks.add_risk(
            ctx,
            PROJEKTLEDARE,
            project_key=project.key,
            title=f"Risk vecka {week}: personalomsättning bland ombud",
            probability=2,
            consequence=3,
        )
    tick_gate(ctx, project.key, "forstudie-klar", mandatory_only=True)
    return audit_log.verify(ctx).count


def _execute(ctx: Context, sql: str, **params: object) -> None:
    with ctx.db.write() as session:
        session.connection().execute(text(sql), params)


def test_untouched_chain_verifies(ctx: Context, clock: FixedClock) -> None:
    count = _history(ctx, clock)
    report = audit_log.verify(ctx)
    assert report.ok and report.count == count > 10
    assert report.problem is None


def test_altered_event_is_named(ctx: Context, clock: FixedClock) -> None:
    _history(ctx, clock)
    with ctx.db.read() as session:
        seq = _event(session, 5).seq
    _execute(
        ctx, "UPDATE audit_event SET actor = 'user:nagon.annan@alingsas.se' WHERE seq = :s", s=seq
    )
    report = audit_log.verify(ctx)
    assert not report.ok
    assert (report.chain, report.position, report.first_bad_seq) == (CHAIN, 5, seq)
    assert report.problem == f"event 5 (#{seq} in the log) was altered after it was written"
    assert report.kind is ChainBreak.ALTERED


def test_altered_before_after_values_are_caught(ctx: Context, clock: FixedClock) -> None:
    _history(ctx, clock)
    with ctx.db.write() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "risk.created")).first()
        assert event is not None
        seq = event.seq
        event.after = {**(event.after or {}), "probability": 1}
        session.add(event)
    report = audit_log.verify(ctx)
    assert (report.ok, report.first_bad_seq) == (False, seq)


def test_deleted_event_is_named(ctx: Context, clock: FixedClock) -> None:
    _history(ctx, clock)
    _execute(ctx, "DELETE FROM audit_event WHERE chain = :c AND chain_seq = 7", c=CHAIN)
    report = audit_log.verify(ctx)
    assert (report.ok, report.chain, report.position) == (False, CHAIN, 7)
    assert "event 7 missing" in (report.problem or "")
    assert report.kind is ChainBreak.MISSING


def test_inserted_event_is_named(ctx: Context, clock: FixedClock) -> None:
    _history(ctx, clock)
    count = _chain_length(ctx)
    # Make room at 4 by moving the rest up, then slip a forged event in.
    moving = "UPDATE audit_event SET chain_seq = {} WHERE chain = :c AND chain_seq {}"
    _execute(ctx, moving.format("-(chain_seq + 1)", ">= 4"), c=CHAIN)
    _execute(ctx, moving.format("-chain_seq", "< 0"), c=CHAIN)
    with ctx.db.write() as session:
        previous = _event(session, 3)
        forged = AuditEvent(
            chain=CHAIN,
            chain_seq=4,
            at=previous.at,
            actor="user:inkraktare@example.com",
            action="checklist.item.updated",
            project_id=previous.project_id,
            object_type="checklist_item",
            object_id="ibic-alingsas/go-live/cutover/aterstallningsplan",
            before={"status": "open"},
            after={"status": "done"},
            prev_hash=previous.hash,
            hash="",
        )
        forged.hash = audit.event_hash(forged)
        session.add(forged)
        head = session.get(ChainHead, CHAIN)
        assert head is not None
        head.count = count + 1
        session.add(head)
    report = audit_log.verify(ctx)
    assert (report.ok, report.chain, report.position) == (False, CHAIN, 5)
    assert "does not link to event 4" in (report.problem or "")
    assert report.kind is ChainBreak.UNLINKED


def test_cut_off_tail_is_caught_by_the_head_and_by_a_checkpoint(
    ctx: Context, clock: FixedClock, tmp_path: Path
) -> None:
    _history(ctx, clock)
    count = _chain_length(ctx)
    checkpoint = tmp_path / "audit-checkpoint.json"
    audit_log.checkpoint(ctx, path=checkpoint, key=KEY)

    _execute(
        ctx,
        "DELETE FROM audit_event WHERE chain = :c AND chain_seq > :keep",
        c=CHAIN,
        keep=count - 2,
    )
    report = audit_log.verify(ctx)
    assert not report.ok and "newest events were deleted" in (report.problem or "")
    assert report.kind is ChainBreak.TAIL_CUT

    # A careful intruder also rewinds the head: only the checkpoint still sees it.
    with ctx.db.write() as session:
        last = _event(session, count - 2)
        head = session.get(ChainHead, CHAIN)
        assert head is not None
        head.count, head.hash = last.chain_seq, last.hash
        session.add(head)
    assert audit_log.verify(ctx).ok
    report = audit_log.verify(ctx, checkpoint_path=checkpoint, key=KEY)
    assert not report.ok
    assert (report.chain, report.position) == (CHAIN, count - 1)
    assert f"vouches for {count} events but only {count - 2} remain" in (report.problem or "")
    assert report.kind is ChainBreak.CHECKPOINT_SHORT


def test_chain_rebuilt_from_scratch_differs_from_the_checkpoint(
    ctx: Context, clock: FixedClock, tmp_path: Path
) -> None:
    _history(ctx, clock)
    count = _chain_length(ctx)
    checkpoint = tmp_path / "cp.json"
    audit_log.checkpoint(ctx, path=checkpoint, key=KEY)
    # Rewrite event 2 and re-hash everything after it so the chain is self-consistent.
    with ctx.db.write() as session:
        previous = GENESIS = audit.GENESIS_HASH
        events = select(AuditEvent).where(AuditEvent.chain == CHAIN)
        for event in session.exec(events.order_by(col(AuditEvent.chain_seq))).all():
            if event.chain_seq == 2:
                event.actor = "user:nagon.annan@alingsas.se"
            event.prev_hash = previous
            event.hash = audit.event_hash(event)
            previous = event.hash
            session.add(event)
        head = session.get(ChainHead, CHAIN)
        assert head is not None
        head.hash = previous
        session.add(head)
    assert GENESIS == "0" * 64
    assert audit_log.verify(ctx).ok
    report = audit_log.verify(ctx, checkpoint_path=checkpoint, key=KEY)
    assert (report.ok, report.chain, report.position) == (False, CHAIN, count)
    assert "rewritten" in (report.problem or "")
    assert report.kind is ChainBreak.CHECKPOINT_REWRITTEN


def test_checkpoint_signed_with_another_key_or_edited_is_refused(
    ctx: Context, clock: FixedClock, tmp_path: Path
) -> None:
    _history(ctx, clock)
    checkpoint = tmp_path / "cp.json"
    audit_log.checkpoint(ctx, path=checkpoint, key=KEY)
    with pytest.raises(ValidationFailed, match="signature does not match"):
        audit_log.verify(ctx, checkpoint_path=checkpoint, key=b"fel nyckel")
    checkpoint.write_text(checkpoint.read_text().replace('"count": ', '"count": 1'))
    with pytest.raises(ValidationFailed, match="signature does not match"):
        audit_log.verify(ctx, checkpoint_path=checkpoint, key=KEY)
    with pytest.raises(ValidationFailed, match="audit key"):
        audit_log.verify(ctx, checkpoint_path=checkpoint, key=None)


def test_failed_change_writes_no_event(ctx: Context) -> None:
    project = start_ibic(ctx)
    before = audit_log.verify(ctx).count
    with pytest.raises(ValidationFailed):
        risks.add_risk(
            ctx, PROJEKTLEDARE, project_key=project.key, title="Risk", probability=5, consequence=1
        )
    assert audit_log.verify(ctx).count == before


def test_concurrent_writers_keep_one_unbroken_chain(ctx: Context) -> None:
    project = start_ibic(ctx)
    before = audit_log.verify(ctx).count

    def write(n: int) -> None:
        risks.add_risk(
            ctx,
            PROJEKTLEDARE,  # risks are the projektledare's to record
            project_key=project.key,
            title=f"Risk {n}",
            probability=1 + n % 4,
            consequence=1 + (n // 4) % 4,
        )

    chain_before = _chain_length(ctx)
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(write, range(40)))

    report = audit_log.verify(ctx)
    assert report.ok
    assert report.count == before + 40
    # No fork: the project's chain grew by exactly 40 links, numbered without a gap.
    assert _chain_length(ctx) == chain_before + 40
    with ctx.db.read() as session:
        places = session.exec(
            select(AuditEvent.chain_seq)
            .where(AuditEvent.chain == CHAIN)
            .order_by(col(AuditEvent.seq))
        ).all()
    assert list(places) == list(range(1, chain_before + 41))
