"""Decisions that take effect when they should: a go's effective date, beslutsdatum,
late votes and reservations.

- `gate_review.effective_from` ("target_date" or "immediately") and its motivation;
- `gate_decision.decided_on` (beslutsdatum), `effective_on` (the day a go takes
  effect) and `effective_at` (when the phase change was made; null while pending);
- `review_vote.decided_on` (the meeting's date) and `late` (cast after the decision);
- `decision_reservation`: reservation mot beslutet, one per member and decision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gate_review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "effective_from",
                sa.String(length=20),
                nullable=False,
                server_default="target_date",
            )
        )
        batch_op.add_column(sa.Column("effective_motivation", sa.String(), nullable=True))
    with op.batch_alter_table("gate_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("effective_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("effective_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_gate_decision_pending", ["effective_at", "effective_on"])
    with op.batch_alter_table("review_vote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "decision_reservation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=320), nullable=False),
        sa.Column("entered_by", sa.String(length=320), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["gate_decision.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("decision_id", "member"),
    )
    with op.batch_alter_table("decision_reservation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_reservation_decision_id"), ["decision_id"], unique=False
        )
    # Decisions taken before this revision took effect when they were decided.
    day = (
        "date(decided_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(decided_at AS DATE)"
    )
    op.execute(f"UPDATE gate_decision SET effective_at = decided_at, decided_on = {day}")


def downgrade() -> None:
    with op.batch_alter_table("decision_reservation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_reservation_decision_id"))
    op.drop_table("decision_reservation")
    with op.batch_alter_table("review_vote", schema=None) as batch_op:
        batch_op.drop_column("late")
        batch_op.drop_column("decided_on")
    with op.batch_alter_table("gate_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_gate_decision_pending")
        batch_op.drop_column("effective_at")
        batch_op.drop_column("effective_on")
        batch_op.drop_column("decided_on")
    with op.batch_alter_table("gate_review", schema=None) as batch_op:
        batch_op.drop_column("effective_motivation")
        batch_op.drop_column("effective_from")
