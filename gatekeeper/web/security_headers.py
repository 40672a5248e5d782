"""Security headers on every answer: no framing, no sniffing, no referrer leaks, no caching
of what a signed-in person sees.

An ASGI middleware, outermost of the app's own, so that it sees every answer
(the idempotency store records the route's answer before these headers are
added, and a replay gets them again):

- `Content-Security-Policy`: the pages load scripts, styles and images from
  gatekeeper itself only, with no inline script, inline style or event
  handler attribute (the templates have none), and may not be framed
  (`frame-ancestors 'none'`). The API documentation at `/docs` and `/redoc`
  loads its viewer from a CDN and starts it with one inline script: that page
  gets its own policy naming the CDN and the hash of exactly that script;
- `X-Frame-Options: DENY` (for browsers without CSP level 2),
  `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`;
- `Cache-Control: no-store` on every answer to a request with credentials (a
  bearer token or the session cookie), static files aside.

A header the route set itself (the password pages' `no-referrer`, the
calendar feed's `private, no-store`) is kept.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatekeeper.web.sessions import SESSION_COOKIE

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
DOCS_PATHS = frozenset({"/docs", "/redoc"})
DOCS_SOURCES = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
FIXED = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def docs_policy(html: bytes) -> str:
    """The policy of the API documentation page: its CDN and the hashes of its inline scripts."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' {DOCS_SOURCES} {hashes}".rstrip(),
            # the viewers set style attributes from their scripts
            f"style-src 'self' 'unsafe-inline' {DOCS_SOURCES} https://fonts.googleapis.com",
            "font-src 'self' https://fonts.gstatic.com",
            "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
            "connect-src 'self'",
            "worker-src blob:",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    )


def _has_credentials(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            return True
        if name == b"cookie" and SESSION_COOKIE.encode() in value:
            return True
    return False


def _with(headers: list[tuple[bytes, bytes]], extra: list[tuple[bytes, bytes]]) -> None:
    present = {name.lower() for name, _ in headers}
    headers.extend((name, value) for name, value in extra if name not in present)


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        extra = list(FIXED)
        if _has_credentials(scope) and not path.startswith("/static/"):
            extra.append((b"cache-control", b"no-store"))
        if path in DOCS_PATHS:
            await self._docs(scope, receive, send, extra)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                _with(headers, [*extra, (b"content-security-policy", CSP.encode())])
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(
        self, scope: Scope, receive: Receive, send: Send, extra: list[tuple[bytes, bytes]]
    ) -> None:
        """The documentation page is small: hold it back to hash its inline script."""
        start: Message | None = None
        body = b""

        async def hold(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                body += message.get("body", b"")
                if message.get("more_body", False):
                    return
                assert start is not None
                headers = list(start.get("headers", []))
                _with(headers, [*extra, (b"content-security-policy", docs_policy(body).encode())])
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, hold)
