"""A lease for the daily digest, and an index for purging the webhook outbox (issue 16).

`user_account.digest_claimed_until` is set while one process sends a person's
digest (the messages are stamped only after the SMTP server took it);
`ix_webhook_delivery_outbox` lets the retention job find outbox rows that no
delivery refers to any more without reading every delivery.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_claimed_until", sa.DateTime(), nullable=True))
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_delivery_outbox", ["outbox_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_delivery_outbox")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("digest_claimed_until")
