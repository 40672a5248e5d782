"""Readiness review: a covering index on unit items for counting them per unit and category.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "unit_id",
    "category",
    "status",
    "mandatory",
    "evidence_required",
    "due_offset_days",
    "updated_at",
    "position",
    "checklist_id",
    "item_id",
]


def upgrade() -> None:
    with op.batch_alter_table("unit_item", schema=None) as batch_op:
        batch_op.create_index("ix_unit_item_review", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("unit_item", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_item_review")
