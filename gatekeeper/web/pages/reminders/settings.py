"""The Inställningar page (`/settings`): time zone, daily digest and personal calendar feeds.

Saving the settings goes back to the page with a message, or shows the page
again with an error summary (nothing changed). A new calendar feed's address
is shown on the page that answers the form, once: it is a secret and is not
put in the session cookie or anywhere else. Revoking a feed stops its address.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.access import Principal
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import calendar_feed as calendar_feeds
from gatekeeper.services.reminders import settings as reminder_settings
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.sessions import WebPrincipal

router = APIRouter(tags=["pages"], include_in_schema=False)

SAVED = N_("Inställningarna är sparade.")
FEED_REVOKED = N_("Kalenderflödet är återkallat: adressen fungerar inte längre.")


@dataclass(frozen=True)
class NewFeedShown:
    """A feed just made and its address, for the page that answers the form."""

    view: calendar_feeds.FeedView
    url: str


def _render(
    page: Page,
    ctx: Context,
    principal: Principal,
    *,
    problem: FormProblem | None = None,
    new_feed: NewFeedShown | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page.render(
        "settings.html",
        status_code=status_code,
        nav="settings",
        settings=reminder_settings.settings_of(ctx, principal.email),
        zones=reminder_settings.time_zones(),
        feeds=calendar_feeds.list_feeds(ctx, principal.email),
        projects=calendar_feeds.member_projects(ctx, principal.email),
        new_feed=new_feed,
        problem=problem or FormProblem(),
        headers={"Cache-Control": "no-store"} if new_feed else None,
    )


@router.get("/settings", response_class=HTMLResponse)
def settings_page(page: PageDep, ctx: ContextDep, principal: WebPrincipal) -> HTMLResponse:
    return _render(page, ctx, principal)


@router.post("/settings", response_class=HTMLResponse)
def save_settings(
    page: PageDep, ctx: ContextDep, principal: WebPrincipal, form: FormGuard
) -> Response:
    zone = form_text(form, "time_zone")
    try:
        reminder_settings.update_settings(
            ctx,
            principal.actor(),
            email=principal.email,
            time_zone=zone or None,
            email_digest=form_text(form, "email_digest") == "on",
        )
    except ValidationFailed as error:
        problem = FormProblem([(error.message, "time-zone")], {"time_zone": zone})
        return _render(page, ctx, principal, problem=problem, status_code=refusal_status(error))
    page.flash(page.gettext(SAVED), kind="success")
    return page.redirect("/settings")


@router.post("/settings/calendar-feeds", response_class=HTMLResponse)
def create_feed(
    page: PageDep, ctx: ContextDep, principal: WebPrincipal, form: FormGuard
) -> Response:
    made = calendar_feeds.create_feed(
        ctx,
        principal.actor(),
        email=principal.email,
        project_key=form_text(form, "project_key") or None,
    )
    base = str(page.request.base_url).rstrip("/")
    shown = NewFeedShown(made.view, f"{base}/calendar/{made.token}.ics")
    return _render(page, ctx, principal, new_feed=shown, status_code=201)


@router.post("/settings/calendar-feeds/{feed_id}/revoke", response_class=HTMLResponse)
def revoke_feed(
    page: PageDep, ctx: ContextDep, principal: WebPrincipal, form: FormGuard, feed_id: RowId
) -> Response:
    calendar_feeds.revoke_feed(ctx, principal.actor(), email=principal.email, feed_id=feed_id)
    page.flash(page.gettext(FEED_REVOKED), kind="success")
    return page.redirect("/settings#feeds-heading")
