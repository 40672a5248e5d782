"""Goals, the nyttoregister and measurements: effektmål, projektmål, delmål and nyttor
with their indicators, baseline, target and mätpunkter, and the values measured.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("indicator", sa.String(length=500), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column("numeric", sa.Boolean(), nullable=False),
        sa.Column("baseline", sa.String(length=200), nullable=False),
        sa.Column("baseline_on", sa.Date(), nullable=True),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("target_on", sa.Date(), nullable=True),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("measure_points", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["goal.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "key"),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_project_id"), ["project_id"], unique=False)

    op.create_table(
        "measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurement_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_measurement_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurement_project_id"))
        batch_op.drop_index(batch_op.f("ix_measurement_goal_id"))
    op.drop_table("measurement")
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_project_id"))
    op.drop_table("goal")
