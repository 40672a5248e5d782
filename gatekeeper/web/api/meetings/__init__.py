"""JSON API of steering-group meetings.

`routers` lists the routers of this capability; `web/app` includes them.
"""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.web.api.meetings import meeting

routers: list[APIRouter] = [meeting.router]
