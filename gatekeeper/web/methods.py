"""Which methods an address takes: `Allow` on every 405, and an answer to OPTIONS.

Starlette names only the methods of the first route that matched the path,
and an address is often several routes (`GET` and `POST /projects`), so its
405 said `Allow: GET` where `POST` works too, and OPTIONS was a 405 like any
unknown method. RFC 9110 wants a 405 to list every method the resource
supports; `allowed_methods` asks each route of the app whether it takes the
path with each method, and `OptionsMiddleware` answers `OPTIONS` with 204 and
that list (404 for an address that takes no method at all).
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

CANDIDATES = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app: ASGIApp, path: str) -> list[str]:
    """The methods some route of `app` takes at `path`, with HEAD and OPTIONS."""
    routes = getattr(getattr(app, "router", None), "routes", ())

    def takes(method: str) -> bool:
        probe: Scope = {"type": "http", "path": path, "root_path": "", "method": method}
        for route in routes:
            if route.matches(probe)[0] == Match.FULL:
                # a mount (the static files) matches any method; it serves GET only
                return method == "GET" or not isinstance(route, Mount)
        return False

    found = [method for method in CANDIDATES if takes(method)]
    if not found:
        return []
    if "GET" in found:
        found.insert(1, "HEAD")
    return [*found, "OPTIONS"]


class OptionsMiddleware:
    """`OPTIONS <path>`: 204 with `Allow`, before any route (which would answer 405)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await self.app(scope, receive, send)
            return
        methods = allowed_methods(scope["app"], scope["path"])
        if not methods:
            await self.app(scope, receive, send)  # the 404 of an unknown address
            return
        await Response(status_code=204, headers={"Allow": ", ".join(methods)})(scope, receive, send)
