"""What the HTTP scenarios share: a served gatekeeper, ticks to send, CPU of a process tree.

- `prepared(url, projects)`: migrate, start `projects` IBIC projects, a write
  token of their projektledare (`benchmarks.workers.prepare`).
- `gatekeeper(url, workers, folder)`: `gatekeeper serve --workers N` on a free
  port, as an installation runs it (scheduled jobs on, webhook dispatch off,
  log level warning, so no access log); stopped with its workers on the way out.
- `bare(url, folder)`: the limit, `benchmarks.api:bare_app` under uvicorn: the
  same PATCH route and body, one insert per request through gatekeeper's own
  `Database.write()`.
- `ticks(paths)`: PATCH requests round-robin over the items (done/open
  alternating, a fresh comment each time so every request writes).
- `own_database()`: a PostgreSQL database of its own (the lock-wait sampler
  `LockWaits` tells sessions apart by database), dropped afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg

from benchmarks.api import BARE_URL_ENV, free_port
from benchmarks.harness import POSTGRES_URL, libpq_dsn
from benchmarks.load import Make

EVIDENCE = "https://intranat.alingsas.se/ibic/underlag.pdf"
ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys; from gatekeeper.cli import app; sys.argv[0] = 'gatekeeper'; app()"


@dataclass(frozen=True)
class Served:
    """A running server: its port and the pid of its process group's leader."""

    port: int
    pid: int

    def cpu_seconds(self) -> float | None:
        """CPU time of the server and its worker processes so far (Linux /proc)."""
        total, seen = 0.0, False
        for pid in _tree(self.pid):
            found = _cpu(pid)
            if found is not None:
                total, seen = total + found, True
        return total if seen else None


def _cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in _children(pid):
        found += _tree(child)
    return found


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def prepared(url: str, projects: int) -> tuple[str, list[str]]:
    """(a write token, the item paths of every project's first gate), on a migrated `url`."""
    from benchmarks.workers import prepare

    return prepare(url, projects)


def by_project(paths: list[str]) -> list[list[str]]:
    """The item paths grouped by project, in the order the projects first appear."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(path.split("/")[4], []).append(path)
    return list(groups.values())


def interleaved(paths: list[str]) -> list[str]:
    """Item paths ordered so that consecutive ones belong to different projects."""
    groups = by_project(paths)
    longest = max(len(group) for group in groups)
    return [group[n] for n in range(longest) for group in groups if n < len(group)]


def ticks(paths: list[str]) -> Make:
    """PATCH of item n % len(paths): done on even rounds, open on odd, a fresh comment."""

    def make(n: int) -> tuple[str, str, bytes]:
        status = "done" if (n // len(paths)) % 2 == 0 else "open"
        body = {"status": status, "evidence": EVIDENCE, "comment": f"tick {n}"}
        return "PATCH", paths[n % len(paths)], json.dumps(body).encode()

    return make


def _wait_for(port: int, path: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        with (
            suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"the server did not answer {path}:\n{tail}")
        time.sleep(0.2)


@contextmanager
def _started(
    command: list[str], env: dict[str, str], folder: Path, health: str
) -> Iterator[Served]:
    port = free_port()
    log = folder / f"server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=folder,  # no stray .env is read
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for(port, health, process, log)
            yield Served(port, process.pid)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait()


@contextmanager
def gatekeeper(
    url: str, workers: int, folder: Path, settings: dict[str, str] | None = None
) -> Iterator[Served]:
    """`gatekeeper serve --workers N` on `url` (already migrated), `settings` added to its
    environment (e.g. GATEKEEPER_EXTRA_WORKFLOWS_DIRS)."""
    env = {
        **(settings or {}),
        "GATEKEEPER_DATABASE_URL": url,
        "GATEKEEPER_SECRET_KEY": secrets.token_hex(32),
        "GATEKEEPER_WEBHOOK_DISPATCH": "false",
        "GATEKEEPER_LOG_LEVEL": "warning",
    }
    script = Path(sys.executable).with_name("gatekeeper")
    program = [str(script)] if script.exists() else [sys.executable, "-c", CLI]
    command = [*program, "serve", "--workers", str(workers)]
    with _started(command, env, folder, "/api/v1/health") as served:
        if workers > 1:
            time.sleep(1.0)  # the health answer came from one worker; let the others start
        yield served


@contextmanager
def bare(url: str, folder: Path) -> Iterator[Served]:
    """The bare one-insert endpoint (`benchmarks.api:bare_app`) under uvicorn, one process."""
    command = [sys.executable, "-m", "uvicorn", "--factory", "benchmarks.api:bare_app"]
    command += ["--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]
    with _started(command, {BARE_URL_ENV: url}, folder, "/health") as served:
        yield served


class LockWaits:
    """Samples `pg_stat_activity` of one database every 100 ms while running:
    how many sessions wait, on what (`Lock/transactionid`, `Lock/tuple`: a row lock;
    `LWLock/...`), and the tables whose rows they wait for."""

    def __init__(self, url: str, database: str) -> None:
        self.url, self.database = url, database
        self.seen: Counter[str] = Counter()
        self.samples = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> LockWaits:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self._done.wait(0.1):
                self.samples += 1
                for (table,) in connection.execute(
                    "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE NOT l.granted AND l.locktype = 'tuple'"
                ).fetchall():
                    self.seen[f"row of {table}"] += 1
                for kind, wait in connection.execute(
                    "SELECT wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND state = 'active'",
                    (self.database,),
                ).fetchall():
                    if kind in ("Lock", "LWLock", "IO"):
                        self.seen[f"{kind}/{wait}"] += 1

    def average(self, prefix: str) -> float:
        """Sessions waiting on events starting with `prefix`, on average per sample."""
        found = sum(count for key, count in self.seen.items() if key.startswith(prefix))
        return found / max(self.samples, 1)

    def describe(self) -> str:
        ranked = self.seen.most_common(5)
        if not ranked:
            return "no session waited on a lock"
        return ", ".join(f"{key} {count / max(self.samples, 1):.2f}" for key, count in ranked)


@contextmanager
def own_database() -> Iterator[tuple[str, str]]:
    """(URL, name) of a new PostgreSQL database, dropped on the way out."""
    dsn = libpq_dsn(POSTGRES_URL)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield dsn.rsplit("/", 1)[0] + f"/{name}", name
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
