"""Steering-group reviews, votes, jäv, gate decisions, conditions; ersättare; restlista.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "gate_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("gate_id", sa.String(length=100), nullable=False),
        sa.Column("requested_by", sa.String(length=320), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("snapshot_hash", sa.String(length=64), nullable=False),
        sa.Column("snapshot_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("gate_review", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gate_review_project_gate", ["project_id", "gate_id"], unique=False
        )

    op.create_table(
        "conflict_of_interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=320), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("declared_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["gate_review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "member"),
    )
    with op.batch_alter_table("conflict_of_interest", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conflict_of_interest_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "gate_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("gate_id", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("recycle_to", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("from_phase", sa.String(length=100), nullable=False),
        sa.Column("to_phase", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("criteria_passed", sa.Boolean(), nullable=False),
        sa.Column("override", sa.Boolean(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("valid_for_target", sa.Date(), nullable=True),
        sa.Column("lapsed_at", sa.DateTime(), nullable=True),
        sa.Column("lapse_reason", sa.String(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["gate_review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id"),
    )
    with op.batch_alter_table("gate_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gate_decision_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "review_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=320), nullable=False),
        sa.Column("cast_by", sa.String(length=320), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("motivation", sa.String(), nullable=False),
        sa.Column("recycle_to", sa.String(length=100), nullable=True),
        sa.Column("override_motivation", sa.String(), nullable=True),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("snapshot_hash", sa.String(length=64), nullable=False),
        sa.Column("cast_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["gate_review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_vote_review_id"), ["review_id"], unique=False)

    op.create_table(
        "decision_condition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("closed_by", sa.String(length=320), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["gate_decision.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decision_condition", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_condition_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_decision_condition_project_id"), ["project_id"], unique=False
        )

    with op.batch_alter_table("project_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("substitute_for", sa.String(length=320), nullable=True))
    with op.batch_alter_table("checklist_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("restlista", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:

    with op.batch_alter_table("project_member", schema=None) as batch_op:
        batch_op.drop_column("substitute_for")
    with op.batch_alter_table("checklist_item", schema=None) as batch_op:
        batch_op.drop_column("restlista")

    with op.batch_alter_table("decision_condition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_condition_project_id"))
        batch_op.drop_index(batch_op.f("ix_decision_condition_decision_id"))

    op.drop_table("decision_condition")
    with op.batch_alter_table("review_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_vote_review_id"))

    op.drop_table("review_vote")
    with op.batch_alter_table("gate_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gate_decision_project_id"))

    op.drop_table("gate_decision")
    with op.batch_alter_table("conflict_of_interest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_of_interest_review_id"))

    op.drop_table("conflict_of_interest")
    with op.batch_alter_table("gate_review", schema=None) as batch_op:
        batch_op.drop_index("ix_gate_review_project_gate")

    op.drop_table("gate_review")
