"""Why an operation costs what it does: statements per call and where its time goes.

Both run on extra, untimed calls after the timed ones, so they never slow a figure.

- `statements`: cursor executions per call, counted by SQLAlchemy's
  `before_cursor_execute` event on the engine (SQLite's `BEGIN IMMEDIATE` is one;
  the COMMIT is not a cursor execution and is not counted).
- `time_shares`: a sampling profiler. A thread looks at every other thread's
  Python stack every ~0.5 ms, leaves out threads that only wait, and files each
  sample under the first that matches: reminder work (a frame in gatekeeper's
  `reminders` packages), the audit chain (its `audit` packages), page
  templates (Jinja), SQL in the driver (the innermost frame waits on the
  driver: SQLite or PostgreSQL doing a statement, fetching its rows or
  committing), SQLAlchemy (ORM, compiling, building results), gatekeeper's
  own Python, and other libraries (pydantic, Starlette, ...). The first three
  include their own SQL.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from types import FrameType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

SHARES = (
    ("reminders", ("/gatekeeper/services/reminders/", "/gatekeeper/store/reminders/")),
    ("audit chain", ("/gatekeeper/services/audit/", "/gatekeeper/store/audit/")),
)
SQL_CALLS = {"do_execute", "do_executemany", "do_execute_no_params", "do_commit", "do_rollback"}
FETCHES = {
    "fetchall",
    "fetchone",
    "fetchmany",
    "_fetchall_impl",
    "_fetchone_impl",
    "_fetchmany_impl",
    "_buffer_rows",
}  # the driver steps SQLite's statement here too


Before = Callable[[int], object] | None


def statements(
    engine: Engine, operation: Callable[[int], object], count: int, *, before: Before = None
) -> float:
    """Cursor executions per call of `operation(n)`, over `count` calls; `before(n)`,
    if given, runs uncounted before each (e.g. a tick that a read should follow)."""
    seen = [0]
    counting = [False]

    def counted(*_args: Any) -> None:
        seen[0] += counting[0]

    event.listen(engine, "before_cursor_execute", counted)
    try:
        for n in range(count):
            if before is not None:
                before(n)
            counting[0] = True
            operation(n)
            counting[0] = False
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return seen[0] / count if count else 0.0


IDLE_FILES = ("/threading.py", "/selectors.py", "/queue.py", "/concurrent/futures/_base.py",
              "/concurrent/futures/thread.py", "/asyncio/base_events.py")  # fmt: skip


def _kind(frame: FrameType) -> str | None:
    """What a thread is doing, by its stack; None when it only waits (idle)."""
    innermost = frame
    name = innermost.f_code.co_filename.replace("\\", "/")
    if name.endswith(IDLE_FILES) or "/anyio/" in name:
        return None
    walking: FrameType | None = frame
    while walking is not None:
        outer = walking.f_code.co_filename.replace("\\", "/")
        for kind, parts in SHARES:
            if any(part in outer for part in parts):
                return kind
        if "/jinja2/" in outer or outer.endswith((".html", ".jinja")):
            return "page templates"
        walking = walking.f_back
    code = innermost.f_code.co_name
    if code in SQL_CALLS or "/psycopg/" in name or "/sqlite3/" in name:
        return "SQL in the driver"
    if code in FETCHES and "/sqlalchemy/engine/" in name:
        return "SQL in the driver"
    if "/sqlalchemy/" in name:
        return "SQLAlchemy"
    if "/gatekeeper/" in name:
        return "gatekeeper's Python"
    return "other libraries"


KINDS = ("reminders", "audit chain", "page templates", "SQL in the driver", "SQLAlchemy",
         "gatekeeper's Python", "other libraries")  # fmt: skip


def time_shares(
    operation: Callable[[int], object], count: int, *, before: Before = None
) -> dict[str, float]:
    """Share of busy samples per kind (0..1) over `count` calls of `operation(n)`
    (`before(n)` runs unsampled before each).

    Every thread but the sampler is looked at (a test client runs the app in
    threads of its own); a thread that only waits is left out.
    """
    sampler_id: list[int] = []
    seen: Counter[str] = Counter()
    done, active = threading.Event(), threading.Event()

    def sample() -> None:
        sampler_id.append(threading.get_ident())
        while not done.is_set():
            time.sleep(0.0005)
            if not active.is_set():
                continue
            for ident, frame in sys._current_frames().items():
                if ident != sampler_id[0]:
                    kind = _kind(frame)
                    if kind is not None:
                        seen[kind] += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        for n in range(count):
            if before is not None:
                before(n)
            active.set()
            operation(n)
            active.clear()
    finally:
        done.set()
        sampler.join()
        sys.setswitchinterval(interval)
    total = sum(seen.values()) or 1
    return {kind: seen[kind] / total for kind in KINDS if seen[kind]}


def describe(shares: dict[str, float]) -> str:
    """`reminders 31 %, audit chain 9 %, ...` in a fixed order, the kinds seen."""
    shown = [(kind, share) for kind, share in shares.items() if share >= 0.005]
    return ", ".join(f"{kind} {share:.0%}".replace("%", " %") for kind, share in shown)
