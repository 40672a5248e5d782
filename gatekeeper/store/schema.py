"""The whole schema: every table module, imported once, on one metadata.

Alembic's environment and the migration test take the metadata from here, so
a new table module is registered in one place.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel


def metadata() -> MetaData:
    """SQLModel's metadata with every gatekeeper table registered on it."""
    from gatekeeper.store import (  # noqa: F401  (importing registers the tables)
        access_tables,
        audit_tables,
        reminder_tables,
        review_tables,
        tables,
        unit_tables,
        wave_tables,
        webhook_tables,
    )

    return SQLModel.metadata
