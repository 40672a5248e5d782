"""Webhooks on SQLite and PostgreSQL: outbox, signing, retries, crashes, parallel dispatchers.

Deliveries go to a real HTTP receiver on 127.0.0.1 (a `ThreadingHTTPServer`
in a thread), which the context here allows as an installation allows an
on-premise receiver: 127.0.0.1/32 in its allowed networks, http:// as in demo
mode (the egress rules themselves are tested in test_webhook_egress.py).
Nothing sleeps: `dispatch_due` is called directly and the fixed clock is
moved past each back-off.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_network
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from gatekeeper.config import Settings
from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.egress import EgressPolicy
from gatekeeper.core.events import EventName
from gatekeeper.core.events.projects import RiskCreated, RiskState
from gatekeeper.core.status import DeliveryStatus, ItemStatus
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.scheduler import (
    ELECTION_JOB_ID,
    WEBHOOK_JOB_ID,
    dispatch_webhooks,
    start_scheduler,
    stop_scheduler,
)
from gatekeeper.services import change
from gatekeeper.services.audit import (
    webhook_delivery_log,
    webhook_dispatch,
    webhook_sender,
    webhook_subscription,
)
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.audit.outbox import canonical_body
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery, WebhookSubscription
from gatekeeper.web.app import create_app
from tests.factories import PROJEKTLEDARE, start_ibic
from tests.live_server import running

KEY = "ibic-alingsas"
LOCAL_RECEIVERS = EgressPolicy(require_https=False, allowed_networks=(ip_network("127.0.0.1/32"),))


@pytest.fixture
def ctx(ctx: Context) -> Context:
    """The shared context, allowing the receivers of these tests through the allow-list."""
    return replace(ctx, webhook_egress=LOCAL_RECEIVERS)


# --- a receiver, and how a receiver checks a signature ------------------------------------


@dataclass(frozen=True)
class Request:
    path: str
    headers: Mapping[str, str]
    body: bytes

    def payload(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.body)
        return loaded


@dataclass
class Receiver:
    """Records every POST; answers `status` (per path if `statuses` names it)."""

    port: int = 0
    status: int = 200
    statuses: dict[str, int] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self) -> list[Request]:
        with self.lock:
            return list(self.requests)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with state.lock:
                state.requests.append(Request(self.path, dict(self.headers.items()), body))
                code = state.statuses.get(self.path, state.status)
            self.send_response(code)
            if 300 <= code < 400:
                self.send_header("Location", state.url("/elsewhere"))
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    with running(server):
        yield state


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _documented_verify() -> Callable[..., bool]:
    """The receiver's check exactly as docs/webhooks.md gives it to integrators."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text("utf-8")
    [snippet] = [
        block for block in re.findall(r"```python\n(.*?)```", text, re.S) if "def verify" in block
    ]
    namespace: dict[str, Any] = {}
    exec(snippet, namespace)
    function: Callable[..., bool] = namespace["verify"]
    return function


verify = _documented_verify()


# --- helpers ------------------------------------------------------------------------------


def add_risk(ctx: Context, key: str = KEY, title: str = "Verksamheten hinner inte utbilda") -> int:
    risk = risks.add_risk(
        ctx, PROJEKTLEDARE, project_key=key, title=title, probability=3, consequence=3
    )
    assert risk.id is not None
    return risk.id


def tick_first_item(ctx: Context, key: str = KEY) -> None:
    item = gates.gate_readiness(ctx, key, "forstudie-klar").items[0]
    checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=key,
        gate_id="forstudie-klar",
        checklist_id=item.checklist_id,
        item_id=item.row.item_id,
        status=ItemStatus.DONE,
        evidence="https://intranat.alingsas.se/ibic/underlag.pdf",
    )


def subscribe(
    ctx: Context, url: str, *types: EventName, key: str = KEY
) -> webhook_subscription.NewSubscription:
    return webhook_subscription.subscribe(
        ctx, PROJEKTLEDARE, project_key=key, url=url, event_types=types
    )


def only_delivery(ctx: Context, subscription_id: int | None) -> WebhookDelivery:
    assert subscription_id is not None
    views, more = webhook_delivery_log.deliveries(ctx, KEY, subscription_id)
    assert len(views) == 1 and not more
    return views[0].delivery


def last_event(ctx: Context) -> AuditEvent:
    with ctx.db.read() as session:
        event = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc())).first()
    assert event is not None
    return event


def count(ctx: Context, table: type[Any]) -> int:
    with ctx.db.read() as session:
        return len(session.exec(select(table)).all())


# --- delivery ------------------------------------------------------------------------------


def test_a_change_reaches_the_receiver_once_signed_with_its_payload(
    ctx: Context, clock: FixedClock, receiver: Receiver
) -> None:
    start_ibic(ctx)
    subscription, secret = subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    risk_id = add_risk(ctx)
    event = last_event(ctx)

    report = webhook_dispatch.dispatch_due(ctx)

    assert report == webhook_dispatch.DispatchReport(claimed=1, delivered=1)
    [request] = receiver.received()
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Gatekeeper-Event"] == "risk.created"
    delivery = only_delivery(ctx, subscription.id)
    assert request.headers["X-Gatekeeper-Delivery"] == str(delivery.id)
    now = int(clock.now().timestamp())
    assert verify(secret, request.headers["X-Gatekeeper-Signature"], request.body, now)
    signature = request.headers["X-Gatekeeper-Signature"]
    assert not verify("fel-hemlighet-0123456789", signature, request.body, now)
    assert not verify(secret, signature, request.body, now + 301)
    assert not verify(secret, signature, request.body + b" ", now)
    assert not verify(secret, "v1=abc", request.body, now)
    assert request.payload() == {
        "id": event.seq,
        "event": "risk.created",
        "occurred_at": "2026-11-25T09:00:00Z",
        "actor": str(PROJEKTLEDARE),
        "project": KEY,
        "object": {"type": "risk", "id": str(risk_id)},
        "before": None,
        "after": event.after,
    }
    assert request.payload()["after"]["title"] == "Verksamheten hinner inte utbilda"
    assert request.body == canonical_body(request.payload())
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )
    assert delivery.delivered_at == clock.now()

    assert webhook_dispatch.dispatch_due(ctx) == webhook_dispatch.DispatchReport()
    assert len(receiver.received()) == 1


def test_a_subscription_to_everything_gets_its_own_creation_first(
    ctx: Context, receiver: Receiver
) -> None:
    start_ibic(ctx)
    subscribe(ctx, receiver.url())
    add_risk(ctx)
    tick_first_item(ctx)

    webhook_dispatch.dispatch_due(ctx)

    events = [r.headers["X-Gatekeeper-Event"] for r in receiver.received()]
    assert sorted(events) == ["checklist.item.updated", "risk.created", "webhook.subscribed"]
    ids = [r.payload()["id"] for r in receiver.received()]
    assert len(set(ids)) == 3


def test_only_the_event_types_asked_for_are_sent(ctx: Context, receiver: Receiver) -> None:
    start_ibic(ctx)
    subscribe(ctx, receiver.url("/items"), EventName.CHECKLIST_ITEM_UPDATED)
    subscribe(ctx, receiver.url("/risks"), EventName.RISK_CREATED, EventName.RISK_UPDATED)
    add_risk(ctx)
    tick_first_item(ctx)

    assert webhook_dispatch.dispatch_due(ctx).delivered == 2

    sent = sorted((r.path, r.headers["X-Gatekeeper-Event"]) for r in receiver.received())
    assert sent == [("/items", "checklist.item.updated"), ("/risks", "risk.created")]


def test_other_projects_events_are_not_sent(ctx: Context, receiver: Receiver) -> None:
    start_ibic(ctx)
    start_ibic(ctx, key="ibic-lerum")
    subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    add_risk(ctx, key="ibic-lerum")

    assert webhook_dispatch.dispatch_due(ctx) == webhook_dispatch.DispatchReport()
    assert receiver.received() == []
    assert count(ctx, OutboxEvent) == 0  # nothing wanted it, so nothing was queued


def test_an_event_without_subscribers_costs_no_outbox_row(ctx: Context) -> None:
    start_ibic(ctx)
    add_risk(ctx)
    tick_first_item(ctx)

    assert count(ctx, OutboxEvent) == 0
    assert count(ctx, WebhookDelivery) == 0


def test_the_outbox_row_commits_with_the_change_or_not_at_all(
    ctx: Context, clock: FixedClock, receiver: Receiver
) -> None:
    project = start_ibic(ctx)
    subscribe(ctx, receiver.url(), EventName.RISK_CREATED)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), ctx.db.write() as session:
        change.record(
            session,
            RiskCreated(
                object_id="99",
                after=RiskState(
                    title="Aldrig sparad",
                    description="",
                    probability=3,
                    consequence=3,
                    score=9,
                    mitigation="",
                    owner="",
                    status="open",
                ),
            ),
            by=PROJEKTLEDARE,
            at=clock.now(),
            project_id=project.id,
        )
        assert count(ctx, OutboxEvent) == 0  # not visible outside the transaction
        raise Boom  # the use case fails after its audit event was written

    with pytest.raises(ValidationFailed):
        risks.add_risk(ctx, PROJEKTLEDARE, project_key=KEY, title="", probability=3, consequence=3)
    assert count(ctx, OutboxEvent) == 0
    assert count(ctx, WebhookDelivery) == 0

    add_risk(ctx)
    with ctx.db.read() as session:
        [outbox] = session.exec(select(OutboxEvent)).all()
    assert outbox.audit_seq == last_event(ctx).seq
    assert count(ctx, WebhookDelivery) == 1


# --- failures and retries -------------------------------------------------------------------


def test_a_failing_receiver_is_retried_with_growing_back_off(
    ctx: Context, clock: FixedClock, receiver: Receiver
) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    add_risk(ctx)
    receiver.status = 500

    assert webhook_dispatch.dispatch_due(ctx) == webhook_dispatch.DispatchReport(
        claimed=1, retrying=1
    )
    first = only_delivery(ctx, subscription.id)
    assert (first.status, first.attempts, first.last_status_code) == (
        DeliveryStatus.PENDING,
        1,
        500,
    )
    assert first.last_error is not None and "500" in first.last_error
    assert first.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert first.claimed_until is None

    assert webhook_dispatch.dispatch_due(ctx).claimed == 0  # not before it is due
    clock.advance(timedelta(seconds=59))
    assert webhook_dispatch.dispatch_due(ctx).claimed == 0
    assert len(receiver.received()) == 1

    clock.advance(timedelta(seconds=1))
    assert webhook_dispatch.dispatch_due(ctx).retrying == 1
    second = only_delivery(ctx, subscription.id)
    assert second.attempts == 2
    assert second.next_attempt_at == clock.now() + timedelta(minutes=2)

    receiver.status = 204
    clock.advance(timedelta(minutes=2))
    assert webhook_dispatch.dispatch_due(ctx).delivered == 1
    done = only_delivery(ctx, subscription.id)
    assert (done.status, done.attempts, done.last_status_code, done.last_error) == (
        DeliveryStatus.DELIVERED,
        3,
        204,
        None,
    )
    assert len(receiver.received()) == 3
    assert len({r.payload()["id"] for r in receiver.received()}) == 1


def test_back_off_doubles_from_a_minute_up_to_six_hours() -> None:
    waits = [webhook_dispatch.backoff(n) for n in range(1, 12)]

    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[6] == timedelta(minutes=64)
    assert waits[-1] == timedelta(hours=6)
    assert webhook_dispatch.backoff(10_000) == timedelta(hours=6)


def test_a_delivery_dies_after_the_last_attempt(
    ctx: Context, clock: FixedClock, receiver: Receiver
) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    add_risk(ctx)
    receiver.status = 503

    reports = []
    for _ in range(3):
        reports.append(webhook_dispatch.dispatch_due(ctx, max_attempts=3))
        clock.advance(timedelta(hours=6))

    assert [(r.retrying, r.dead) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    dead = only_delivery(ctx, subscription.id)
    assert (dead.status, dead.attempts, dead.last_status_code) == (DeliveryStatus.DEAD, 3, 503)
    clock.advance(timedelta(days=30))
    assert webhook_dispatch.dispatch_due(ctx, max_attempts=3) == webhook_dispatch.DispatchReport()
    assert len(receiver.received()) == 3


def test_an_unreachable_receiver_is_retried_and_never_raises(
    ctx: Context, clock: FixedClock
) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(
        ctx, f"http://127.0.0.1:{closed_port()}/hook", EventName.RISK_CREATED
    )
    add_risk(ctx)  # the change itself never waits for, nor fails with, the receiver

    report = webhook_dispatch.dispatch_due(ctx, timeout_seconds=2)

    assert report == webhook_dispatch.DispatchReport(claimed=1, retrying=1)
    delivery = only_delivery(ctx, subscription.id)
    assert delivery.last_status_code is None
    assert delivery.last_error is not None and "refused" in delivery.last_error.lower()
    assert delivery.next_attempt_at == clock.now() + timedelta(minutes=1)


def test_a_redirect_is_a_failure_and_is_not_followed(ctx: Context, receiver: Receiver) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    add_risk(ctx)
    receiver.status = 302

    assert webhook_dispatch.dispatch_due(ctx).retrying == 1

    assert [r.path for r in receiver.received()] == ["/hook"]
    assert only_delivery(ctx, subscription.id).last_status_code == 302


def test_a_broken_sender_is_a_failed_attempt_not_an_error(ctx: Context) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(ctx, "https://hooks.example.se/x", EventName.RISK_CREATED)
    add_risk(ctx)

    def broken(url: str, body: bytes, headers: Mapping[str, str]) -> webhook_sender.SendResult:
        raise RuntimeError("trasig klient")

    assert webhook_dispatch.dispatch_due(ctx, sender=broken).retrying == 1
    assert only_delivery(ctx, subscription.id).last_error == "RuntimeError: trasig klient"


# --- crashes -------------------------------------------------------------------------------


class Killed(BaseException):
    """The process dies: nothing after this line runs (like SIGKILL or a power cut)."""


def test_a_claim_left_by_a_dead_process_is_sent_once_its_lease_expires(
    ctx: Context, clock: FixedClock, receiver: Receiver
) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    add_risk(ctx)

    [claim] = webhook_dispatch.claim_due(ctx)  # ...and the process dies before sending
    assert webhook_dispatch.dispatch_due(ctx).claimed == 0  # the lease holds it
    clock.advance(webhook_dispatch.LEASE - timedelta(seconds=1))
    assert webhook_dispatch.dispatch_due(ctx).claimed == 0
    assert receiver.received() == []

    clock.advance(timedelta(seconds=1))
    assert webhook_dispatch.dispatch_due(ctx) == webhook_dispatch.DispatchReport(
        claimed=1, delivered=1
    )
    clock.advance(timedelta(hours=1))
    assert webhook_dispatch.dispatch_due(ctx) == webhook_dispatch.DispatchReport()

    assert len(receiver.received()) == 1
    assert only_delivery(ctx, subscription.id).status is DeliveryStatus.DELIVERED
    assert claim.claimed_until == clock.now() - timedelta(hours=1)


def test_a_process_killed_after_sending_sends_again_and_the_id_tells_the_twins(
    ctx: Context, clock: FixedClock, receiver: Receiver
) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    add_risk(ctx)
    real = webhook_sender.GuardedSender(policy=ctx.webhook_egress)

    def send_then_die(
        url: str, body: bytes, headers: Mapping[str, str]
    ) -> webhook_sender.SendResult:
        real(url, body, headers)
        raise Killed

    with pytest.raises(Killed):
        webhook_dispatch.dispatch_due(ctx, sender=send_then_die)
    pending = only_delivery(ctx, subscription.id)
    assert (pending.status, pending.attempts) == (DeliveryStatus.PENDING, 0)

    clock.advance(timedelta(minutes=5))
    assert webhook_dispatch.dispatch_due(ctx).delivered == 1
    clock.advance(timedelta(minutes=5))
    assert webhook_dispatch.dispatch_due(ctx).claimed == 0

    first, second = receiver.received()
    assert first.body == second.body  # the same event: the receiver drops it by `id`
    assert first.headers["X-Gatekeeper-Delivery"] == second.headers["X-Gatekeeper-Delivery"]


def test_a_result_arriving_after_the_lease_was_taken_over_is_dropped(
    ctx: Context, clock: FixedClock, receiver: Receiver
) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    add_risk(ctx)
    slow_claims = webhook_dispatch.claim_due(ctx)
    clock.advance(timedelta(minutes=2))
    assert webhook_dispatch.dispatch_due(ctx).delivered == 1  # another dispatcher takes over

    late = webhook_dispatch._record(  # the first dispatcher's 500 comes back after all
        ctx, slow_claims[0], webhook_sender.SendResult(status_code=500), max_attempts=8
    )

    assert late is None
    assert only_delivery(ctx, subscription.id).status is DeliveryStatus.DELIVERED


def test_two_dispatchers_in_parallel_send_each_of_200_deliveries_once(
    ctx: Context, receiver: Receiver
) -> None:
    start_ibic(ctx)
    for n in range(10):
        subscribe(ctx, receiver.url(f"/hook/{n}"), EventName.RISK_CREATED)
    for n in range(20):
        add_risk(ctx, title=f"Risk {n}")
    assert count(ctx, WebhookDelivery) == 200
    reports: dict[str, list[webhook_dispatch.DispatchReport]] = {"a": [], "b": []}
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def run(worker: str) -> None:
        try:
            start.wait()
            while True:
                report = webhook_dispatch.dispatch_due(ctx, limit=15, worker=worker)
                reports[worker].append(report)
                if report.claimed == 0:
                    return
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    sent = [r.headers["X-Gatekeeper-Delivery"] for r in receiver.received()]
    assert len(sent) == 200
    assert len(set(sent)) == 200
    assert sum(r.delivered for rs in reports.values() for r in rs) == 200
    assert sum(r.lost for rs in reports.values() for r in rs) == 0
    with ctx.db.read() as session:
        statuses = session.exec(select(WebhookDelivery.status)).all()
    assert set(statuses) == {DeliveryStatus.DELIVERED}


# --- subscriptions ---------------------------------------------------------------------------


def test_subscribing_makes_a_secret_and_audits_without_it(ctx: Context) -> None:
    start_ibic(ctx)
    url = "https://hooks.example.se/services/T000/B000/hemligdel"

    subscription, secret = subscribe(ctx, url, EventName.GATE_DECIDED, EventName.GATE_DECIDED)

    assert len(secret) >= 40
    assert subscription.secret == secret
    assert subscription.event_types == ["gate.decided"]
    assert subscription.created_by == str(PROJEKTLEDARE)
    event = last_event(ctx)
    assert event.action == "webhook.subscribed"
    assert event.object_id == str(subscription.id)
    assert event.after == {
        "url": "https://hooks.example.se",
        "url_sha256": hashlib.sha256(url.encode()).hexdigest(),
        "event_types": ["gate.decided"],
    }
    assert secret not in json.dumps(event.after) and "hemligdel" not in json.dumps(event.after)
    given = webhook_subscription.subscribe(
        ctx, PROJEKTLEDARE, project_key=KEY, url=url, secret="en-egen-hemlighet-2027"
    )
    assert given.secret == "en-egen-hemlighet-2027"
    webhook_subscription.subscribe(
        ctx, PROJEKTLEDARE, project_key=KEY, url="https://127.0.0.1:8443/hook?token=x"
    )
    assert (last_event(ctx).after or {})["url"] == "https://127.0.0.1:8443"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "intranat.alingsas.se/hook",
        "ftp://intranat.alingsas.se/hook",
        "https://",
        "http:///path",
        "https://hooks.example.se:99999/x",
        "javascript:alert(1)",
        "https://hooks.example.se/med mellanslag",
        "https://hooks.example.se/" + "x" * 2000,
    ],
)
def test_a_bad_url_is_refused(ctx: Context, url: str) -> None:
    start_ibic(ctx)

    with pytest.raises(ValidationFailed) as refused:
        subscribe(ctx, url)

    assert refused.value.field == "url"
    assert count(ctx, WebhookSubscription) == 0


def test_unknown_event_types_are_refused_with_the_known_ones_listed(ctx: Context) -> None:
    start_ibic(ctx)

    with pytest.raises(ValidationFailed) as refused:
        webhook_subscription.subscribe(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            url="https://hooks.example.se/x",
            event_types=["gate.decided", "gate.exploded"],
        )

    assert refused.value.field == "event_types"
    assert "gate.exploded" in refused.value.message
    for event in EventName:
        assert event.value in refused.value.message


def test_a_short_secret_is_refused(ctx: Context) -> None:
    start_ibic(ctx)

    with pytest.raises(ValidationFailed) as refused:
        webhook_subscription.subscribe(
            ctx, PROJEKTLEDARE, project_key=KEY, url="https://hooks.example.se/x", secret="kort"
        )

    assert refused.value.field == "secret"


def test_subscribing_to_an_unknown_project_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFound):
        subscribe(ctx, "https://hooks.example.se/x", key="finns-inte")


def test_unsubscribing_cancels_what_was_not_yet_sent_and_keeps_the_log(
    ctx: Context, clock: FixedClock, receiver: Receiver
) -> None:
    start_ibic(ctx)
    leaving, _ = subscribe(ctx, receiver.url("/leaving"))
    staying, _ = subscribe(ctx, receiver.url("/staying"), EventName.WEBHOOK_UNSUBSCRIBED)
    webhook_dispatch.dispatch_due(ctx)  # each gets the subscribed events it wants
    add_risk(ctx)
    assert leaving.id is not None and staying.id is not None

    webhook_subscription.unsubscribe(
        ctx, PROJEKTLEDARE, project_key=KEY, subscription_id=leaving.id
    )
    report = webhook_dispatch.dispatch_due(ctx)

    assert report.delivered == 1
    paths = [(r.path, r.headers["X-Gatekeeper-Event"]) for r in receiver.received()]
    assert paths[-1] == ("/staying", "webhook.unsubscribed")
    assert ("/leaving", "risk.created") not in paths
    assert [s.id for s in webhook_subscription.list_subscriptions(ctx, KEY)] == [staying.id]
    log, _ = webhook_delivery_log.deliveries(ctx, KEY, leaving.id)
    assert [(v.event, v.delivery.status) for v in log] == [
        ("risk.created", DeliveryStatus.DEAD),
        ("webhook.subscribed", DeliveryStatus.DELIVERED),
        ("webhook.subscribed", DeliveryStatus.DELIVERED),
    ]
    assert log[0].delivery.last_error == "cancelled: the subscription was removed"
    event = last_event(ctx)
    assert event.action == "webhook.unsubscribed"
    assert event.after == {"active": False, "cancelled_deliveries": 1}
    with pytest.raises(NotFound):
        webhook_subscription.unsubscribe(
            ctx, PROJEKTLEDARE, project_key=KEY, subscription_id=leaving.id
        )


def test_a_subscription_of_another_project_is_not_found(ctx: Context) -> None:
    start_ibic(ctx)
    start_ibic(ctx, key="ibic-lerum")
    other, _ = subscribe(ctx, "https://hooks.example.se/x", key="ibic-lerum")
    assert other.id is not None

    with pytest.raises(NotFound):
        webhook_subscription.unsubscribe(
            ctx, PROJEKTLEDARE, project_key=KEY, subscription_id=other.id
        )
    with pytest.raises(NotFound):
        webhook_delivery_log.deliveries(ctx, KEY, other.id)


def test_the_delivery_log_pages_newest_first_and_filters_by_status(
    ctx: Context, receiver: Receiver
) -> None:
    start_ibic(ctx)
    subscription, _ = subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    assert subscription.id is not None
    for n in range(5):
        add_risk(ctx, title=f"Risk {n}")
    webhook_dispatch.dispatch_due(ctx, limit=3)

    first, more = webhook_delivery_log.deliveries(ctx, KEY, subscription.id, limit=2)
    second, more_2 = webhook_delivery_log.deliveries(
        ctx, KEY, subscription.id, limit=2, before_id=first[-1].delivery.id
    )
    third, more_3 = webhook_delivery_log.deliveries(
        ctx, KEY, subscription.id, limit=2, before_id=second[-1].delivery.id
    )
    ids = [v.delivery.id for v in first + second + third]
    assert (more, more_2, more_3) == (True, True, False)
    assert ids == sorted(ids, reverse=True) and len(ids) == 5
    pending, _ = webhook_delivery_log.deliveries(
        ctx, KEY, subscription.id, status=DeliveryStatus.PENDING
    )
    assert len(pending) == 2


# --- the scheduler -------------------------------------------------------------------------


def test_the_scheduler_runs_one_dispatch_job_with_a_fixed_id(ctx: Context) -> None:
    scheduler = start_scheduler(
        ctx,
        Settings(webhook_interval_seconds=3600, reminder_dispatch=False, retention_purge=False),
    )
    try:
        [job] = scheduler.get_jobs()
        assert job.id == WEBHOOK_JOB_ID
        assert job.max_instances == 1 and job.coalesce is True
        assert job.trigger.interval == timedelta(hours=1)
    finally:
        stop_scheduler(scheduler)
    assert not scheduler.running

    idle = start_scheduler(
        ctx, Settings(webhook_dispatch=False, reminder_dispatch=False, retention_purge=False)
    )
    try:
        assert idle.get_jobs() == []
    finally:
        stop_scheduler(idle)


def test_the_dispatch_job_sends_what_is_due(ctx: Context, receiver: Receiver) -> None:
    start_ibic(ctx)
    subscribe(ctx, receiver.url(), EventName.RISK_CREATED)
    for n in range(5):
        add_risk(ctx, title=f"Risk {n}")

    claimed = dispatch_webhooks(ctx, max_attempts=8, timeout_seconds=5, worker="test", batch=2)

    assert claimed == 5
    assert len(receiver.received()) == 5


def test_the_served_app_dispatches_only_when_the_setting_says_so(database_url: str) -> None:
    from gatekeeper.store import migration
    from gatekeeper.store.database import Database

    setup = Database(database_url)
    migration.upgrade(setup)
    setup.dispose()

    for enabled in (True, False):
        settings = Settings(
            database_url=database_url,
            webhook_dispatch=enabled,
            webhook_interval_seconds=3600,
            reminder_dispatch=False,
            retention_purge=False,
        )
        app = create_app(settings)
        try:
            with TestClient(app):
                scheduler = getattr(app.state, "scheduler", None)
                assert (scheduler is not None) is enabled
                if scheduler is not None:
                    assert scheduler.running
                    # The only process, so it holds the scheduler lock and runs the job.
                    jobs = {job.id for job in scheduler.get_jobs()}
                    assert jobs == {ELECTION_JOB_ID, WEBHOOK_JOB_ID}
            if scheduler is not None:
                assert not scheduler.running
        finally:
            app.state.context.db.dispose()


def test_actor_of_the_audit_event_is_the_subscriber(ctx: Context) -> None:
    start_ibic(ctx)
    system = Actor.system("integration")

    webhook_subscription.subscribe(ctx, system, project_key=KEY, url="https://hooks.example.se/x")

    assert last_event(ctx).actor == "system:integration"
