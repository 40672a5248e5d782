"""Signing in and out, and choosing the UI language.

`GET/POST /login`, `POST /logout`, `POST /language`. A refused sign-in says
only that e-mail or password was wrong (never which, nor whether the account
is locked). After signing in the browser goes back to `next` when that is a
path on this site, else to the start page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import Unauthenticated
from gatekeeper.services.access import login as logins
from gatekeeper.web.csrf import FormGuard, renew_csrf_token
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import LANGUAGES, N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import EXPIRED, LANG, SID, cookie_session, safe_next

router = APIRouter(tags=["pages"], include_in_schema=False)

LOGIN_FAILED = N_(
    "Fel e-postadress eller lösenord. Efter fem misslyckade försök i rad spärras "
    "kontot i 15 minuter."
)
LOGIN_INCOMPLETE = N_("Fyll i både e-postadress och lösenord.")
SESSION_EXPIRED = N_("Din session har gått ut – logga in igen")
LOGGED_OUT = N_("Du är utloggad.")


def _login_form(
    page: PageDep, *, next_path: str, email: str = "", error: str | None = None
) -> HTMLResponse:
    notice = None
    if cookie_session(page.request).pop(EXPIRED, None):
        notice = page.gettext(SESSION_EXPIRED)
    return page.render(
        "login.html",
        next_path=next_path,
        email=email,
        error=page.gettext(error) if error else None,
        notice=notice,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(
    page: PageDep, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    target = safe_next(next_path)
    if page.principal is not None:
        return page.redirect(target)
    return _login_form(page, next_path=target)


@router.post("/login", response_class=HTMLResponse)
def log_in(
    page: PageDep,
    ctx: ContextDep,
    form: FormGuard,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=logins.MAX_PASSWORD_LENGTH)] = "",
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    target = safe_next(next_path)
    if not email.strip() or not password:
        return _login_form(page, next_path=target, email=email, error=LOGIN_INCOMPLETE)
    try:
        signed_in = logins.log_in(ctx, email, password, idle=page.request.app.state.web.idle)
    except Unauthenticated:
        return _login_form(page, next_path=target, email=email, error=LOGIN_FAILED)
    session = cookie_session(page.request)
    language = signed_in.language or session.get(LANG)
    session.clear()  # nothing from before signing in carries over (session fixation)
    session[SID] = signed_in.session_token
    if language in LANGUAGES:
        session[LANG] = language
    renew_csrf_token(page.request)
    return page.redirect(target)


@router.post("/logout")
def log_out(page: PageDep, ctx: ContextDep, form: FormGuard) -> Response:
    session = cookie_session(page.request)
    token = session.get(SID)
    if isinstance(token, str):
        logins.log_out(ctx, token)
    language = session.get(LANG)  # an explicit choice outlives the session; no guess does
    session.clear()
    if language in LANGUAGES:
        session[LANG] = language
    renew_csrf_token(page.request)
    page.flash(page.gettext(LOGGED_OUT), kind="success")
    return page.redirect("/login")


@router.post("/language")
def choose_language(
    page: PageDep,
    ctx: ContextDep,
    form: FormGuard,
    language: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    if language in LANGUAGES:
        cookie_session(page.request)[LANG] = language
        if page.principal is not None:
            logins.set_language(
                ctx, page.principal.actor(), email=page.principal.email, language=language
            )
    return page.redirect(next_path)
