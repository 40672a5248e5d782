"""Pages of steering-group meetings: agenda, underlag, protocol.

`routers` lists the routers of this capability; `web/app` includes them.
"""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.web.pages.meetings import meeting, protocol

routers: list[APIRouter] = [meeting.router, protocol.router]
