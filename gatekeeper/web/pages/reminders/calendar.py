"""The iCal feed itself: `GET /calendar/{token}.ics`, fetched by calendar programs.

No login: the random token in the address is the credential (a calendar
program cannot sign in). An unknown or revoked token answers 404, exactly
like an address that never existed. The answer is never cached by proxies
(`no-store`) and never sends the address on as a referrer.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gatekeeper.services.reminders import ical
from gatekeeper.web.deps import ContextDep

router = APIRouter(tags=["pages"], include_in_schema=False)

MEDIA_TYPE = "text/calendar; charset=utf-8"


@router.get("/calendar/{token}.ics")
def calendar_feed(ctx: ContextDep, request: Request, token: str) -> Response:
    document = ical.render_feed(ctx, token, base_url=str(request.base_url).rstrip("/"))
    return Response(
        document,
        media_type=MEDIA_TYPE,
        headers={
            "Cache-Control": "private, no-store",
            "Referrer-Policy": "no-referrer",
            "Content-Disposition": 'inline; filename="gatekeeper.ics"',
        },
    )
