"""Sending one webhook delivery: the signature, the HTTP POST and what came back.

Each body is signed with HMAC-SHA256 over `"{timestamp}.{body}"` with the
subscription's secret (`X-Gatekeeper-Signature: t=…,v1=…`). A `Sender` posts
one body and never raises for what the network or receiver does: it answers
with a `SendResult` (a status code, or an error where none came back). The
default, `GuardedSender`, judges the URL by the installation's egress policy
(`core.egress`), resolves the host, refuses if any address it resolves to is
internal, and then connects to the address it checked (TLS still verifies the
certificate for the host name), so a name re-pointed to an internal address
between check and connection gains nothing. It uses no proxy (a proxy would
resolve the name again), follows no redirect (a signed body is never
re-posted elsewhere) and puts no part of the URL in its errors.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from gatekeeper.core.egress import EgressPolicy, IPAddress, literal_address

DEFAULT_TIMEOUT_SECONDS = 5.0
_MAX_RESPONSE_BYTES = 64 * 1024


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Gatekeeper-Signature` value: `t=<unix time>,v1=<hex HMAC-SHA256>`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


@dataclass(frozen=True)
class SendResult:
    """What one HTTP attempt gave: a status code, or an error where none came back."""

    status_code: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender(Protocol):
    """Sends one POST; never raises for what the network or receiver does."""

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult: ...


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, as the operating system says (TCP only)."""
    return list(
        dict.fromkeys(
            str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        )
    )


def _socket_to(addresses: list[IPAddress], port: int, timeout: float | None) -> socket.socket:
    """A connection to the first of the checked addresses that answers (as a resolver's
    list is tried in turn), never to any other address."""
    failure: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout)
        except OSError as error:
            failure = error
    raise failure


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to `host` (its Host header), over a socket to an address already checked."""

    def __init__(self, host: str, port: int, addresses: list[IPAddress], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self) -> None:
        self.sock = _socket_to(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to `host` (Host header, SNI and certificate), over a socket to a checked address."""

    def __init__(
        self,
        host: str,
        port: int,
        addresses: list[IPAddress],
        timeout: float,
        context: ssl.SSLContext,
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._addresses = addresses
        self._tls = context

    def connect(self) -> None:
        sock = _socket_to(self._addresses, self.port, self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


class GuardedSender:
    """The default sender: checks where a URL leads, then POSTs there with a timeout."""

    def __init__(
        self,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        policy: EgressPolicy | None = None,
        resolver: Resolver = system_resolver,
    ) -> None:
        self.timeout_seconds = timeout_seconds
        self.policy = policy or EgressPolicy()
        self._resolve = resolver
        self._tls = ssl.create_default_context()

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        refusal = self.policy.url_refusal(url)
        if refusal is not None:
            return SendResult(error=f"refused by the egress rules: {refusal}")
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            addresses = self._checked_addresses(host, port)
        except _Refused as refused:
            return SendResult(error=f"refused by the egress rules: {refused}")
        except (OSError, ValueError) as error:
            return SendResult(error=f"{type(error).__name__}: {error}")
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection = self._connection(parts.scheme, host, port, addresses)
        try:
            connection.request("POST", target, body=body, headers=dict(headers))
            response = connection.getresponse()
            response.read(_MAX_RESPONSE_BYTES)
            if 200 <= response.status < 300:
                return SendResult(status_code=response.status)
            return SendResult(
                status_code=response.status, error=f"HTTP {response.status} {response.reason}"
            )
        except (OSError, http.client.HTTPException, ValueError) as error:
            return SendResult(error=f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    def _checked_addresses(self, host: str, port: int) -> list[IPAddress]:
        """Every address `host` leads to, all allowed; `_Refused` if any is not."""
        literal = literal_address(host)
        found = (
            [literal]
            if literal is not None
            else [literal_address(text) for text in self._resolve(host, port)]
        )
        addresses = [address for address in found if address is not None]
        if not addresses:
            raise _Refused(f"{host} resolves to no address")
        for address in addresses:
            reason = self.policy.address_refusal(address)
            if reason is not None:
                raise _Refused(f"{host} resolves to {address}, which {reason}")
        return addresses

    def _connection(
        self, scheme: str, host: str, port: int, addresses: list[IPAddress]
    ) -> http.client.HTTPConnection:
        if scheme == "https":
            return _PinnedHTTPSConnection(host, port, addresses, self.timeout_seconds, self._tls)
        return _PinnedHTTPConnection(host, port, addresses, self.timeout_seconds)


class _Refused(Exception):
    """An address the egress policy does not allow."""
