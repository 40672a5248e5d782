"""The database handle: engine set-up, read sessions and write transactions.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every
write transaction starts with `BEGIN IMMEDIATE` so that a read which turns into
a write cannot fail half-way under load. PostgreSQL is chosen by the URL alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlmodel import Session, create_engine

from gatekeeper.errors import DatabaseUnavailable, ValidationFailed

_WRITE_OPTION = "gatekeeper_write"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def normalise_url(raw: str) -> URL:
    """Parse a database URL and pick the drivers gatekeeper ships with."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseUnavailable(
            f"GATEKEEPER_DATABASE_URL is not a database URL: {redact(raw)}"
        ) from None
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite+pysqlite":
        url = url.set(drivername="sqlite")
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise DatabaseUnavailable(
            f"gatekeeper supports SQLite and PostgreSQL, not {url.get_backend_name()}"
        )
    return url


def redact(raw: str) -> str:
    """The URL with any password hidden, safe to log or print."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


_BEFORE_COMMIT = "gatekeeper.before_commit"


def before_commit(session: Session, hook: Callable[[Session], None]) -> None:
    """Run `hook(session)` once, just before this write transaction commits.

    What a change brings with it that is best done once per transaction (the
    consequences of the changes recorded in it) registers here; a hook may
    register others, which run after it. A transaction that rolls back runs none.
    """
    hooks: list[Callable[[Session], None]] = session.info.setdefault(_BEFORE_COMMIT, [])
    if hook not in hooks:
        hooks.append(hook)


def _run_before_commit(session: Session) -> None:
    hooks: list[Callable[[Session], None]] = session.info.get(_BEFORE_COMMIT, [])
    while hooks:
        hooks.pop(0)(session)


_RECORDED = "gatekeeper.recorded"
CommitObserver = Callable[[Sequence[str]], None]


def note_recorded(session: Session, action: str) -> None:
    """Note that the transaction recorded an event named `action`: once it commits, the
    database's commit observers hear of it (the web layer counts ticks and decisions)."""
    session.info.setdefault(_RECORDED, []).append(action)


class Database:
    """One installation's database: an engine plus session factories.

    `commit_observers` are called after each write transaction that recorded
    events commits, with the events' names; a transaction that rolls back
    calls none. An observer must be quick and must not raise.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["connect_args"] = {"connect_timeout": 5}
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._write_engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._writer = threading.RLock() if self.is_sqlite else None
        self.commit_observers: list[CommitObserver] = []

    @property
    def display_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything left uncommitted is rolled back."""
        with self._driver_errors(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits when the block ends, rolls back on error.

        On SQLite the writers of this process queue on one lock before they
        begin: SQLite admits a single writer anyway, and a queue is fairer and
        far faster than threads retrying the file lock with back-off sleeps.
        """
        with (
            self._writer or nullcontext(),
            self._driver_errors(),
            Session(self._write_engine, expire_on_commit=False) as session,
        ):
            try:
                yield session
                _run_before_commit(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise
            recorded: list[str] = session.info.pop(_RECORDED, [])
            for observer in self.commit_observers if recorded else ():
                observer(recorded)

    @contextmanager
    def _driver_errors(self) -> Iterator[None]:
        """A lost connection (or a lock not granted in time) is `DatabaseUnavailable`; a
        value the database cannot hold is `ValidationFailed` (422), never a crash.

        The web layer's input bounds (`web/bounds`) refuse such values first, naming
        the field; this is the backstop for any path they do not cover: NUL or an
        out-of-range number on PostgreSQL (`DataError`), an integer beyond 64 bits on
        SQLite (the driver's `OverflowError`).
        """
        try:
            yield
        except (DataError, OverflowError):
            raise ValidationFailed(
                "Ett värde går inte att lagra (ett otillåtet tecken eller ett för stort tal). "
                "Ingenting har ändrats."
            ) from None
        except (OperationalError, InterfaceError) as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
            raise DatabaseUnavailable(
                f"The database {self.display_url} is unavailable: {reason}"
            ) from None

    def check(self) -> None:
        """Raise `DatabaseUnavailable` with one clear line if the database cannot be used."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise DatabaseUnavailable(
                f"Cannot reach the database {self.display_url}: {reason}"
            ) from None
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(
                f"Cannot use the database {self.display_url}: {error.__class__.__name__}"
            ) from None

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so that the
        # "begin" hook below decides how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")
