"""JSON API of the follow-up: goals, measurements and the project registers.

`routers` lists the routers of this capability; `web/app` includes them.
"""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.web.api.followup import goal, register

routers: list[APIRouter] = [goal.router, register.router]
