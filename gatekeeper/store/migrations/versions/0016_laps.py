"""Laps of a cyclic workflow (issue 17, part 2): the project's lap, and the lap of its
gate dates, gate decisions and named decisions.

`project.lap` counts the laps of a loop such as the Danish ICS workflow (1 until the
loop-closing gate is taken). A gate's target date and a named decision are unique per
lap, so lap 2's dates and sigtepunkter stand beside lap 1's instead of replacing them.
Existing rows are lap 1.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The unnamed unique constraints of 0001: PostgreSQL's names; SQLite gets them from
# the naming convention below, which batch mode applies to the reflected table.
_OLD = {
    "gate_target": ("gate_target_project_id_gate_id_key", ["project_id", "gate_id"]),
    "decision": ("decision_project_id_key_key", ["project_id", "key"]),
}
_NEW = {
    "gate_target": ("uq_gate_target_project_gate_lap", ["project_id", "gate_id", "lap"]),
    "decision": ("uq_decision_project_key_lap", ["project_id", "key", "lap"]),
}
_CONVENTION = {"uq": "%(table_name)s_%(column_0_N_name)s_key"}


def _lap() -> sa.Column[int]:
    return sa.Column("lap", sa.Integer(), nullable=False, server_default="1")


def upgrade() -> None:
    for table in ("project", "gate_decision"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_lap())
    for table, (old_name, _) in _OLD.items():
        new_name, new_columns = _NEW[table]
        with op.batch_alter_table(table, schema=None, naming_convention=_CONVENTION) as batch_op:
            batch_op.add_column(_lap())
            batch_op.drop_constraint(old_name, type_="unique")
            batch_op.create_unique_constraint(new_name, new_columns)


def downgrade() -> None:
    for table, (old_name, old_columns) in _OLD.items():
        new_name, _ = _NEW[table]
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(new_name, type_="unique")
            batch_op.create_unique_constraint(old_name, old_columns)
            batch_op.drop_column("lap")
    for table in ("project", "gate_decision"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("lap")
