"""The whole schema: every table module, imported once, on one metadata.

Alembic's environment and the migration test take the metadata from here, so
a new table module is registered in one place.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel


def metadata() -> MetaData:
    """SQLModel's metadata with every gatekeeper table registered on it."""
    # Importing the table modules registers their tables on the metadata.
    from gatekeeper.store.access import tables as access_tables  # noqa: F401
    from gatekeeper.store.audit import tables as audit_tables  # noqa: F401
    from gatekeeper.store.audit import webhook_tables  # noqa: F401
    from gatekeeper.store.followup import (
        goal_tables,  # noqa: F401
        register_tables,  # noqa: F401
    )
    from gatekeeper.store.gates import tables as gate_tables  # noqa: F401
    from gatekeeper.store.meetings import tables as meeting_tables  # noqa: F401
    from gatekeeper.store.projects import tables as project_tables  # noqa: F401
    from gatekeeper.store.reminders import tables as reminder_tables  # noqa: F401
    from gatekeeper.store.reports import lesson_tables, slutrapport_tables  # noqa: F401
    from gatekeeper.store.rollout import (  # noqa: F401
        readiness_tables,
        unit_tables,
        wave_tables,
    )

    return SQLModel.metadata
