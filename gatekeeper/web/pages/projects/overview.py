"""Översikt (`GET /`): the projects the signed-in person may see, one row each.

Each row: phase, next gate and its target date, readiness share, open
blockers, overdue items and reviews waiting for the person's vote; a rollout
project's readiness is its units ready of its units and its next wave's
go-live (`services.rollout.overview_card`). Filtering
(`phase`, `mina=1` for "bara mina röster", `q` free text) and sorting
(`sort=name|target|readiness`, `order=asc|desc`) are plain GET parameters, so
the form works without JavaScript and every view has its own address.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from gatekeeper.core.rollout.rows import tal
from gatekeeper.services.projects import dashboard
from gatekeeper.services.rollout import overview_card
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import WebPrincipal

router = APIRouter(tags=["pages"], include_in_schema=False)

SORT_LABELS = {
    "name": N_("Namn"),
    "target": N_("Måldatum"),
    "readiness": N_("Beredskap"),
}


@router.get("/", response_class=HTMLResponse)
def overview(
    page: PageDep,
    ctx: ContextDep,
    principal: WebPrincipal,
    phase: Annotated[str, Query(max_length=100)] = "",
    mina: Annotated[str, Query(max_length=10)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=20)] = "name",
    order: Annotated[str, Query(max_length=20)] = "asc",
) -> HTMLResponse:
    sort_key: dashboard.SortKey = "name"
    for known in dashboard.SORT_KEYS:
        if sort == known:
            sort_key = known
    descending = order == "desc"
    waiting_only = mina in ("1", "on", "true")
    view, rollouts = overview_card.overview_with_rollouts(
        ctx,
        principal,
        phase=phase or None,
        waiting_only=waiting_only,
        text=q,
        sort=sort_key,
        descending=descending,
    )
    filters = {"phase": phase, "mina": "1" if waiting_only else "", "q": q.strip()}

    def sort_link(key: str) -> str:
        """This view sorted by `key` (the other way round when it already is)."""
        flip = "desc" if key == sort_key and not descending else "asc"
        query = {name: value for name, value in filters.items() if value}
        query.update(sort=key, order=flip)
        return "/?" + urlencode(query)

    return page.render(
        "overview.html",
        nav="overview",
        view=view,
        rows=view.rows,
        rollouts=rollouts,
        tal=tal,
        phase=phase,
        waiting_only=waiting_only,
        q=q.strip(),
        sort=sort_key,
        descending=descending,
        sort_labels=SORT_LABELS,
        sort_link=sort_link,
        filtered=any(filters.values()),
    )
