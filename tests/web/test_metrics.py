"""GET /metrics: the Prometheus text format, counters that move with committed changes,
and who may read it (issue 14, part 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from gatekeeper.config import Settings
from gatekeeper.core.clock import FixedClock
from gatekeeper.services.audit import webhook_dispatch, webhook_sender, webhook_subscription
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.store.database import note_recorded
from gatekeeper.web.app import create_app
from gatekeeper.web.metrics import Metrics
from tests.factories import PROJEKTLEDARE, approve_gate, bearer, start_ibic, tick_gate
from tests.reminder_rows import add_due_reminders

KEY = "ibic-alingsas"
GATE = "forstudie-klar"
LOCAL = ("127.0.0.1", 50000)
ITEM_ROUTE = "/api/v1/projects/{project_key}/gates/{gate_id}/items/{checklist_id}/{item_id}"


Samples = Mapping[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient) -> Samples:
    """Every sample of GET /metrics: (name, sorted labels) → value."""
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_tick_and_a_decision_move_the_counters(ctx: Context) -> None:
    start_ibic(ctx)
    app = create_app(context=ctx)
    client = TestClient(app, client=LOCAL)
    client.headers.update(bearer(ctx, PROJEKTLEDARE.id))
    before = scrape(client)

    item = gates.gate_readiness(ctx, KEY, GATE).items[0]
    ticked = client.patch(
        f"/api/v1/projects/{KEY}/gates/{GATE}/items/{item.checklist_id}/{item.row.item_id}",
        json={"status": "done", "evidence": "https://intranat.alingsas.se/ibic/a.pdf"},
    )
    assert ticked.status_code == 200, ticked.text
    ticks = 1 + tick_gate(ctx, KEY, GATE)  # through the service layer: counted too
    approve_gate(ctx, KEY, GATE)
    after = scrape(client)

    grown = {
        name: value(after, name, **labels) - value(before, name, **labels)
        for name, labels in (
            ("gatekeeper_ticks_total", {"kind": "checklist"}),
            ("gatekeeper_decisions_total", {}),
            ("gatekeeper_audit_events_total", {"action": "gate.decided"}),
        )
    }
    assert grown == {
        "gatekeeper_ticks_total": ticks,
        "gatekeeper_decisions_total": 1,
        "gatekeeper_audit_events_total": 1,
    }
    timed = {"route": ITEM_ROUTE, "method": "PATCH", "status": "200"}
    assert value(after, "gatekeeper_http_request_duration_seconds_count", **timed) == 1
    assert value(after, "gatekeeper_http_request_duration_seconds_bucket", le="+Inf", **timed) == 1


def test_the_exposition_is_prometheus_text(ctx: Context) -> None:
    answer = TestClient(create_app(context=ctx), client=LOCAL).get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    assert "# TYPE gatekeeper_http_request_duration_seconds histogram" in answer.text
    assert "# TYPE gatekeeper_reminder_backlog gauge" in answer.text


def test_the_reminder_backlog_is_read_when_scraped(ctx: Context, clock: FixedClock) -> None:
    start_ibic(ctx)
    client = TestClient(create_app(context=ctx), client=LOCAL)
    before = value(scrape(client), "gatekeeper_reminder_backlog")

    add_due_reminders(ctx, 3, due=clock.now() - timedelta(minutes=1), project_key=KEY)

    assert value(scrape(client), "gatekeeper_reminder_backlog") == before + 3


def test_a_failed_webhook_delivery_is_counted(ctx: Context) -> None:
    start_ibic(ctx)
    client = TestClient(create_app(context=ctx), client=LOCAL)
    webhook_subscription.subscribe(
        ctx, PROJEKTLEDARE, project_key=KEY, url="https://hooks.example.se/x", event_types=()
    )
    tick_gate(ctx, KEY, GATE)
    before = value(scrape(client), "gatekeeper_webhook_delivery_failures_total")

    def refusing(url: str, body: bytes, headers: Mapping[str, str]) -> webhook_sender.SendResult:
        return webhook_sender.SendResult(status_code=500)

    report = webhook_dispatch.dispatch_due(ctx, sender=refusing)

    assert report.retrying > 0
    failures = value(scrape(client), "gatekeeper_webhook_delivery_failures_total")
    assert failures == before + report.retrying


def test_a_token_guards_metrics_from_any_address(ctx: Context) -> None:
    settings = Settings(
        demo=True,
        webhook_dispatch=False,
        reminder_dispatch=False,
        retention_purge=False,
        metrics_token="m" * 32,
    )
    client = TestClient(create_app(settings, context=ctx), client=("203.0.113.9", 40000))

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {'m' * 32}"})
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("networks", "address", "status"),
    [
        ((), "127.0.0.1", 200),  # the default: this host only
        ((), "::1", 200),
        ((), "203.0.113.9", 403),
        (("10.20.0.0/16",), "10.20.3.4", 200),
        (("10.20.0.0/16",), "127.0.0.1", 403),
    ],
)
def test_without_a_token_metrics_answer_the_allowed_networks(
    ctx: Context, networks: Sequence[str], address: str, status: int
) -> None:
    extra = {"metrics_allowed_networks": ",".join(networks)} if networks else {}
    settings = Settings(
        demo=True, webhook_dispatch=False, reminder_dispatch=False, retention_purge=False, **extra
    )
    client = TestClient(create_app(settings, context=ctx), client=(address, 40000))

    assert client.get("/metrics").status_code == status


def test_metrics_can_be_turned_off(ctx: Context) -> None:
    settings = Settings(
        demo=True,
        webhook_dispatch=False,
        reminder_dispatch=False,
        retention_purge=False,
        metrics=False,
    )
    client = TestClient(create_app(settings, context=ctx), client=LOCAL)

    assert client.get("/metrics").status_code == 404


def test_commit_observers_hear_only_of_what_committed(ctx: Context) -> None:
    metrics = Metrics()
    metrics.watch(ctx)
    metrics.watch(ctx)  # once, however often asked

    assert ctx.db.commit_observers.count(metrics.observe_commit) == 1
    with pytest.raises(RuntimeError), ctx.db.write() as session:
        note_recorded(session, "gate.decided")
        raise RuntimeError("rolled back")
    assert metrics.registry.get_sample_value("gatekeeper_decisions_total") == 0
    with ctx.db.write() as session:
        note_recorded(session, "gate.decided")
    assert metrics.registry.get_sample_value("gatekeeper_decisions_total") == 1


def test_no_credential_in_a_path_reaches_a_metric(ctx: Context) -> None:
    client = TestClient(create_app(context=ctx), client=LOCAL)
    client.get("/calendar/hemlig-kalendertoken.ics")
    client.get("/password/hemlig-lösenordslänk")

    exposition = client.get("/metrics").text

    assert "hemlig" not in exposition
    assert 'route="/calendar/{token}.ics"' in exposition
