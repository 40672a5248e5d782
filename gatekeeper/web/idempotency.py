"""`Idempotency-Key` on API POSTs: a pure ASGI middleware around the whole app.

A POST under `/api/` with the header and a live bearer token is claimed in
`gatekeeper.services.idempotency` before the app sees it; a retry gets the
stored answer (with `Idempotent-Replayed: true`) without the app running, so
nothing changes twice and no audit event is written twice. Every other
request passes through untouched; one without a live token is left for the
app to answer 401. Pure ASGI rather than `BaseHTTPMiddleware`, so the body is
read once and the answer streams through while it is recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatekeeper.errors import Conflict, GatekeeperError
from gatekeeper.services import idempotency
from gatekeeper.services.context import Context
from gatekeeper.web.problem import error_response

logger = logging.getLogger("gatekeeper.web")
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyMiddleware:
    """Replays the first answer to a POST carrying the same `Idempotency-Key`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        keys = headers.getlist(idempotency.KEY_HEADER)
        if not keys:
            await self.app(scope, receive, send)
            return
        ctx: Context = scope["app"].state.context
        try:
            principal = await run_in_threadpool(
                idempotency.principal_of, ctx, headers.get("authorization")
            )
            if principal is None:
                await self.app(scope, receive, send)
                return
            key = idempotency.check_key(keys)
            body = await _read_body(receive)
            if body is None:
                return  # the client left before it finished sending
            outcome = await run_in_threadpool(
                partial(
                    idempotency.claim,
                    ctx,
                    principal=principal,
                    key=key,
                    fingerprint=idempotency.Fingerprint.of(scope["method"], scope["path"], body),
                )
            )
        except GatekeeperError as error:
            await _problem(scope, error)(scope, receive, send)
            return
        if isinstance(outcome, idempotency.StoredResponse):
            await _replay(outcome)(scope, receive, send)
            return
        await self._run_first(scope, receive, send, ctx, outcome, body)

    async def _run_first(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        ctx: Context,
        claimed: idempotency.Claim,
        body: bytes,
    ) -> None:
        recorder = _Recorder(receive, send, body)
        try:
            await self.app(scope, recorder.receive, recorder.send)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await _quietly(partial(idempotency.abandon, ctx, claimed))
            raise
        with anyio.CancelScope(shield=True):
            if recorder.status is None or recorder.overflow:
                await _quietly(partial(idempotency.abandon, ctx, claimed))
            else:
                await _quietly(
                    partial(
                        idempotency.complete,
                        ctx,
                        claimed,
                        status_code=recorder.status,
                        headers=recorder.headers,
                        body=b"".join(recorder.chunks),
                    )
                )


class _Recorder:
    """Hands the app the body read already, and keeps a copy of what it answers."""

    def __init__(self, receive: Receive, send: Send, body: bytes) -> None:
        self._receive = receive
        self._send = send
        self._body: bytes | None = body
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.chunks: list[bytes] = []
        self.size = 0
        self.overflow = False

    async def receive(self) -> Message:
        if self._body is not None:
            body, self._body = self._body, None
            return {"type": "http.request", "body": body, "more_body": False}
        return await self._receive()

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            self.headers = {
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in message.get("headers", [])
            }
        elif message["type"] == "http.response.body" and not self.overflow:
            chunk = bytes(message.get("body", b""))
            self.size += len(chunk)
            if self.size > idempotency.MAX_STORED_BODY:
                self.overflow = True
                self.chunks.clear()
            else:
                self.chunks.append(chunk)
        await self._send(message)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None if the client disconnected first."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(bytes(message.get("body", b"")))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _quietly(call: Callable[[], object]) -> None:
    """Run a bookkeeping call after the answer went out; its failure must not mask that."""
    try:
        await run_in_threadpool(call)
    except Exception:
        logger.exception("idempotency bookkeeping failed after the response was sent")


def _replay(stored: idempotency.StoredResponse) -> Response:
    headers = dict(stored.headers)
    headers[REPLAYED_HEADER] = "true"
    return Response(stored.body, status_code=stored.status_code, headers=headers)


def _problem(scope: Scope, error: GatekeeperError) -> Response:
    response = error_response(Request(scope), error)
    if isinstance(error, Conflict):
        response.headers["Retry-After"] = "1"
    return response
