"""Pages of the reports: the follow-up report per date and the slutrapport, printable and as PDF.

`routers` lists the routers of this capability; `web/app` includes them.
"""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.web.pages.reports import followup_report, lesson, slutrapport

routers: list[APIRouter] = [followup_report.router, slutrapport.router, lesson.router]
