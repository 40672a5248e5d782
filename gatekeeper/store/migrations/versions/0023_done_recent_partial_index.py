"""The index of items done lately: partial, on mandatory items done, for both databases.

`ix_unit_item_done_recent` (project, status, updated_at, mandatory, unit,
category) served SQLite but not PostgreSQL: with a fifth of a rollout's items
done in the last weeks, PostgreSQL read the whole table instead (its rows are
wide). The partial index holds only mandatory items done, which is what the
readiness review counts (by unit and by kommun × category), so it is a fifth
of the size and both databases read it; queries state its condition in the
same words (`DONE_MANDATORY` in `store/rollout/unit_tables`).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DONE_MANDATORY = "status = 'done' AND mandatory"
DONE_RECENT = ["project_id", "status", "updated_at", "mandatory", "unit_id", "category"]


def upgrade() -> None:
    with op.batch_alter_table("unit_item", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_item_done_recent")
        batch_op.create_index(
            "ix_unit_item_done_recent",
            ["project_id", "updated_at", "unit_id", "category"],
            unique=False,
            sqlite_where=sa.text(DONE_MANDATORY),
            postgresql_where=sa.text(DONE_MANDATORY),
        )


def downgrade() -> None:
    with op.batch_alter_table("unit_item", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_item_done_recent")
        batch_op.create_index("ix_unit_item_done_recent", DONE_RECENT, unique=False)
