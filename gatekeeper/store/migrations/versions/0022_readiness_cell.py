"""Readiness read models: `readiness_cell` and `readiness_item`, back-filled; indexes.

One row per unit × category with the counts that do not depend on the day
(items that count, done, mandatory, mandatory done, first position) and the
unit's kommun, counted
here from the unit items as they stand; from then on every write of a unit
item keeps its cell current in the same transaction. Two covering indexes on
unit items serve what the review still counts from the items (open items past
their deadline, items done lately; they start with (project, status), so the
old index on just those two goes), and a partial index the few items done
without the evidence they demand.

`readiness_item` holds, per wave × item, the units where the item is open.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_DUE = ["project_id", "status", "due_offset_days", "mandatory", "unit_id", "category"]
LACKING_COLUMNS = [
    "project_id",
    "status",
    "unit_id",
    "category",
    "checklist_id",
    "item_id",
    "mandatory",
    "due_offset_days",
]
LACKING = "status = 'done' AND evidence_required AND (evidence IS NULL OR evidence = '')"
DONE_RECENT = ["project_id", "status", "updated_at", "mandatory", "unit_id", "category"]

# The SQL twin of core.rollout.unit_readiness.item_tally, summed per unit × category.
# A unit's kommun is its top-level ancestor: units nest at most three deep.
BACKFILL = """
INSERT INTO readiness_cell
    (unit_id, category, project_id, kommun_id, total, done, mandatory, mandatory_done, position)
SELECT i.unit_id, i.category, i.project_id, COALESCE(t.id, p.id, u.id),
    SUM(CASE WHEN i.status <> 'not_applicable' THEN 1 ELSE 0 END),
    SUM(CASE WHEN i.status = 'done' THEN 1 ELSE 0 END),
    SUM(CASE WHEN i.mandatory AND i.status <> 'not_applicable' THEN 1 ELSE 0 END),
    SUM(CASE WHEN i.mandatory AND i.status = 'done' THEN 1 ELSE 0 END),
    MIN(i.position)
FROM unit_item i
JOIN unit u ON u.id = i.unit_id
LEFT JOIN unit p ON p.id = u.parent_id
LEFT JOIN unit t ON t.id = p.parent_id
GROUP BY i.unit_id, i.category, i.project_id, COALESCE(t.id, p.id, u.id)
"""


# Per wave × item, the units where it is open (and demands evidence).
BACKFILL_ITEMS = """
INSERT INTO readiness_item
    (project_id, wave_id, checklist_id, item_id, category, mandatory, due_offset_days,
     open, open_evidence, first_id)
SELECT i.project_id, u.wave_id, i.checklist_id, i.item_id, i.category, i.mandatory,
    i.due_offset_days,
    SUM(CASE WHEN i.status = 'open' THEN 1 ELSE 0 END),
    SUM(CASE WHEN i.status = 'open' AND i.evidence_required THEN 1 ELSE 0 END),
    MIN(i.id)
FROM unit_item i
JOIN unit u ON u.id = i.unit_id
GROUP BY i.project_id, u.wave_id, i.checklist_id, i.item_id, i.category, i.mandatory,
    i.due_offset_days
"""


def upgrade() -> None:
    op.create_table(
        "readiness_cell",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kommun_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("mandatory", sa.Integer(), nullable=False),
        sa.Column("mandatory_done", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("unit_id", "category"),
    )
    with op.batch_alter_table("readiness_cell", schema=None) as batch_op:
        batch_op.create_index(
            "ix_readiness_cell_project_kommun", ["project_id", "kommun_id"], unique=False
        )
    op.execute(BACKFILL)
    op.create_table(
        "readiness_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=True),
        sa.Column("checklist_id", sa.String(length=100), nullable=False),
        sa.Column("item_id", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("due_offset_days", sa.Integer(), nullable=True),
        sa.Column("open", sa.Integer(), nullable=False),
        sa.Column("open_evidence", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("readiness_item", schema=None) as batch_op:
        batch_op.create_index("ix_readiness_item_project", ["project_id", "wave_id"], unique=False)
    op.execute(BACKFILL_ITEMS)
    with op.batch_alter_table("unit_item", schema=None) as batch_op:
        batch_op.create_index("ix_unit_item_open_due", OPEN_DUE, unique=False)
        batch_op.create_index("ix_unit_item_done_recent", DONE_RECENT, unique=False)
        batch_op.create_index(
            "ix_unit_item_lacking",
            LACKING_COLUMNS,
            unique=False,
            sqlite_where=sa.text(LACKING),
            postgresql_where=sa.text(LACKING),
        )
        batch_op.drop_index("ix_unit_item_project_status")


def downgrade() -> None:
    with op.batch_alter_table("unit_item", schema=None) as batch_op:
        batch_op.create_index("ix_unit_item_project_status", ["project_id", "status"], unique=False)
        batch_op.drop_index("ix_unit_item_lacking")
        batch_op.drop_index("ix_unit_item_done_recent")
        batch_op.drop_index("ix_unit_item_open_due")
    with op.batch_alter_table("readiness_item", schema=None) as batch_op:
        batch_op.drop_index("ix_readiness_item_project")
    op.drop_table("readiness_item")
    with op.batch_alter_table("readiness_cell", schema=None) as batch_op:
        batch_op.drop_index("ix_readiness_cell_project_kommun")
    op.drop_table("readiness_cell")
