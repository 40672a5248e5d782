"""Delprojekt (issue 17, part 7): a project may be part of another, and names the
förvaltning it hands over to (mottagande förvaltning).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("receiving_unit", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_project_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key("fk_project_parent_id", "project", ["parent_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint("fk_project_parent_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_project_parent_id"))
        batch_op.drop_column("receiving_unit")
        batch_op.drop_column("parent_id")
