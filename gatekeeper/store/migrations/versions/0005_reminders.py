"""Reminders, the in-app inbox and iCal feed tokens; time zone and digest choice on accounts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feed_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("recipient_email", sa.String(length=320), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("subject_type", sa.String(length=50), nullable=False),
        sa.Column("subject_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index("ix_reminder_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_project_id"), ["project_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reminder_recipient_email"), ["recipient_email"], unique=False
        )
        batch_op.create_index(
            "ix_reminder_subject", ["project_id", "subject_type", "subject_id"], unique=False
        )

    op.create_table(
        "inbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("recipient_email", sa.String(length=320), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("digested_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"],
            ["reminder.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reminder_id"),
    )
    with op.batch_alter_table("inbox_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_message_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            "ix_inbox_message_recipient", ["recipient_email", "created_at"], unique=False
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("email_digest", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    # reminder.sent is published without an audit event: no sequence number.
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.alter_column("audit_seq", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.alter_column("audit_seq", existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("email_digest")
        batch_op.drop_column("time_zone")

    with op.batch_alter_table("inbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_message_recipient")
        batch_op.drop_index(batch_op.f("ix_inbox_message_project_id"))

    op.drop_table("inbox_message")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_subject")
        batch_op.drop_index(batch_op.f("ix_reminder_recipient_email"))
        batch_op.drop_index(batch_op.f("ix_reminder_project_id"))
        batch_op.drop_index("ix_reminder_due")

    op.drop_table("reminder")
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feed_user_id"))

    op.drop_table("calendar_feed")
