"""A load past the server's limit degrades into 503 with Retry-After, never into lost or
half-done writes (issue 14, "Bad input").

A real server (uvicorn on a free port, in a thread of the test) with a limit of
two requests at once and a queue of half a second: two ticks whose bodies are
held back keep both places taken, so a burst of ticks sent then is refused,
every one; once the two are let through, a burst of forty races for the places
(on this machine about thirty get through the queue, the rest 503). Afterwards
every tick answered 2xx is in the database and in the audit log exactly once,
every one answered 503 changed nothing, the counters agree, and the audit
chain verifies. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import select

from gatekeeper.config import Settings
from gatekeeper.core.events import EventName
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.web.app import create_app
from tests.factories import IBIC_TARGETS, PROJEKTLEDARE, bearer, start_ibic
from tests.live_server import WAIT, serving

KEY = "ibic-alingsas"
LIMIT = 2
HELD_BURST = 6
RACED_BURST = 40
QUEUE_SECONDS = 0.5  # a request over the limit waits this long for a place


@dataclass(frozen=True)
class Item:
    gate_id: str
    checklist_id: str
    item_id: str
    evidence_required: bool

    @property
    def path(self) -> str:
        return (
            f"/api/v1/projects/{KEY}/gates/{self.gate_id}/items/{self.checklist_id}/{self.item_id}"
        )

    @property
    def object_id(self) -> str:
        return f"{KEY}/{self.gate_id}/{self.checklist_id}/{self.item_id}"

    def body(self) -> bytes:
        evidence = f"https://intranat.alingsas.se/ibic/{self.item_id}.pdf"
        return json.dumps(
            {"status": "done", **({"evidence": evidence} if self.evidence_required else {})}
        ).encode()


def open_items(ctx: Context) -> list[Item]:
    return [
        Item(gate_id, view.checklist_id, view.row.item_id, view.row.evidence_required)
        for gate_id in IBIC_TARGETS
        for view in gates.gate_readiness(ctx, KEY, gate_id).items
        if view.row.status is not ItemStatus.DONE
    ]


@pytest.fixture
def limited_server(ctx: Context) -> Iterator[str]:
    """The app on `ctx`: at most LIMIT requests at once, others wait QUEUE_SECONDS; its URL."""
    settings = Settings(
        demo=True,
        webhook_dispatch=False,
        reminder_dispatch=False,
        retention_purge=False,
        max_concurrent_requests=LIMIT,
        request_queue_seconds=QUEUE_SECONDS,
    )
    with serving(create_app(settings, context=ctx)) as base_url:
        yield base_url


class HeldTick:
    """A tick whose last body byte is held back: the server has admitted it and waits."""

    def __init__(self, base_url: str, headers: dict[str, str], item: Item) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.body = item.body()
        self.socket = socket.create_connection((host, int(port)), timeout=WAIT)
        head = "".join(
            [
                f"PATCH {item.path} HTTP/1.1\r\n",
                f"Host: {host}:{port}\r\n",
                "".join(f"{name}: {value}\r\n" for name, value in headers.items()),
                "Content-Type: application/json\r\n",
                f"Content-Length: {len(self.body)}\r\n",
                "Connection: close\r\n\r\n",
            ]
        )
        self.socket.sendall(head.encode() + self.body[:-1])

    def finish(self) -> int:
        """Send the last byte; the answer's status."""
        self.socket.sendall(self.body[-1:])
        answer = b""
        while chunk := self.socket.recv(65536):
            answer += chunk
        self.socket.close()
        return int(answer.split(b" ", 2)[1])


def burst(base_url: str, headers: dict[str, str], items: list[Item]) -> list[httpx.Response]:
    """One PATCH per item, all sent at once (each from its own thread and connection)."""
    start = threading.Barrier(len(items))
    answers: list[Any] = [None] * len(items)
    # One TLS context for all the clients: each would load the CA certificates (~10 ms).
    tls = ssl.create_default_context()

    def tick(index: int, item: Item) -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=WAIT, verify=tls) as client:
            start.wait()
            try:
                answers[index] = client.patch(
                    item.path, content=item.body(), headers={"Content-Type": "application/json"}
                )
            except httpx.HTTPError as error:  # a dropped connection would be a failure too
                answers[index] = error

    threads = [threading.Thread(target=tick, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert all(isinstance(answer, httpx.Response) for answer in answers), answers
    return answers


def assert_refused_cleanly(answer: httpx.Response, *, reasons: tuple[str, ...]) -> None:
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["retry-after"]) >= 1
    assert answer.json()["type"].rsplit("/", 1)[1] in reasons


def test_a_burst_past_the_limit_is_refused_with_503_and_loses_no_acknowledged_write(
    ctx: Context, limited_server: str
) -> None:
    start_ibic(ctx)
    headers = bearer(ctx, PROJEKTLEDARE.id)
    items = open_items(ctx)
    assert len(items) >= LIMIT + HELD_BURST + RACED_BURST, len(items)
    held_items, refused_items, raced_items = (
        items[:LIMIT],
        items[LIMIT : LIMIT + HELD_BURST],
        items[LIMIT + HELD_BURST : LIMIT + HELD_BURST + RACED_BURST],
    )

    # Two ticks take both places and wait for their last byte.
    held = [HeldTick(limited_server, headers, item) for item in held_items]
    with httpx.Client(base_url=limited_server, headers=headers, timeout=WAIT) as probe:
        deadline = time.monotonic() + WAIT
        while probe.get(f"/api/v1/projects/{KEY}").status_code != 503:
            assert time.monotonic() < deadline, "the held ticks never took the places"
        assert probe.get("/api/v1/health/live").status_code == 200  # monitors get through

    # Every tick of a burst while they are held is refused, cleanly.
    for answer in burst(limited_server, headers, refused_items):
        assert_refused_cleanly(answer, reasons=("overloaded",))

    # The held ticks go through; then a second burst races for the two places.
    assert [tick.finish() for tick in held] == [200] * LIMIT
    raced = burst(limited_server, headers, raced_items)
    for answer in raced:
        if answer.status_code != 200:  # over the limit, or (never seen) a lock not granted
            assert_refused_cleanly(answer, reasons=("overloaded", "database-unavailable"))

    acknowledged = set(held_items) | {
        item for item, answer in zip(raced_items, raced, strict=True) if answer.status_code == 200
    }
    refused = set(refused_items + raced_items) - acknowledged

    # Every acknowledged tick is in the database and in the audit log once; no refused one.
    statuses = dict(item_statuses(ctx))
    assert all(statuses[item] is ItemStatus.DONE for item in acknowledged)
    assert not any(statuses[item] is ItemStatus.DONE for item in refused)
    with ctx.db.read() as session:
        logged = [
            event.object_id
            for event in session.exec(
                select(AuditEvent).where(AuditEvent.action == EventName.CHECKLIST_ITEM_UPDATED)
            )
        ]
    assert sorted(logged) == sorted(item.object_id for item in acknowledged)
    report = audit_log.verify(ctx)
    assert report.ok, report.problem

    # The metrics agree: one tick counted per acknowledged write, one shed per refusal.
    scraped = httpx.get(f"{limited_server}/metrics", timeout=WAIT).text
    assert sample(scraped, 'gatekeeper_ticks_total{kind="checklist"}') == len(acknowledged)
    assert sample(scraped, "gatekeeper_requests_shed_total") >= len(refused)


def item_statuses(ctx: Context) -> list[tuple[Item, ItemStatus]]:
    return [
        (
            Item(gate_id, view.checklist_id, view.row.item_id, view.row.evidence_required),
            view.row.status,
        )
        for gate_id in IBIC_TARGETS
        for view in gates.gate_readiness(ctx, KEY, gate_id).items
    ]


def sample(exposition: str, name: str) -> float:
    """The value of the sample `name` (with its labels) in a Prometheus text exposition."""
    for line in exposition.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} is not in the exposition")
