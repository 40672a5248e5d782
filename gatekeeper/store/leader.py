"""Which process runs the scheduled jobs: a PostgreSQL session-level advisory lock.

Every `gatekeeper serve` process (every uvicorn worker, on every host) starts a
scheduler, but only the one holding the lock (`SCHEDULER_LOCK_KEY`, and the
schema's hash) on a connection of its own runs the jobs. The lock belongs to that connection: when
the process stops or its connection is lost, PostgreSQL releases it and the
next process to ask takes over. On SQLite there is one process, which always
holds it.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from gatekeeper.store.database import Database

logger = logging.getLogger("gatekeeper.scheduler")

# "gkep" as a 32-bit integer, paired with the hash of the schema: one lock per
# installation, also where several share a database in schemas of their own.
SCHEDULER_LOCK_KEY = int.from_bytes(b"gkep", "big")
_TAKE = text("SELECT pg_try_advisory_lock(:key, hashtext(current_schema()))")
_GIVE = text("SELECT pg_advisory_unlock(:key, hashtext(current_schema()))")


class SchedulerLock:
    """The scheduler lock of one process: `hold()` asks for it (or checks it is still held)."""

    def __init__(self, db: Database, key: int = SCHEDULER_LOCK_KEY) -> None:
        self._db = db
        self._key = key
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self._db.is_sqlite or self._connection is not None

    def hold(self) -> bool:
        """True when this process holds the lock (taking it if it is free).

        A connection that was lost is let go (PostgreSQL has released the lock
        with it) and the lock asked for again; a database that cannot be reached
        gives False, never an error.
        """
        if self._db.is_sqlite:
            return True
        try:
            if self._connection is not None:
                self._connection.execute(text("SELECT 1"))
                self._connection.commit()  # never left idle in a transaction
                return True
            connection = self._db.engine.connect()
            got = connection.execute(_TAKE, {"key": self._key}).scalar_one()
            connection.commit()  # end the transaction; the session-level lock stays
            if got:
                self._connection = connection
                return True
            connection.close()
        except SQLAlchemyError as error:
            logger.warning("scheduler lock: %s", type(error).__name__)
            self._drop()
        return False

    def release(self) -> None:
        """Give the lock up (closing its connection releases it)."""
        if self._connection is not None:
            try:
                self._connection.execute(_GIVE, {"key": self._key})
                self._connection.commit()
            except SQLAlchemyError:
                pass  # closing the connection below releases it too
        self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()  # never back to the pool: the lock goes with it
                connection.close()
            except SQLAlchemyError:
                pass
