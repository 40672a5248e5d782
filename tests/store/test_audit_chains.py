"""One audit chain per project: what each chain and the checkpoint over all of them catch,
writers of one project in turn and of two projects side by side, and the migration
that keeps the single chain of an older database as the `legacy` chain."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, event, text
from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ChainBreak
from gatekeeper.definitions import Catalog
from gatekeeper.errors import DatabaseUnavailable
from gatekeeper.services.access import account as accounts
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.store import migration
from gatekeeper.store.audit import chain as audit
from gatekeeper.store.audit.tables import AuditEvent, ChainHead
from gatekeeper.store.database import Database
from gatekeeper.store.types import UTCDateTime
from tests.factories import PROJEKTLEDARE, start_ibic

KEY = b"nyckel-som-inte-finns-i-databasen"
ADMIN = Actor.user("registrator@alingsas.se", "Registrator Alingsås")


def _two_projects(ctx: Context) -> tuple[str, str]:
    """Two projects with risks, and an account: the chains of both (7 events each) and
    `global` (the definitions, the account)."""
    first, second = start_ibic(ctx), start_ibic(ctx, key="ibic-lerum")
    for number in range(6):
        for project in (first, second):
            _risk(ctx, project.key, f"Personalomsättning bland ombud {number}")
    accounts.create_user(ctx, ADMIN, email="ny.person@alingsas.se", name="Ny Person")
    return audit.chain_of(first.id), audit.chain_of(second.id)


def _risk(ctx: Context, project_key: str, title: str) -> None:
    risks.add_risk(
        ctx, PROJEKTLEDARE, project_key=project_key, title=title, probability=2, consequence=3
    )


def _execute(ctx: Context, sql: str, **params: object) -> None:
    with ctx.db.write() as session:
        session.connection().execute(text(sql), params)


def _heads(ctx: Context) -> dict[str, int]:
    with ctx.db.read() as session:
        return {head.chain: head.count for head in session.exec(select(ChainHead)).all()}


def test_each_project_and_the_rest_have_a_chain_of_their_own(ctx: Context) -> None:
    first, second = _two_projects(ctx)

    heads = _heads(ctx)
    assert set(heads) == {first, second, audit.GLOBAL}
    with ctx.db.read() as session:
        for chain, count in heads.items():
            events = session.exec(
                select(AuditEvent).where(AuditEvent.chain == chain).order_by(col(AuditEvent.seq))
            ).all()
            assert [e.chain_seq for e in events] == list(range(1, count + 1))
            assert events[0].prev_hash == audit.GENESIS_HASH
            assert all(e.chain == audit.chain_of(e.project_id) for e in events)
    report = audit_log.verify(ctx)
    assert (report.ok, report.chains, report.count) == (True, 3, sum(heads.values()))


def test_one_chain_cut_short_with_its_head_rewound_is_caught_by_the_checkpoint(
    ctx: Context, tmp_path: Path
) -> None:
    _, second = _two_projects(ctx)
    checkpoint = tmp_path / "checkpoint.json"
    audit_log.checkpoint(ctx, path=checkpoint, key=KEY)
    _risk(ctx, "ibic-alingsas", "Risk efter kontrollpunkten")  # later events are fine
    assert audit_log.verify(ctx, checkpoint_path=checkpoint, key=KEY).ok
    count = _heads(ctx)[second]

    _execute(ctx, "DELETE FROM audit_event WHERE chain = :c AND chain_seq > :n", c=second, n=3)
    _execute(
        ctx,
        "UPDATE audit_chain_head SET count = 3, hash = (SELECT hash FROM audit_event "
        "WHERE chain = :c AND chain_seq = 3) WHERE chain = :c",
        c=second,
    )

    assert audit_log.verify(ctx).ok  # a consistent shorter chain looks intact on its own
    report = audit_log.verify(ctx, checkpoint_path=checkpoint, key=KEY)
    assert (report.ok, report.chain, report.position) == (False, second, 4)
    assert f"vouches for {count} events but only 3 remain" in (report.problem or "")
    assert report.kind is ChainBreak.CHECKPOINT_SHORT


def test_a_chain_deleted_whole_is_caught_by_its_head_and_by_the_checkpoint(
    ctx: Context, tmp_path: Path
) -> None:
    first, _ = _two_projects(ctx)
    checkpoint = tmp_path / "checkpoint.json"
    audit_log.checkpoint(ctx, path=checkpoint, key=KEY)
    count = _heads(ctx)[first]

    _execute(ctx, "DELETE FROM audit_event WHERE chain = :c", c=first)
    report = audit_log.verify(ctx)
    assert (report.ok, report.chain, report.position) == (False, first, 1)
    assert "every event was deleted" in (report.problem or "")
    assert report.kind is ChainBreak.TAIL_CUT

    _execute(ctx, "DELETE FROM audit_chain_head WHERE chain = :c", c=first)
    assert audit_log.verify(ctx).ok  # nothing left to say the chain was ever there
    report = audit_log.verify(ctx, checkpoint_path=checkpoint, key=KEY)
    assert (report.ok, report.chain) == (False, first)
    assert report.problem == (
        f"the checkpoint of {report_at(checkpoint)} vouches for {count} events but "
        "the chain is gone: it was deleted whole"
    )


def report_at(checkpoint: Path) -> str:
    return str(json.loads(checkpoint.read_text(encoding="utf-8"))["at"])


def test_a_changed_event_is_caught_on_its_own_chain_only(ctx: Context) -> None:
    _, second = _two_projects(ctx)
    _execute(
        ctx,
        "UPDATE audit_event SET after = NULL WHERE chain = :c AND chain_seq = 2",
        c=second,
    )
    report = audit_log.verify(ctx)
    assert (report.ok, report.chain, report.position) == (False, second, 2)
    assert "altered after it was written" in (report.problem or "")
    assert report.kind is ChainBreak.ALTERED


def test_reordered_events_are_caught(ctx: Context) -> None:
    first, _ = _two_projects(ctx)
    # Swap the places of events 3 and 4 in the chain (three steps: the pair is unique).
    place = "UPDATE audit_event SET chain_seq = {} WHERE chain = :c AND chain_seq = {}"
    _execute(ctx, place.format(-1, 3), c=first)
    _execute(ctx, place.format(3, 4), c=first)
    _execute(ctx, place.format(4, -1), c=first)
    report = audit_log.verify(ctx)
    assert (report.ok, report.chain, report.position) == (False, first, 3)
    assert "does not link to event 2" in (report.problem or "")
    assert report.kind is ChainBreak.UNLINKED


def test_events_swapped_in_the_log_are_caught(ctx: Context) -> None:
    first, _ = _two_projects(ctx)
    with ctx.db.read() as session:
        seqs = [
            session.exec(
                select(AuditEvent.seq).where(AuditEvent.chain == first, AuditEvent.chain_seq == n)
            ).one()
            for n in (5, 6)
        ]
    # Swap the log numbers of events 5 and 6: the chain is untouched, the log's order is not.
    renumber = "UPDATE audit_event SET seq = :new WHERE seq = :old"
    _execute(ctx, renumber, new=-1, old=seqs[0])
    _execute(ctx, renumber, new=seqs[0], old=seqs[1])
    _execute(ctx, renumber, new=seqs[1], old=-1)
    report = audit_log.verify(ctx)
    assert (report.ok, report.chain, report.position) == (False, first, 6)
    assert "the log was reordered" in (report.problem or "")
    assert report.kind is ChainBreak.REORDERED


def test_an_event_moved_to_another_chain_is_caught(ctx: Context) -> None:
    first, second = _two_projects(ctx)
    _execute(
        ctx,
        "UPDATE audit_event SET chain = :to, chain_seq = 1000 WHERE chain = :c AND chain_seq = 2",
        c=first,
        to=second,
    )
    report = audit_log.verify(ctx)
    assert not report.ok
    assert (report.chain, report.position) == (first, 2)


def test_an_edited_checkpoint_is_refused(ctx: Context, tmp_path: Path) -> None:
    first, _ = _two_projects(ctx)
    checkpoint = tmp_path / "checkpoint.json"
    audit_log.checkpoint(ctx, path=checkpoint, key=KEY)
    document = json.loads(checkpoint.read_text(encoding="utf-8"))
    del document["chains"][first]
    document["count"] = sum(chain["count"] for chain in document["chains"].values())
    checkpoint.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(Exception, match="signature does not match"):
        audit_log.verify(ctx, checkpoint_path=checkpoint, key=KEY)


def test_writers_starting_new_chains_at_once_make_each_chain_once(ctx: Context) -> None:
    """Eight threads append to two chains that do not exist yet: each chain's head is
    made once (the second maker waits and then finds it) and neither chain forks."""

    def write(number: int) -> None:
        for _ in range(5):
            with ctx.db.write() as session:
                audit.record(
                    session=session,
                    at=ctx.clock.now(),
                    actor=str(PROJEKTLEDARE),
                    action="risk.created",
                    object_type="risk",
                    object_id=number,
                    project_id=900 + number % 2,
                )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(8)))

    assert _heads(ctx) == {"project:900": 20, "project:901": 20}
    assert audit_log.verify(ctx).ok


@pytest.fixture
def timid(ctx: Context) -> Iterator[Context]:
    """The context on a second engine whose transactions give up on a row lock after
    a second (lock_timeout) instead of waiting: a test that would block fails."""
    if ctx.db.is_sqlite:
        pytest.skip("SQLite admits one writer at a time: only PostgreSQL writes side by side")
    other = Database(ctx.db.url.render_as_string(hide_password=False))

    @event.listens_for(other.engine, "connect")
    def _timid(connection: Any, _record: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        connection.commit()

    try:
        yield dataclasses.replace(ctx, db=other)
    finally:
        other.dispose()


def test_writers_of_two_projects_do_not_wait_on_each_other(ctx: Context, timid: Context) -> None:
    first, second = _two_projects(ctx)
    before = _heads(ctx)
    with ctx.db.write() as held:  # a change to the first project, not yet committed
        audit.record(
            session=held,
            at=ctx.clock.now(),
            actor=str(PROJEKTLEDARE),
            action="risk.updated",
            object_type="risk",
            object_id=1,
            project_id=int(first.split(":")[1]),
        )

        _risk(timid, "ibic-lerum", "Skrivs medan det första projektet väntar")  # commits

        with pytest.raises(DatabaseUnavailable, match="lock timeout"):
            _risk(timid, "ibic-alingsas", "Måste vänta på den första ändringen")

    after = _heads(ctx)
    assert after[first] == before[first] + 1
    assert after[second] == before[second] + 1
    assert audit_log.verify(ctx).ok


# The single chain as migration 0020 left it: the events table and head of that time,
# and the hash and checkpoint formulas of that time, written out here on purpose.
_OLD = MetaData()
_OLD_EVENT = Table(
    "audit_event",
    _OLD,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime),
    Column("actor", String),
    Column("action", String),
    Column("project_id", Integer),
    Column("object_type", String),
    Column("object_id", String),
    Column("before", JSON),
    Column("after", JSON),
    Column("prev_hash", String),
    Column("hash", String),
)


def _old_canonical(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def _seed_single_chain(database: Database, count: int) -> tuple[int, str]:
    previous = "0" * 64
    start = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    rows = []
    for seq in range(1, count + 1):
        row: dict[str, Any] = {
            "seq": seq,
            "at": start + timedelta(minutes=seq, microseconds=seq),
            "actor": "user:anita.lindqvist@alingsas.se",
            "action": "risk.created",
            "project_id": 1 + seq % 2,
            "object_type": "risk",
            "object_id": str(seq),
            "before": None,
            "after": {"title": f"Risk {seq}", "probability": 2},
            "prev_hash": previous,
        }
        body = {**row, "at": row["at"].isoformat(timespec="microseconds")}
        row["hash"] = previous = hashlib.sha256(_old_canonical(body)).hexdigest()
        rows.append(row)
    with database.engine.begin() as connection:
        connection.execute(_OLD_EVENT.insert(), rows)
        connection.execute(
            text("UPDATE audit_head SET count = :n, hash = :h WHERE id = 1"),
            {"n": count, "h": previous},
        )
    return count, previous


def _old_checkpoint(path: Path, count: int, head: str) -> None:
    at = "2026-10-02T12:00:00+00:00"
    signature = hmac.new(KEY, f"{count}:{head}:{at}".encode(), hashlib.sha256).hexdigest()
    document = {"count": count, "hash": head, "at": at, "signature": signature}
    path.write_text(json.dumps(document), encoding="utf-8")


def test_a_database_with_the_single_chain_migrates_to_a_verified_legacy_chain(
    database_url: str, catalog: Catalog, clock: FixedClock, tmp_path: Path
) -> None:
    database = Database(database_url)
    try:
        migration.upgrade(database, "0020")
        count, head = _seed_single_chain(database, 25)
        old_checkpoint = tmp_path / "old-checkpoint.json"
        _old_checkpoint(old_checkpoint, count, head)

        migration.upgrade(database)

        ctx = Context(db=database, catalog=catalog, clock=clock)
        report = audit_log.verify(ctx, checkpoint_path=old_checkpoint, key=KEY)
        assert (report.ok, report.count, report.chains) == (True, 25, 1)
        assert _heads(ctx) == {audit.LEGACY: 25}

        project = start_ibic(ctx)  # new events go on the project's chain, numbered on
        with ctx.db.read() as session:
            first_new = session.exec(
                select(AuditEvent).where(AuditEvent.chain == audit.chain_of(project.id))
            ).first()
        assert first_new is not None and (first_new.seq or 0) > 25
        assert first_new.chain_seq == 1
        assert audit_log.verify(ctx, checkpoint_path=old_checkpoint, key=KEY).ok
        checkpoint = tmp_path / "checkpoint.json"
        assert audit_log.checkpoint(ctx, path=checkpoint, key=KEY).chains[audit.LEGACY] == (
            25,
            head,
        )

        # The legacy chain is held as before: cut off with its head rewound, the old
        # checkpoint and the new one both see it.
        _execute(ctx, "DELETE FROM audit_event WHERE chain = 'legacy' AND chain_seq > 20")
        _execute(
            ctx,
            "UPDATE audit_chain_head SET count = 20, hash = (SELECT hash FROM audit_event "
            "WHERE chain = 'legacy' AND chain_seq = 20) WHERE chain = 'legacy'",
        )
        assert audit_log.verify(ctx).ok
        for held in (old_checkpoint, checkpoint):
            report = audit_log.verify(ctx, checkpoint_path=held, key=KEY)
            assert (report.ok, report.chain, report.position) == (False, audit.LEGACY, 21)
    finally:
        database.dispose()


def test_an_unused_database_migrates_without_a_legacy_chain(
    database_url: str, catalog: Catalog, clock: FixedClock
) -> None:
    database = Database(database_url)
    try:
        migration.upgrade(database, "0020")
        migration.upgrade(database)
        ctx = Context(db=database, catalog=catalog, clock=clock)
        assert _heads(ctx) == {}
        report = audit_log.verify(ctx)
        assert (report.ok, report.count, report.chains) == (True, 0, 0)
    finally:
        database.dispose()
