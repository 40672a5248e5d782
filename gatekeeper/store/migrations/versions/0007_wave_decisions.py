"""Wave go/no-go: a wave's required units, and a vote's wave terms (excluded units, new date).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wave_required_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["wave_id"], ["wave.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wave_id", "unit_id"),
    )
    with op.batch_alter_table("wave_required_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wave_required_unit_wave_id"), ["wave_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_wave_required_unit_unit_id"), ["unit_id"], unique=False
        )
    with op.batch_alter_table("review_vote", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exclude_units", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("move_to_wave", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("postpone_to", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_vote", schema=None) as batch_op:
        batch_op.drop_column("postpone_to")
        batch_op.drop_column("move_to_wave")
        batch_op.drop_column("exclude_units")
    with op.batch_alter_table("wave_required_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wave_required_unit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_wave_required_unit_wave_id"))
    op.drop_table("wave_required_unit")
