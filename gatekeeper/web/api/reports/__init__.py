"""JSON API of the reports: the follow-up report of a date and the slutrapport.

`routers` lists the routers of this capability; `web/app` includes them.
"""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.web.api.reports import followup_report, lesson, slutrapport

routers: list[APIRouter] = [followup_report.router, slutrapport.router, lesson.router]
