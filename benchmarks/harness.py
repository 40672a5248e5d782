"""The benchmark harness: scenario registry, timing and memory helpers, one worker per scenario.

A scenario is a function registered by name (`@scenario("gate_transition", ...)`)
that gets a `Bench` (a fresh, migrated-on-demand database of one kind, the
`--quick` flag, a scratch folder) and returns `Figure`s; a figure carries its
goal and, by key, the limit it is compared with. The limits
(`benchmarks.limits`) run first in every run, on each database, and the parent
process puts each figure next to them. A scenario whose prerequisites are
missing raises `Skipped` with the reason and is reported as such, never left out
silently.

Every scenario runs in its own worker process (`python -m benchmarks --worker`)
on its own fresh database: a SQLite file in a temporary folder, or a fresh
PostgreSQL schema dropped afterwards. That keeps scenarios from warming or
filling each other's caches and makes the memory figures mean something:

- peak RSS: `resource.getrusage(RUSAGE_SELF).ru_maxrss` of the worker at its end,
  i.e. interpreter and imports (the worker's baseline, also reported) plus the
  scenario's setup and measured part, whichever was higher;
- heap peak: `tracemalloc` peak of Python allocations during one extra, untimed
  run of the measured operation (`Bench.heap`), so tracing never slows the timed
  runs. It does not see memory allocated in C by SQLite or libpq.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import os
import resource
import statistics
import sys
import tempfile
import time
import traceback
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import psycopg
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DATABASES = ("sqlite", "postgresql")
SELECTED_DATABASES = "BENCH_DATABASES"  # set by the parent for its workers: the run's databases
Database = Literal["sqlite", "postgresql"]


class Skipped(Exception):
    """A scenario's prerequisites are missing; the message says which."""


# --- figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """What a figure should reach: below a value, at least a value, a share of its limit.

    Every criterion given must hold (a gate transition: ≥ 0.25× its limit and
    ≥ 1,100/s). `issue` names the issue whose goal it is; the goals of the
    current issue (`CURRENT_ISSUE`) head RESULTS.md in a table of their own.
    """

    text: str
    below: float | None = None
    at_least: float | None = None
    share_of_limit: float | None = None  # 1.0: at least as much as the limit
    issue: int | None = None

    def met(self, value: float, limit: float | None) -> bool | None:
        """True/False, or None when it cannot be judged (no limit measured)."""
        verdicts: list[bool] = []
        if self.below is not None:
            verdicts.append(value < self.below)
        if self.at_least is not None:
            verdicts.append(value >= self.at_least)
        if self.share_of_limit is not None:
            if limit is None:
                return None
            verdicts.append(value >= self.share_of_limit * limit)
        return all(verdicts) if verdicts else None


CURRENT_ISSUE = 14


def goal14(
    text: str,
    *,
    below: float | None = None,
    at_least: float | None = None,
    share_of_limit: float | None = None,
) -> Goal:
    """A goal of issue 14."""
    return Goal(text, below, at_least, share_of_limit, issue=CURRENT_ISSUE)


@dataclass(frozen=True)
class Figure:
    """One measured number, with its unit, goal and the key of the limit it is read against.

    `key` names a figure that others compare with (the limits set it); `limit`
    is the key of such a figure measured on the same database in the same run.
    """

    label: str
    value: float
    unit: str
    goal: Goal | None = None
    limit: str | None = None
    key: str | None = None
    note: str = ""
    database: str | None = None  # when a scenario measures another database than its own
    diagnosis: str = ""  # measured reasons, shown beside the goal when it is missed


@dataclass
class Result:
    """What one scenario on one database gave (or why it gave nothing)."""

    scenario: str
    database: str
    status: Literal["ok", "skipped", "failed"]
    reason: str = ""
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    baseline_rss_mib: float | None = None
    peak_rss_mib: float | None = None
    heap_peak_mib: float | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Result:
        figures = [
            Figure(**{**f, "goal": Goal(**f["goal"]) if f["goal"] else None})
            for f in raw.pop("figures")
        ]
        return cls(**raw, figures=figures)


# --- registry -----------------------------------------------------------------------------


@dataclass
class Bench:
    """What a scenario gets: a fresh empty database of one kind, the flags and helpers."""

    database: Database
    url: str
    quick: bool
    folder: Path
    notes: list[str] = field(default_factory=list)
    heap_peak: int | None = None

    def count(self, full: int, quick: int) -> int:
        """An iteration count: `full` in a normal run, `quick` under --quick."""
        return quick if self.quick else full

    def note(self, text: str) -> None:
        """A sentence printed and written with the scenario's figures."""
        self.notes.append(text)

    def heap(self, operation: Callable[[], object]) -> None:
        """Run `operation` once more, untimed, under tracemalloc; keep the highest peak."""
        tracemalloc.start()
        try:
            operation()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.heap_peak = max(self.heap_peak or 0, peak)


ScenarioFunction = Callable[[Bench], list[Figure]]


@dataclass(frozen=True)
class Scenario:
    """A registered benchmark."""

    name: str
    title: str
    run: ScenarioFunction
    databases: tuple[Database, ...] = ("sqlite", "postgresql")
    default: bool = True  # part of a run that names no scenarios
    elsewhere: str = ""  # why it is not run on the other databases, if it is not


REGISTRY: dict[str, Scenario] = {}


def scenario(
    name: str,
    title: str,
    *,
    databases: tuple[Database, ...] = ("sqlite", "postgresql"),
    default: bool = True,
    elsewhere: str = "",
) -> Callable[[ScenarioFunction], ScenarioFunction]:
    """Register a scenario function under `name` (order of registration is run order)."""

    def register(function: ScenarioFunction) -> ScenarioFunction:
        REGISTRY[name] = Scenario(name, title, function, databases, default, elsewhere)
        return function

    return register


def load_scenarios() -> dict[str, Scenario]:
    """Import the limits and every scenario module; the registry in run order."""
    importlib.import_module("benchmarks.limits")
    importlib.import_module("benchmarks.scenarios")
    return REGISTRY


def require(module: str, what: str) -> ModuleType:
    """Import a prerequisite of a scenario, or skip it saying what is missing."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is not None and module.startswith(error.name):
            raise Skipped(f"{what} is not there yet ({module})") from None
        raise


def require_attribute(module: ModuleType, name: str, what: str) -> Any:
    """A function of a prerequisite module, or skip saying which one is missing."""
    found = getattr(module, name, None)
    if found is None:
        raise Skipped(f"{what} is not there yet ({module.__name__}.{name})")
    return found


# --- timing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Samples:
    """Durations of repeated runs, in milliseconds."""

    ms: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile."""
        ordered = sorted(self.ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def per_second(self) -> float:
        return len(self.ms) / (sum(self.ms) / 1000) if self.ms else 0.0


def time_each(
    operation: Callable[[int], object],
    count: int,
    *,
    warmup: int = 0,
    before: Callable[[int], object] | None = None,
) -> Samples:
    """Time `count` calls of `operation(n)` one by one, after `warmup` untimed calls.

    `before(n)`, if given, runs untimed before each call (e.g. a change that
    makes the next read rebuild what it would otherwise find cached).
    """
    samples = []
    for n in range(warmup + count):
        if before is not None:
            before(n)
        started = time.perf_counter()
        operation(n)
        if n >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return Samples(tuple(samples))


def rate(operation: Callable[[int], object], count: int) -> float:
    """Calls of `operation(n)` per second over `count` calls in a row."""
    started = time.perf_counter()
    for n in range(count):
        operation(n)
    return count / (time.perf_counter() - started)


def once(operation: Callable[[], object]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    operation()
    return time.perf_counter() - started


# --- databases ----------------------------------------------------------------------------


def libpq_dsn(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as psycopg wants it (no driver suffix, no options)."""
    return make_url(url).set(drivername="postgresql", query={}).render_as_string(False)


def postgres_problem(url: str = POSTGRES_URL) -> str | None:
    """None when PostgreSQL answers, else one line saying why not."""
    try:
        with psycopg.connect(libpq_dsn(url), connect_timeout=3):
            return None
    except psycopg.OperationalError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        return f"PostgreSQL at {url} is not reachable: {first}"


@contextlib.contextmanager
def fresh_database(database: Database, folder: Path) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a new schema dropped afterwards."""
    if database == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    dsn = libpq_dsn(POSTGRES_URL)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield (
            make_url(POSTGRES_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


# --- the worker ---------------------------------------------------------------------------


def _rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_one(name: str, database: Database, *, quick: bool) -> Result:
    """Run one scenario on one fresh database in this process (the worker's job)."""
    chosen = load_scenarios()[name]
    baseline = _rss_mib()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as folder:
        try:
            with fresh_database(database, Path(folder)) as url:
                bench = Bench(database=database, url=url, quick=quick, folder=Path(folder))
                figures = chosen.run(bench)
            result = Result(name, database, "ok", figures=figures, notes=bench.notes)
            if bench.heap_peak is not None:
                result.heap_peak_mib = bench.heap_peak / (1024 * 1024)
        except Skipped as skipped:
            result = Result(name, database, "skipped", reason=str(skipped))
        except Exception as error:  # reported, and the run goes on with the next scenario
            traceback.print_exc()
            result = Result(name, database, "failed", reason=f"{type(error).__name__}: {error}")
    result.seconds = time.perf_counter() - started
    result.baseline_rss_mib = baseline
    result.peak_rss_mib = _rss_mib()
    return result
