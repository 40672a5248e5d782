"""Why an operation costs what it does: statements per call and where its time goes.

Both run on extra, untimed calls after the timed ones, so they never slow a figure.

- `statements`: cursor executions per call, counted by SQLAlchemy's
  `before_cursor_execute` event on the engine (SQLite's `BEGIN IMMEDIATE` is one;
  the COMMIT is not a cursor execution and is not counted).
- `time_shares`: a sampling profiler. A thread looks at the calling thread's
  Python stack every ~0.5 ms and files each sample under the first that
  matches: reminder work (a frame in gatekeeper's `reminders` packages), the
  audit chain (a frame in its `audit` packages), SQL execution (the innermost
  frame waits on the driver: SQLite or PostgreSQL doing the statement or the
  commit), SQLAlchemy (the innermost frame is in SQLAlchemy: ORM, compiling,
  results), and the rest (gatekeeper's own Python, pydantic, ...). The first
  two include their own SQL.
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


def statements(engine: Engine, operation: Callable[[int], object], count: int) -> float:
    """Cursor executions per call of `operation(n)`, over `count` calls."""
    seen = [0]

    def counted(*_args: Any) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        for n in range(count):
            operation(n)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return seen[0] / count if count else 0.0


def _kind(frame: FrameType | None) -> str:
    innermost = frame
    walking = frame
    while walking is not None:
        name = walking.f_code.co_filename.replace("\\", "/")
        for kind, parts in SHARES:
            if any(part in name for part in parts):
                return kind
        walking = walking.f_back
    if innermost is None:
        return "rest"
    name = innermost.f_code.co_filename.replace("\\", "/")
    if innermost.f_code.co_name in SQL_CALLS or "/psycopg/" in name or "/sqlite3/" in name:
        return "SQL execution"
    if "/sqlalchemy/" in name:
        return "SQLAlchemy"
    return "rest"


def time_shares(operation: Callable[[int], object], count: int) -> dict[str, float]:
    """Share of samples per kind (0..1) over `count` calls of `operation(n)`."""
    target = threading.get_ident()
    seen: Counter[str] = Counter()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            time.sleep(0.0005)
            seen[_kind(sys._current_frames().get(target))] += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        for n in range(count):
            operation(n)
    finally:
        done.set()
        sampler.join()
        sys.setswitchinterval(interval)
    total = sum(seen.values()) or 1
    return {kind: seen[kind] / total for kind in ("reminders", "audit chain", "SQL execution",
                                                   "SQLAlchemy", "rest")}  # fmt: skip


def describe(shares: dict[str, float]) -> str:
    """`reminders 31 %, audit chain 9 %, ...` in a fixed order."""
    return ", ".join(f"{kind} {share:.0%}".replace("%", " %") for kind, share in shares.items())
