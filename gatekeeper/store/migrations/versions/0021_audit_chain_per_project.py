"""The audit log splits into one chain per project (and `global`), each with its own head.

Existing events are not re-chained: they become the `legacy` chain, exactly as
they were (`chain_seq` = their `seq`, every hash unchanged), with the old head
as its head, and are verified as before. Re-chaining would have re-hashed the
whole history inside the migration, vouching anew for events that nobody had
checked and orphaning every checkpoint file kept outside the database; the
frozen legacy chain keeps both (a version-1 checkpoint vouches for it). New
events go on `project:<id>` or `global` chains; `seq` becomes a number the
database assigns, continuing after the legacy events.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEQUENCE = "audit_event_seq_seq"


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("chain", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.execute("UPDATE audit_event SET chain = 'legacy', chain_seq = seq")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("chain", existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column("chain_seq", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint("uq_audit_event_chain_seq", ["chain", "chain_seq"])
    # The old head, as it was, heads the legacy chain (none in an unused database).
    op.execute(
        "INSERT INTO audit_chain_head (chain, count, hash) "
        "SELECT 'legacy', count, hash FROM audit_head "
        "WHERE id = 1 AND (count > 0 OR EXISTS (SELECT 1 FROM audit_event))"
    )
    op.drop_table("audit_head")
    if op.get_bind().dialect.name == "postgresql":
        # SQLite's INTEGER PRIMARY KEY numbers new rows already; PostgreSQL needs a sequence.
        op.execute(f"CREATE SEQUENCE {_SEQUENCE} OWNED BY audit_event.seq")
        op.execute(f"ALTER TABLE audit_event ALTER COLUMN seq SET DEFAULT nextval('{_SEQUENCE}')")
        op.execute(
            f"SELECT setval('{_SEQUENCE}', COALESCE(max(seq), 0) + 1, false) FROM audit_event"
        )


def downgrade() -> None:
    bind = op.get_bind()
    split = bind.execute(sa.text("SELECT count(*) FROM audit_event WHERE chain <> 'legacy'"))
    if split.scalar_one():
        raise RuntimeError(
            "audit events were written on per-project chains; they cannot be put back on "
            "one chain without re-hashing them, so this database cannot be downgraded"
        )
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_event ALTER COLUMN seq DROP DEFAULT")
        op.execute(f"DROP SEQUENCE {_SEQUENCE}")
    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(audit_head, [{"id": 1, "count": 0, "hash": "0" * 64}])
    op.execute(
        "UPDATE audit_head SET (count, hash) = (SELECT count, hash FROM audit_chain_head "
        "WHERE chain = 'legacy') "
        "WHERE EXISTS (SELECT 1 FROM audit_chain_head WHERE chain = 'legacy')"
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_event_chain_seq", type_="unique")
        batch_op.drop_column("chain_seq")
        batch_op.drop_column("chain")
    op.drop_table("audit_chain_head")
