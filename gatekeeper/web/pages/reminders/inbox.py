"""The Inkorg page (`/inbox`): the signed-in person's reminders, unread first.

Each message links to the item it is about; "Markera som läst" and "Markera
alla som lästa" post a form (CSRF-checked) and come back here with a message
(post/redirect/get). Someone else's message id is a 404 page, like one that
does not exist.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.services.reminders import inbox
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import WebPrincipal

router = APIRouter(tags=["pages"], include_in_schema=False)

PAGE_SIZE = 200
MARKED_ONE = N_("Meddelandet är markerat som läst.")
MARKED_ALL = N_("Alla meddelanden är markerade som lästa.")


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(page: PageDep, ctx: ContextDep, principal: WebPrincipal) -> HTMLResponse:
    return page.render(
        "inbox.html",
        nav="inbox",
        entries=inbox.messages(ctx, principal.email, limit=PAGE_SIZE),
        unread=inbox.unread_count(ctx, principal.email),
    )


@router.post("/inbox/read-all", response_class=HTMLResponse)
def mark_all_read(
    page: PageDep, ctx: ContextDep, principal: WebPrincipal, form: FormGuard
) -> Response:
    inbox.mark_all_read(ctx, principal.email)
    page.flash(page.gettext(MARKED_ALL), kind="success")
    return page.redirect("/inbox")


@router.post("/inbox/{message_id}/read", response_class=HTMLResponse)
def mark_read(
    page: PageDep, ctx: ContextDep, principal: WebPrincipal, form: FormGuard, message_id: RowId
) -> Response:
    inbox.mark_read(ctx, principal.email, message_id)
    page.flash(page.gettext(MARKED_ONE), kind="success")
    return page.redirect("/inbox")
