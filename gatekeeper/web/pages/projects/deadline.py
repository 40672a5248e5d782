"""Deadlines: "Mina punkter" (`GET /me/items`) and a project's deadline view
(`GET /projects/{project_key}/deadlines`).

Mina punkter lists the open checklist items whose responsible role the signed-in
person holds, across their projects, late first; a projektledare may add every
open item of the projects they lead (`all=1`). The deadline view lists every item
of the project's gates ahead, sorted by deadline or gate (`sort=deadline|gate`),
filtered by `late=1`, `mine=1`, `open=1`, `category` and `checklist`, as a list or a
compact table (`view=table`). Everything is a plain GET parameter, so the filter form
works without JavaScript and every view has its own address.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from gatekeeper.services.projects.deadline import SORT_KEYS, LineFilter, SortKey
from gatekeeper.services.projects.deadline_view import deadline_view
from gatekeeper.services.projects.my_items import my_items
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import WebPrincipal, WebProjectReader

router = APIRouter(tags=["pages"], include_in_schema=False)

SORT_LABELS = {"deadline": N_("Deadline"), "gate": N_("Grind")}
VIEWS = ("list", "table")
YES = ("1", "on", "true")

Flag = Annotated[str, Query(max_length=10)]
Word = Annotated[str, Query(max_length=100)]


@router.get("/me/items", response_class=HTMLResponse)
def my_items_page(
    page: PageDep, ctx: ContextDep, principal: WebPrincipal, all: Flag = ""
) -> HTMLResponse:
    items = my_items(ctx, principal, everything=all in YES)
    return page.render("my_items.html", nav="my_items", items=items, lines=items.lines)


@router.get("/projects/{project_key}/deadlines", response_class=HTMLResponse)
def deadlines_page(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectReader,
    late: Flag = "",
    mine: Flag = "",
    open: Flag = "",
    category: Word = "",
    checklist: Word = "",
    sort: Annotated[str, Query(max_length=20)] = "deadline",
    view: Annotated[str, Query(max_length=20)] = "list",
) -> HTMLResponse:
    chosen = LineFilter(
        late=late in YES,
        mine=mine in YES,
        open=open in YES,
        category=category.strip(),
        checklist=checklist.strip(),
    )
    sort_key: SortKey = next((known for known in SORT_KEYS if known == sort), "deadline")
    mode = view if view in VIEWS else "list"
    found = deadline_view(ctx, access.principal, access.project_key, chosen=chosen, sort=sort_key)
    query = {
        "late": "1" if chosen.late else "",
        "mine": "1" if chosen.mine else "",
        "open": "1" if chosen.open else "",
        "category": chosen.category,
        "checklist": chosen.checklist,
        "sort": "" if sort_key == "deadline" else sort_key,
    }
    base = f"/projects/{found.project.key}/deadlines"

    def link(**changes: str) -> str:
        """This view with `changes` to its query (empty values left out)."""
        merged = {**query, "view": "" if mode == "list" else mode, **changes}
        kept = {name: value for name, value in merged.items() if value}
        return base + ("?" + urlencode(kept) if kept else "")

    return page.render(
        "deadlines.html",
        view=found,
        project=found.project,
        lines=found.lines,
        mode=mode,
        sort_labels=SORT_LABELS,
        link=link,
        base=base,
    )
