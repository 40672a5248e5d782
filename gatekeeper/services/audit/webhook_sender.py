"""Sending one webhook delivery: the signature, the HTTP POST and what came back.

Each body is signed with HMAC-SHA256 over `"{timestamp}.{body}"` with the
subscription's secret (`X-Gatekeeper-Signature: t=…,v1=…`). A `Sender` posts
one body and never raises for what the network or receiver does: it answers
with a `SendResult` (a status code, or an error where none came back). The
default, `UrllibSender`, uses the standard library with a timeout and treats
a redirect as a failure, so a signed body is never re-posted elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery: the signed body is not re-posted elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibSender:
    """The default sender: the standard library's HTTP client, with a timeout."""

    def __init__(self, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.timeout_seconds = timeout_seconds
        self._opener = urllib.request.build_opener(_NoRedirects())

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
        try:
            with self._opener.open(request, timeout=self.timeout_seconds) as response:
                response.read(_MAX_RESPONSE_BYTES)
                return SendResult(status_code=response.status)
        except urllib.error.HTTPError as error:
            try:
                return SendResult(status_code=error.code, error=f"HTTP {error.code} {error.reason}")
            finally:
                error.close()
        except urllib.error.URLError as error:
            return SendResult(error=f"{type(error.reason).__name__}: {error.reason}")
        except (OSError, http.client.HTTPException, ValueError) as error:
            return SendResult(error=f"{type(error).__name__}: {error}")
