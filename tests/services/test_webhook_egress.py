"""Where webhooks may go (issue 16, findings 2 and 4), on SQLite and PostgreSQL.

A URL with a user name or password, over http:// outside demo mode, or to an
internal address (in any spelling) is refused when subscribing and changes
nothing; the dispatcher checks the addresses a name resolves to at every
delivery, connects to the address it checked, and never posts to an internal
one unless the installation allows its network. Errors and logs never carry
the URL's credentials.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address, ip_network
from typing import Any

import pytest
from sqlmodel import select

from gatekeeper.core.egress import EgressPolicy, literal_address, parse_networks
from gatekeeper.core.events import EventName
from gatekeeper.core.masked_url import masked_url, redacted
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.audit import webhook_delivery_log, webhook_dispatch, webhook_sender
from gatekeeper.services.audit import webhook_subscription as subscriptions
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.audit.webhook_tables import WebhookDelivery, WebhookSubscription
from tests.factories import PROJEKTLEDARE, start_ibic
from tests.live_server import running

KEY = "ibic-alingsas"
STRICT = EgressPolicy()
LOCAL = EgressPolicy(require_https=False, allowed_networks=(ip_network("127.0.0.1/32"),))

INTERNAL = [
    "https://127.0.0.1/hook",
    "https://127.1/hook",
    "https://2130706433/hook",
    "https://0x7f000001/hook",
    "https://0177.0.0.1/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:a9fe:a9fe]/hook",
    "https://[64:ff9b::a9fe:a9fe]/hook",
    "https://[2002:c0a8:0101::]/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fe80::1]/hook",
    "https://[fd00:ec2::254]/hook",
    "https://10.1.2.3/hook",
    "https://172.16.0.1/hook",
    "https://172.31.255.254/hook",
    "https://192.168.1.1/hook",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",
    "https://255.255.255.255/hook",
    "https://localhost/hook",
    "https://LOCALHOST./hook",
    "https://api.localhost/hook",
]


# --- the rules, without a database ---------------------------------------------------------


@pytest.mark.parametrize("url", INTERNAL)
def test_an_internal_address_in_any_spelling_is_refused(url: str) -> None:
    assert STRICT.url_refusal(url) is not None


@pytest.mark.parametrize(
    "url",
    ["https://hooks.example.se/x", "https://93.184.216.34/hook", "https://[2606:4700::1111]/"],
)
def test_a_public_https_url_is_allowed(url: str) -> None:
    assert STRICT.url_refusal(url) is None


def test_http_only_where_the_policy_allows_it() -> None:
    assert STRICT.url_refusal("http://hooks.example.se/x") is not None
    assert replace(STRICT, require_https=False).url_refusal("http://hooks.example.se/x") is None


def test_an_allowed_network_admits_its_addresses_and_no_others() -> None:
    on_premise = EgressPolicy(allowed_networks=parse_networks("10.20.0.0/16, fd12::/16"))

    assert on_premise.url_refusal("https://10.20.1.5/hook") is None
    assert on_premise.url_refusal("https://[::ffff:10.20.1.5]/hook") is None
    assert on_premise.url_refusal("https://[fd12::5]/hook") is None
    assert on_premise.url_refusal("https://10.21.0.1/hook") is not None
    assert on_premise.url_refusal("https://127.0.0.1/hook") is not None


def test_a_user_name_or_password_is_refused_even_where_the_address_is_allowed() -> None:
    assert LOCAL.url_refusal("http://bot:lösen@127.0.0.1/hook") is not None
    assert STRICT.url_refusal("https://bot@hooks.example.se/x") is not None
    assert STRICT.url_refusal("https://:lösen@hooks.example.se/x") is not None


def test_numbers_are_read_as_resolvers_read_them() -> None:
    assert literal_address("2130706433") == ip_address("127.0.0.1")
    assert literal_address("0x7f000001") == ip_address("127.0.0.1")
    assert literal_address("0177.1") == ip_address("127.0.0.1")
    assert literal_address("hooks.example.se") is None
    assert literal_address("cafe.de") is None


def test_urls_are_masked_for_readers_and_errors_redacted() -> None:
    url = "https://hooks.example.se/services/T000/B000/hemligdel?key=abc123&x="

    assert masked_url(url) == "https://hooks.example.se/services/***?key=***&x=***"
    assert masked_url("https://hooks.example.se/hook") == "https://hooks.example.se/hook"
    assert masked_url("https://bot:lösen@hooks.example.se/") == "https://hooks.example.se/"
    text = redacted(f"InvalidURL: {url} and abc123 and bot:lösen", url + "&u=bot:lösen")
    assert "abc123" not in text and "hemligdel" not in text and "lösen" not in text


# --- subscribing ---------------------------------------------------------------------------


def _counts(ctx: Context) -> tuple[int, int]:
    with ctx.db.read() as session:
        return (
            len(session.exec(select(WebhookSubscription)).all()),
            len(session.exec(select(AuditEvent)).all()),
        )


def test_internal_addresses_credentials_and_http_are_refused_and_change_nothing(
    ctx: Context,
) -> None:
    start_ibic(ctx)
    before = _counts(ctx)

    for url in [
        *INTERNAL,
        "http://hooks.example.se/x",
        "https://bot:hemligt-lösen@hooks.example.se/x?key=nyckel",
    ]:
        with pytest.raises(ValidationFailed) as refused:
            subscriptions.subscribe(ctx, PROJEKTLEDARE, project_key=KEY, url=url)
        assert refused.value.field == "url", url
        assert "hemligt-lösen" not in refused.value.message

    assert _counts(ctx) == before


def test_an_installation_admits_its_on_premise_receiver_through_the_allow_list(
    ctx: Context,
) -> None:
    start_ibic(ctx)
    on_premise = replace(
        ctx, webhook_egress=EgressPolicy(allowed_networks=(ip_network("10.20.0.0/16"),))
    )

    made = subscriptions.subscribe(
        on_premise, PROJEKTLEDARE, project_key=KEY, url="https://10.20.1.5/hook"
    )

    assert made.subscription.url == "https://10.20.1.5/hook"
    with pytest.raises(ValidationFailed):
        subscriptions.subscribe(ctx, PROJEKTLEDARE, project_key=KEY, url="https://10.20.1.5/hook")


# --- delivering ----------------------------------------------------------------------------


@pytest.fixture
def received() -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """A receiver on 127.0.0.1: its port, and (Host header, path) of every POST."""
    seen: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.append((self.headers.get("Host", ""), self.path))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with running(server):
        yield server.server_address[1], seen


def _stored_subscription(ctx: Context, url: str) -> int:
    """A subscription as one made before the egress rules (or in another installation)."""
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        row = WebhookSubscription(
            project_id=project.id,
            url=url,
            secret="en-hemlighet-som-är-lång-nog",
            event_types=[EventName.RISK_CREATED.value],
            active=True,
            created_by=str(PROJEKTLEDARE),
            created_at=ctx.clock.now(),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def _add_risk(ctx: Context) -> None:
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Leverantören är sen",
        probability=2,
        consequence=2,
    )


def _only_delivery(ctx: Context, subscription_id: int) -> webhook_delivery_log.DeliveryView:
    [view], _ = webhook_delivery_log.deliveries(ctx, KEY, subscription_id)
    return view


def test_the_dispatcher_does_not_post_to_an_internal_address(
    ctx: Context, received: tuple[int, list[tuple[str, str]]]
) -> None:
    port, seen = received
    start_ibic(ctx)
    plain_http = replace(ctx, webhook_egress=EgressPolicy(require_https=False))  # as in demo mode
    subscription_id = _stored_subscription(ctx, f"http://127.0.0.1:{port}/hook")
    _add_risk(ctx)

    report = webhook_dispatch.dispatch_due(plain_http, timeout_seconds=2)

    assert report == webhook_dispatch.DispatchReport(claimed=1, retrying=1)
    assert seen == []
    error = _only_delivery(ctx, subscription_id).error
    assert error is not None and "refused by the egress rules" in error


def test_a_name_is_checked_once_at_delivery_and_the_checked_address_is_the_one_reached(
    ctx: Context, received: tuple[int, list[tuple[str, str]]]
) -> None:
    port, seen = received
    start_ibic(ctx)
    subscription_id = _stored_subscription(ctx, f"http://mottagare.alingsas.se:{port}/hook")
    _add_risk(ctx)
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])  # re-pointed after the check: too late
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    sender = webhook_sender.GuardedSender(2, LOCAL, resolver=rebinding)
    assert webhook_dispatch.dispatch_due(ctx, sender=sender).delivered == 1

    assert asked == ["mottagare.alingsas.se"]
    assert seen == [(f"mottagare.alingsas.se:{port}", "/hook")]
    assert _only_delivery(ctx, subscription_id).delivery.delivered_at is not None


def test_the_checked_addresses_are_tried_in_turn_and_no_other(
    ctx: Context, received: tuple[int, list[tuple[str, str]]]
) -> None:
    port, seen = received
    start_ibic(ctx)
    subscription_id = _stored_subscription(ctx, f"http://mottagare.alingsas.se:{port}/hook")
    _add_risk(ctx)
    loopback = EgressPolicy(require_https=False, allowed_networks=(ip_network("127.0.0.0/8"),))

    def two(host: str, port: int) -> list[str]:
        return ["127.0.0.2", "127.0.0.1"]  # nothing listens on the first

    sender = webhook_sender.GuardedSender(2, loopback, resolver=two)
    assert webhook_dispatch.dispatch_due(ctx, sender=sender).delivered == 1

    assert seen == [(f"mottagare.alingsas.se:{port}", "/hook")]
    assert _only_delivery(ctx, subscription_id).error is None


def test_a_name_that_resolves_to_an_internal_address_is_refused_at_delivery(
    ctx: Context,
) -> None:
    start_ibic(ctx)
    subscription_id = _stored_subscription(ctx, "https://hooks.example.se/x")
    _add_risk(ctx)

    def internal(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "169.254.169.254"]

    sender = webhook_sender.GuardedSender(2, STRICT, resolver=internal)
    assert webhook_dispatch.dispatch_due(ctx, sender=sender).retrying == 1

    error = _only_delivery(ctx, subscription_id).error
    assert error is not None and "169.254.169.254" in error and "egress" in error


def test_credentials_in_a_stored_url_reach_neither_the_delivery_log_nor_the_server_log(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    start_ibic(ctx)
    local = replace(ctx, webhook_egress=LOCAL)
    # Without a port, a client reading `lösen@127.0.0.1` as host:port quotes it in its error.
    subscription_id = _stored_subscription(
        ctx, "http://bot:hemligt-lösen@127.0.0.1/hook?key=nyckel123"
    )
    _add_risk(ctx)

    with caplog.at_level(logging.WARNING, logger="gatekeeper.webhooks"):
        assert webhook_dispatch.dispatch_due(local, timeout_seconds=2).retrying == 1

    shown = _only_delivery(ctx, subscription_id).error
    for text in (_stored_error(ctx), shown or "", caplog.text):
        assert "hemligt-lösen" not in text and "nyckel123" not in text
    assert "refused" in (shown or "") and "failed" in caplog.text


def _stored_error(ctx: Context) -> str:
    with ctx.db.read() as session:
        return session.exec(select(WebhookDelivery.last_error)).one() or ""


def test_an_error_quoting_the_url_is_stored_without_its_secrets(ctx: Context) -> None:
    start_ibic(ctx)
    url = "https://hooks.example.se/services/T000/B000/hemligdel?key=nyckel123"
    subscription_id = _stored_subscription(ctx, url)
    _add_risk(ctx)

    def quoting(target: str, body: bytes, headers: Mapping[str, str]) -> webhook_sender.SendResult:
        raise ValueError(f"could not post to {target}")

    assert webhook_dispatch.dispatch_due(ctx, sender=quoting).retrying == 1

    for error in (_only_delivery(ctx, subscription_id).error or "", _stored_error(ctx)):
        assert "hemligdel" not in error and "nyckel123" not in error and "ValueError" in error


def test_the_settings_make_the_policy_https_only_outside_demo_mode() -> None:
    from gatekeeper.config import Settings
    from gatekeeper.services.setup import egress_policy

    installed = egress_policy(Settings(webhook_allowed_networks="10.20.0.0/16, fd12::/16"))
    demo = egress_policy(Settings(demo=True))

    assert installed == EgressPolicy(allowed_networks=parse_networks("10.20.0.0/16 fd12::/16"))
    assert installed.url_refusal("https://10.20.1.5/hook") is None
    assert installed.url_refusal("http://hooks.example.se/x") is not None
    assert demo.url_refusal("http://hooks.example.se/x") is None
    assert demo.url_refusal("http://127.0.0.1/x") is not None
