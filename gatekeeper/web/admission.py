"""A bound on the requests one server process handles at once: past it, 503 at the door.

A pure ASGI middleware, outside everything that reads a body or touches the
database. A request takes one of `limit` places before it reaches the app and
gives it back when its answer has gone. When every place is taken it waits up
to `queue_seconds` for one; if none comes free it is answered at once with
503 problem+json and `Retry-After`, having reached nothing: no route ran, no
transaction began, so a refused write is simply not made and may be sent
again. A load well over capacity so degrades into quick refusals instead of
ever longer queues in front of the database's locks (and the time-outs,
half-read bodies and retries those bring).

Health checks, /metrics and static files are not counted: a monitor must see an
overloaded server as up, and a page's style sheet must not be the request
that tips it over. `limit` 0: no bound.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

EXEMPT_PREFIXES = ("/api/v1/health", "/metrics", "/static/")
OVERLOADED_DETAIL = (
    "Servern tar emot för många förfrågningar just nu. Ingenting har ändrats. "
    "Försök igen om en stund."
)


class AdmissionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        queue_seconds: float,
        on_refused: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.queue_seconds = queue_seconds
        self.retry_after = str(max(1, math.ceil(queue_seconds)))
        self.on_refused = on_refused
        self._places: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        """The places, made in the running loop (a test may serve one app from several)."""
        loop = asyncio.get_running_loop()
        if self._places is None or self._loop is not loop:
            self._places, self._loop = asyncio.Semaphore(self.limit), loop
        return self._places

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or self.limit <= 0
            or scope.get("path", "").startswith(EXEMPT_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        places = self._semaphore()
        if not await self._take(places):
            if self.on_refused is not None:
                self.on_refused()
            await self._refuse(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            places.release()

    async def _take(self, places: asyncio.Semaphore) -> bool:
        """Take a place, waiting up to `queue_seconds` for one; False if none came free."""
        if not places.locked():
            await places.acquire()  # free now: never waits
            return True
        if self.queue_seconds <= 0:
            return False
        try:
            async with asyncio.timeout(self.queue_seconds):
                await places.acquire()
        except TimeoutError:
            return False
        return True

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = {
            "type": "https://gatekeeper.example/problems/overloaded",
            "title": "Service overloaded",
            "status": 503,
            "detail": OVERLOADED_DETAIL,
            "instance": scope.get("path", ""),
        }
        payload = json.dumps(body, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(payload)).encode()),
                    (b"retry-after", self.retry_after.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
