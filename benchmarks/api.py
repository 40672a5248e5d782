"""API benchmark: checklist ticks over HTTP at concurrency 16, next to a bare endpoint.

Two uvicorn servers run one after the other, each in its own process with the same
settings (127.0.0.1, one worker, access log off), and `wrk` (its own process)
drives each with `benchmarks/tick.lua`: PATCH .../items/{checklist}/{item}
round-robin over the gate's items, done/open alternating, bearer token on every
request, a fresh comment each time so that every request writes.

- gatekeeper: `create_app(Settings())` on a fresh database (what `gatekeeper db
  upgrade` does, then the IBIC project from tests/factories.py and a write token
  for its projektledare), gate `forstudie-klar`.
- bare (the limit): a FastAPI app with one synchronous PATCH route of the same
  shape and body that does one insert per request through gatekeeper's own
  `Database.write()`: the same engine, pragmas (WAL, synchronous=NORMAL,
  busy_timeout), `BEGIN IMMEDIATE` and writer queueing, whatever they are.

Each side gets a short warm-up, then a measured run; the figures are req/s and
p50/p90/p99 latency from wrk, and the server's CPU time per request (/proc).
SQLite always; PostgreSQL too when reachable (a fresh schema, dropped afterwards).
Goals from issue 4: gatekeeper/bare ≥ 0.5 and p99 < 50 ms on SQLite; printed as
met or missed, nothing asserted.

Run: `python -m benchmarks.api [--duration 15] [--postgres URL]` (or `make bench-api`).
Needs `wrk` (Debian/Ubuntu: `apt-get install -y wrk`). Numbers go to
benchmarks/RESULTS.md by hand, with the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Literal

import psycopg
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import text

from gatekeeper.config import Settings
from gatekeeper.core.actor import Actor
from gatekeeper.core.status import TokenScope
from gatekeeper.services.access import account as accounts
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.setup import load_definitions
from gatekeeper.store import migration
from gatekeeper.store.database import Database
from gatekeeper.web.app import create_app
from tests.factories import PROJEKTLEDARE, start_ibic

HOST = "127.0.0.1"
PROJECT_KEY = "ibic-alingsas"
GATE_ID = "forstudie-klar"
BARE_URL_ENV = "BENCH_BARE_DATABASE_URL"
ROOT = Path(__file__).resolve().parent.parent
TICK_SCRIPT = Path(__file__).resolve().parent / "tick.lua"
UVICORN = ["--host", HOST, "--workers", "1", "--log-level", "warning", "--no-access-log"]
WRK_MISSING = (
    "wrk is not installed or not on PATH. benchmarks.api drives the servers with wrk:\n"
    "  Debian/Ubuntu: sudo apt-get install -y wrk\n"
    "  macOS (Homebrew): brew install wrk\n"
    "  elsewhere: build it from https://github.com/wg/wrk"
)


# --- the two apps, built by uvicorn --factory in their own processes ---------------------


def gatekeeper_app() -> FastAPI:
    """gatekeeper as `gatekeeper serve` builds it, from GATEKEEPER_ settings."""
    return create_app(Settings())


class TickBody(BaseModel):
    status: Literal["done", "open", "not_applicable"]
    evidence: str | None = None
    comment: str | None = None


def bare_app() -> FastAPI:
    """The limit: the same route shape and body, one insert per request, nothing else."""
    db = Database(os.environ[BARE_URL_ENV])
    with db.write() as session:
        session.connection().execute(
            text(
                "CREATE TABLE IF NOT EXISTS bench_tick "
                "(item TEXT, status TEXT, evidence TEXT, comment TEXT)"
            )
        )
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.patch("/api/v1/projects/{project_key}/gates/{gate_id}/items/{checklist_id}/{item_id}")
    def tick(
        project_key: str, gate_id: str, checklist_id: str, item_id: str, body: TickBody
    ) -> dict[str, str]:
        with db.write() as session:
            session.connection().execute(
                text("INSERT INTO bench_tick VALUES (:item, :status, :evidence, :comment)"),
                {
                    "item": f"{project_key}/{gate_id}/{checklist_id}/{item_id}",
                    "status": body.status,
                    "evidence": body.evidence,
                    "comment": body.comment,
                },
            )
        return {"status": body.status}

    return app


# --- set-up -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What wrk needs: a bearer token and the items of the gate."""

    token: str
    items: list[str]


def prepare(url: str) -> Target:
    """Migrate, start the IBIC project, give its projektledare an account and a write token."""
    settings = Settings(database_url=url)
    db = Database(url)
    try:
        migration.upgrade(db)  # what `gatekeeper db upgrade` does
        ctx = Context(db=db, catalog=load_definitions(settings))
        start_ibic(ctx, key=PROJECT_KEY)
        admin = Actor.user("registrator@alingsas.se", "Registrator Alingsås")
        accounts.create_user(ctx, admin, email=PROJEKTLEDARE.id, name="Anita Lindqvist")
        made = accounts.create_token(
            ctx,
            admin,
            owner_email=PROJEKTLEDARE.id,
            name="bench-api",
            scope=TokenScope.WRITE,
            projects=[PROJECT_KEY],
            days=1,
        )
        items = [
            f"{item.checklist_id}/{item.row.item_id}"
            for item in gates.gate_readiness(ctx, PROJECT_KEY, GATE_ID).items
        ]
    finally:
        db.dispose()
    return Target(token=made.plaintext, items=items)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(
    factory: str, env: dict[str, str], health: str, logs: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A uvicorn process serving `factory`; stopped (and waited for) on the way out."""
    port = free_port()
    log = (logs / f"{factory.rsplit(':', 1)[1]}-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port), *UVICORN],
        cwd=logs,  # no stray .env is read
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a Ctrl-C reaches us, and we stop it in order
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{factory} exited at start:\n{_tail(log.name)}")
            with (
                suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                urllib.request.urlopen(base + health, timeout=2) as answer,
            ):
                if answer.status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{factory} did not answer {health}:\n{_tail(log.name)}")
            time.sleep(0.1)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _tail(path: str, lines: int = 20) -> str:
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


# --- measuring ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What one measured wrk run saw (and what the server spent, when /proc tells)."""

    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    cpu_ms: float | None = None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_BENCH_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)


def wrk(base: str, target: Target, *, seconds: int, connections: int, threads: int) -> Figures:
    """One wrk run of tick.lua against `base`."""
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        "--latency",
        f"--script={TICK_SCRIPT}",
        base,
    ]
    env = {
        **os.environ,
        "GK_TOKEN": target.token,
        "GK_PATH": f"/api/v1/projects/{PROJECT_KEY}/gates/{GATE_ID}/items",
        "GK_ITEMS": " ".join(target.items),
    }
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    found = _BENCH_LINE.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = {key: int(value) for key, value in (p.split("=") for p in found.group(1).split())}
    return Figures(
        requests=raw["requests"],
        rps=raw["requests"] / (raw["duration_us"] / 1e6),
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors={k: v for k, v in raw.items() if k.endswith(("_errors", "timeouts")) and v},
    )


@dataclass(frozen=True)
class RunOptions:
    """The command-line options, plus the folder for server logs."""

    duration: int
    warmup: int
    connections: int
    threads: int
    logs: Path


def measure(
    label: str,
    factory: str,
    env: dict[str, str],
    health: str,
    target: Target,
    args: RunOptions,
) -> Figures:
    """Start `factory`, warm up, measure once with wrk, stop it; print the line."""
    with server(factory, env, health, args.logs) as (base, process):
        wrk(base, target, seconds=args.warmup, connections=args.connections, threads=args.threads)
        before = cpu_seconds(process.pid)
        figures = wrk(
            base, target, seconds=args.duration, connections=args.connections, threads=args.threads
        )
        after = cpu_seconds(process.pid)
    if before is not None and after is not None and figures.requests:
        figures = replace(figures, cpu_ms=(after - before) * 1000 / figures.requests)
    cpu = f"  server CPU {figures.cpu_ms:5.2f} ms/req" if figures.cpu_ms is not None else ""
    print(
        f"[{label:<21}] {figures.rps:6.0f} req/s  p50 {figures.p50_ms:7.2f} ms  "
        f"p90 {figures.p90_ms:7.2f} ms  p99 {figures.p99_ms:7.2f} ms  "
        f"max {figures.max_ms:7.1f} ms{cpu}  ({figures.requests} requests"
        + (f", ERRORS {figures.errors}" if figures.errors else "")
        + ")",
        flush=True,
    )
    return figures


def compare(label: str, url: str, args: RunOptions) -> bool:
    """Bare endpoint, then gatekeeper, on `url`; False if any request failed."""
    target = prepare(url)
    bare = measure(
        f"{label} bare",
        "benchmarks.api:bare_app",
        {BARE_URL_ENV: url},
        "/health",
        target,
        args,
    )
    tick = measure(
        f"{label} gatekeeper",
        "benchmarks.api:gatekeeper_app",
        {"GATEKEEPER_DATABASE_URL": url},
        "/api/v1/health",
        target,
        args,
    )
    ratio = tick.rps / bare.rps
    print(
        f"[{label:<21}] ratio gatekeeper/bare {ratio:.2f} (goal >= 0.5: "
        f"{'met' if ratio >= 0.5 else 'missed'}); gatekeeper p99 {tick.p99_ms:.1f} ms "
        f"(goal < 50 ms: {'met' if tick.p99_ms < 50 else 'missed'})",
        flush=True,
    )
    return not (bare.errors or tick.errors)


def machine() -> str:
    version = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    wrk_version = (version.stdout or version.stderr).split(" [")[0]
    return (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {wrk_version}"
    )


def _stop_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that clean up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=15, help="measured seconds per side")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per side")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="PostgreSQL URL (skipped when unreachable; '' to skip)",
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print(WRK_MISSING, file=sys.stderr)
        sys.exit(2)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    print(
        f"{machine()}; {options.connections} connections, {options.threads} wrk threads, "
        f"{options.warmup} s warm-up + {options.duration} s per side",
        flush=True,
    )
    ok = True
    try:
        with tempfile.TemporaryDirectory(prefix="bench-api-") as name:
            folder = Path(name)
            args = RunOptions(
                options.duration, options.warmup, options.connections, options.threads, folder
            )
            ok &= compare("sqlite", f"sqlite:///{folder / 'gatekeeper.db'}", args)
            if options.postgres:
                ok &= _postgres(options.postgres, args)
    except KeyboardInterrupt:
        print("Interrupted; servers stopped and temporary files removed.", file=sys.stderr)
        sys.exit(130)
    if not ok:
        print("Some requests failed; the figures above are not comparable.", file=sys.stderr)
        sys.exit(1)


def _postgres(url: str, args: RunOptions) -> bool:
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    schema = f"bench_api_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as error:
        print(f"[postgresql] skipped: {str(error).strip().splitlines()[0]}")
        return True
    try:
        return compare("postgresql", f"{url}?options=-csearch_path%3D{schema}", args)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
