"""Aktivitetsplan: a kommentar on each activity, and the date a postponed one is moved to.

"Skjuts till 2024" in the seeds' aktivitetsplan: the status `postponed` now
carries `postponed_to`; activities postponed before this revision keep it empty.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("comment", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("postponed_to", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("postponed_to")
        batch_op.drop_column("comment")
