"""Alembic environment: runs migrations on the connection gatekeeper hands it.

gatekeeper always calls Alembic from Python (`gatekeeper db upgrade`), passing
an open connection in `config.attributes["connection"]`; no alembic.ini needed.
"""

from __future__ import annotations

from alembic import context

from gatekeeper.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata(),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
