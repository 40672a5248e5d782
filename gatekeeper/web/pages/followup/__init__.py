"""Pages of the follow-up: goals with their measurements and the project registers.

`routers` lists the routers of this capability; `web/app` includes them.
"""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.web.pages.followup import communication, goal, stakeholder

routers: list[APIRouter] = [goal.router, communication.router, stakeholder.router]
