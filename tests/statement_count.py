"""Counting the SQL statements a use case issues (a count, never a time): the lean write
path of issue 14 is held by `tests/services/test_statement_budget.py` and
`tests/services/test_write_budgets.py` with these."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from gatekeeper.services.context import Context


@contextmanager
def counted(ctx: Context) -> Iterator[list[str]]:
    """The statements run on the context's engine inside the block (each shortened)."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split())[:120])

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)


def budget(ctx: Context, on_sqlite: int) -> int:
    """A budget counted on SQLite, for this database: PostgreSQL has no BEGIN statement
    (the driver opens the transaction), so its budget is one less."""
    return on_sqlite if ctx.db.is_sqlite else on_sqlite - 1
