"""A small HTTP/1.1 load generator on asyncio streams: closed loop (N connections) and fixed rate.

Why not wrk: the one run of `python -m benchmarks` must not depend on a
package the machine may lack, and wrk cannot offer a fixed rate (wrk2 can,
but is not packaged). Why not httpx: it spends ~0.3 ms of Python per request,
which on a 2-core machine is taken from the server being measured. This client
writes each request as bytes on a kept-alive connection and reads the answer
by its Content-Length (uvicorn always sends one for JSON): ~50–80 µs of CPU
per request, which every result reports (`client_cpu_ms`) so a reader can see
what share of the two cores the generator took.

- `closed_loop`: N connections, each sends its next request when the last one
  is answered (what wrk does): the throughput and latency at concurrency N.
  Connection c sends requests c, c + N, c + 2N, ... of `make`.
- `open_loop`: requests are due at a fixed rate whatever the server does; each
  latency counts from when the request was due, not from when a connection
  was free, so queueing in front of a slow server shows in the p99 (no
  coordinated omission). At most `connections` requests are in flight.

A request is `(method, path, body)` from `make(n)`; `headers` go on every one.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Make = Callable[[int], tuple[str, str, bytes]]
GRACE = 10.0  # seconds to wait for answers still out when a run ends


@dataclass
class Load:
    """What one run saw: latencies of the 2xx answers (ms), errors by kind."""

    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    offered: float | None = None  # requests/s asked for (open loop)
    client_cpu_s: float = 0.0

    @property
    def answered(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile of the latencies, in ms (inf when nothing answered)."""
        if not self.latencies_ms:
            return math.inf
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    @property
    def client_cpu_ms(self) -> float:
        sent = self.answered + sum(self.errors.values())
        return self.client_cpu_s * 1000 / sent if sent else 0.0

    def describe(self) -> str:
        errors = f", errors {dict(self.errors)}" if self.errors else ""
        offered = f"offered {self.offered:,.0f}/s, " if self.offered else ""
        return (
            f"{offered}{self.rps:,.0f} answered/s, p50 {self.p50:.1f} ms, p99 {self.p99:.1f} ms"
            f"{errors}"
        )


class Connection:
    """One kept-alive HTTP/1.1 connection; reopened when the server closed it."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": host, **headers}.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def send(self, method: str, path: str, body: bytes) -> int:
        """Send one request, read the whole answer; its status code."""
        for attempt in (1, 2):
            if self.writer is None:
                await self._open()
            assert self.reader is not None and self.writer is not None
            request = (
                f"{method} {path} HTTP/1.1\r\n{self.head}"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            try:
                self.writer.write(request)
                head = await self.reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
                continue
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            length, closing = 0, False
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip().lower() == "close":
                    closing = True
            if length:
                await self.reader.readexactly(length)
            if closing:
                self.close()
            return status
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _one(load: Load, connection: Connection, make: Make, n: int, due: float) -> None:
    method, path, body = make(n)
    try:
        status = await connection.send(method, path, body)
    except (OSError, asyncio.IncompleteReadError, ValueError) as error:
        load.errors[type(error).__name__] += 1
        return
    if 200 <= status < 300:
        load.latencies_ms.append((time.perf_counter() - due) * 1000)
    else:
        load.errors[str(status)] += 1


async def _closed(
    host: str, port: int, headers: dict[str, str], make: Make, connections: int, seconds: float
) -> Load:
    load = Load(seconds)
    stop = time.perf_counter() + seconds

    async def loop(number: int) -> None:
        connection = Connection(host, port, headers)
        sent = 0
        try:
            while time.perf_counter() < stop:
                n = number + sent * connections  # n % connections: which connection sends
                await _one(load, connection, make, n, time.perf_counter())
                sent += 1
        finally:
            connection.close()

    cpu = time.process_time()
    await asyncio.gather(*(loop(number) for number in range(connections)))
    load.client_cpu_s = time.process_time() - cpu
    return load


async def _open(
    host: str,
    port: int,
    headers: dict[str, str],
    make: Make,
    rate: float,
    seconds: float,
    connections: int,
) -> Load:
    load = Load(seconds, offered=rate)
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        free.put_nowait(Connection(host, port, headers))

    async def due_request(n: int, due: float) -> None:
        connection = await free.get()  # waiting for a free connection counts as latency
        try:
            await _one(load, connection, make, n, due)
        finally:
            free.put_nowait(connection)

    cpu = time.process_time()
    started = time.perf_counter()
    tasks = []
    for n in range(int(rate * seconds)):
        due = started + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(due_request(n, due)))
    _, pending = await asyncio.wait(tasks, timeout=GRACE) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    load.errors.update({"unanswered": len(pending)} if pending else {})
    load.client_cpu_s = time.process_time() - cpu
    while not free.empty():
        free.get_nowait().close()
    return load


def closed_loop(
    port: int, headers: dict[str, str], make: Make, *, connections: int, seconds: float
) -> Load:
    """`connections` connections sending back to back for `seconds`."""
    return asyncio.run(_closed("127.0.0.1", port, headers, make, connections, seconds))


def open_loop(
    port: int,
    headers: dict[str, str],
    make: Make,
    *,
    rate: float,
    seconds: float,
    connections: int = 64,
) -> Load:
    """Requests due at `rate` per second for `seconds`, at most `connections` in flight."""
    return asyncio.run(_open("127.0.0.1", port, headers, make, rate, seconds, connections))
