"""One slow receiver does not hold up the others (issue 16, finding 7), on SQLite and PostgreSQL.

Two receivers on 127.0.0.1 (allowed here through the allow-list): one hangs
until it sees that the healthy one got its delivery, or until a generous
bound passes; the test asserts what the hanging one saw, not how long
anything took. Deliveries to one receiver still go one at a time, in order,
and each is recorded once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_network
from typing import Any

import pytest
from sqlmodel import select

from gatekeeper.core.egress import EgressPolicy
from gatekeeper.core.events import EventName
from gatekeeper.core.status import DeliveryStatus
from gatekeeper.services.audit import webhook_dispatch
from gatekeeper.services.audit import webhook_subscription as subscriptions
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.audit.webhook_tables import WebhookDelivery
from tests.factories import PROJEKTLEDARE, start_ibic
from tests.live_server import running

KEY = "ibic-alingsas"
LOCAL = EgressPolicy(require_https=False, allowed_networks=(ip_network("127.0.0.1/32"),))
BOUND_SECONDS = 20  # far beyond what a parallel dispatcher needs; only a sequential one waits


@dataclass
class Receivers:
    healthy_port: int = 0
    hanging_port: int = 0
    healthy_paths: list[str] = field(default_factory=list)
    hang_saw_healthy: list[bool] = field(default_factory=list)
    healthy_got_one: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def receivers() -> Iterator[Receivers]:
    state = Receivers()

    class Healthy(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.healthy_paths.append(self.path)
            state.healthy_got_one.set()
            self._answer()

        def _answer(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Hanging(Healthy):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.hang_saw_healthy.append(state.healthy_got_one.wait(BOUND_SECONDS))
            self._answer()

    servers = [ThreadingHTTPServer(("127.0.0.1", 0), handler) for handler in (Healthy, Hanging)]
    state.healthy_port = servers[0].server_address[1]
    state.hanging_port = servers[1].server_address[1]
    with running(*servers):
        try:
            yield state
        finally:
            state.healthy_got_one.set()


def _add_risks(ctx: Context, count: int) -> None:
    for n in range(count):
        risks.add_risk(
            ctx, PROJEKTLEDARE, project_key=KEY, title=f"Risk {n}", probability=2, consequence=2
        )


def test_a_hanging_receiver_does_not_hold_up_a_healthy_one(
    ctx: Context, receivers: Receivers
) -> None:
    local = replace(ctx, webhook_egress=LOCAL)
    start_ibic(local)
    # The hanging receiver's subscription comes first: a dispatcher sending one
    # delivery after another would wait for it before the healthy one's turn.
    for port, path in ((receivers.hanging_port, "/slow"), (receivers.healthy_port, "/ok")):
        subscriptions.subscribe(
            local,
            PROJEKTLEDARE,
            project_key=KEY,
            url=f"http://127.0.0.1:{port}{path}",
            event_types=[EventName.RISK_CREATED],
        )
    _add_risks(local, 1)

    report = webhook_dispatch.dispatch_due(local, timeout_seconds=BOUND_SECONDS + 10)

    assert receivers.hang_saw_healthy == [True]  # the healthy one was served during the hang
    assert receivers.healthy_paths == ["/ok"]
    assert report == webhook_dispatch.DispatchReport(claimed=2, delivered=2)


def test_deliveries_to_one_receiver_go_in_order_and_each_is_recorded_once(
    ctx: Context, receivers: Receivers
) -> None:
    local = replace(ctx, webhook_egress=LOCAL)
    start_ibic(local)
    for path in ("/a", "/b"):
        subscriptions.subscribe(
            local,
            PROJEKTLEDARE,
            project_key=KEY,
            url=f"http://127.0.0.1:{receivers.healthy_port}{path}",
            event_types=[EventName.RISK_CREATED],
        )
    _add_risks(local, 3)

    report = webhook_dispatch.dispatch_due(local, concurrency=4)

    assert report == webhook_dispatch.DispatchReport(claimed=6, delivered=6)
    assert receivers.healthy_paths == ["/a", "/b"] * 3  # one receiver: claim order
    with ctx.db.read() as session:
        rows = session.exec(select(WebhookDelivery)).all()
    assert [(r.status, r.attempts) for r in rows] == [(DeliveryStatus.DELIVERED, 1)] * 6
    assert webhook_dispatch.dispatch_due(local).claimed == 0


def test_receivers_are_told_apart_by_scheme_host_and_port() -> None:
    receiver = webhook_dispatch.receiver_of

    assert receiver("https://hooks.example.se/a") == receiver("https://hooks.example.se/b?x=1")
    assert receiver("https://hooks.example.se/a") != receiver("https://hooks.example.se:8443/a")
    assert receiver("https://hooks.example.se/a") != receiver("http://hooks.example.se/a")
