"""`store/bulk.insert_rows`: many rows in one statement, in order, NULLs and all."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, select

from gatekeeper.store.bulk import insert_rows
from gatekeeper.store.database import Database

SAMPLE = Table(
    "bulk_sample",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", String(50), nullable=False),
    Column("mandatory", Boolean, nullable=False),
    Column("offset_days", Integer, nullable=True),
    Column("evidence", String, nullable=True),
)


def test_rows_go_in_with_their_values_in_the_order_given(database: Database) -> None:
    rows = [
        {"name": f"Punkt {n}", "mandatory": n % 2 == 0, "offset_days": -n or None, "evidence": None}
        for n in range(300)
    ]
    with database.write() as session:
        SAMPLE.create(session.connection())
        insert_rows(session.connection(), SAMPLE, rows)
        insert_rows(session.connection(), SAMPLE, [])
    with database.read() as session:
        stored = session.connection().execute(select(SAMPLE).order_by(SAMPLE.c.id)).all()
    assert [(r.name, r.mandatory, r.offset_days, r.evidence) for r in stored] == [
        (r["name"], r["mandatory"], r["offset_days"], r["evidence"]) for r in rows
    ]
