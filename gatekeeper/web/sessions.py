"""Who is looking at a web page: the signed session cookie, and page dependencies on it.

The browser holds one cookie, `gatekeeper_session`: a small JSON object signed
with the secret key (Starlette's `SessionMiddleware`, i.e. itsdangerous),
HttpOnly, SameSite=Lax, Secure when `GATEKEEPER_COOKIE_SECURE` is on. It keeps
the secret of a server-side session (`sid`), the CSRF token (`csrf`), a
language chosen before signing in (`lang`), messages for the next page
(`flash`) and whether the last session timed out (`expired`). The session
itself (whose, idle since when) is in the database: `services.logins` checks
it on every request, so signing out or an idle timeout ends it for good,
whatever a copied cookie says.

Pages declare what they need, like API routes do:

- `WebPrincipal`: the signed-in person (a `Principal` with `can_write=True`
  and no token); anyone else is sent to `/login?next=<this page>` (an
  expired session also gets the message "Din session har gått ut").
- `WebProjectReader` / `WebProjectWriter`: a project the person may see /
  change (404 page for a project they may not see, as in the API).
- `WebOrTokenProjectReader`: the same from a bearer token or the session
  (pages that tools fetch too, such as the printable protocol).
- `VisitorDep`: who is looking, signed in or not, and in which language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.middleware.sessions import SessionMiddleware

from gatekeeper.core.access import Principal
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.projects.language import project_language
from gatekeeper.web.auth import ProjectAccess, project_reader, project_writer
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import LANGUAGES, choose_language

SESSION_COOKIE = "gatekeeper_session"
COOKIE_MAX_AGE = 14 * 24 * 3600  # the signature's age limit too; idle time is checked server-side
SID = "sid"
CSRF = "csrf"
LANG = "lang"
FLASH = "flash"
EXPIRED = "expired"
LOGIN_PATH = "/login"


@dataclass(frozen=True)
class WebSettings:
    """What the pages need from the settings."""

    secret_key: str
    cookie_secure: bool = False
    idle: timedelta = logins.DEFAULT_IDLE


def install_sessions(app: FastAPI, settings: WebSettings) -> None:
    """The signed session cookie on every request, and the redirect to the login page."""
    app.state.web = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=COOKIE_MAX_AGE,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_exception_handler(LoginRequired, _to_login)


def cookie_session(request: Request) -> dict[str, Any]:
    """The signed cookie's contents (empty when there is none or its signature is bad)."""
    session: dict[str, Any] = request.session
    return session


@dataclass(frozen=True)
class Visitor:
    """Who looks at a page: a signed-in person or nobody yet, and in which language."""

    principal: Principal | None
    language: str
    expired: bool = False  # the cookie named a session that has ended
    chosen: bool = False  # the language is the person's own choice (account or switch)


def current_visitor(request: Request, ctx: ContextDep) -> Visitor:
    """The visitor of this request, worked out once (also kept in `request.state.visitor`)."""
    known: Visitor | None = getattr(request.state, "visitor", None)
    if known is not None:
        return known
    session = cookie_session(request)
    token = session.get(SID)
    active = None
    if isinstance(token, str):
        active = logins.resume_session(ctx, token, idle=request.app.state.web.idle)
        if active is None:
            session.pop(SID, None)  # dead: stop sending it
    chosen = (active.language if active else None) or session.get(LANG)
    visitor = Visitor(
        principal=active.principal if active else None,
        language=choose_language(
            chosen=chosen, accept_language=request.headers.get("accept-language")
        ),
        expired=isinstance(token, str) and active is None,
        chosen=chosen in LANGUAGES,
    )
    request.state.visitor = visitor
    return visitor


VisitorDep = Annotated[Visitor, Depends(current_visitor)]


def request_language(request: Request) -> str:
    """The language of a page rendered without dependencies (error pages): no database."""
    visitor: Visitor | None = getattr(request.state, "visitor", None)
    if visitor is not None:
        return visitor.language
    chosen = request.scope.get("session", {}).get(LANG)
    return choose_language(chosen=chosen, accept_language=request.headers.get("accept-language"))


class LoginRequired(Exception):  # a signal to redirect, not a domain error
    """Raised by page dependencies: answer with a redirect to the login page."""

    def __init__(self, next_path: str | None, *, expired: bool) -> None:
        super().__init__("login required")
        self.next_path = next_path
        self.expired = expired


def safe_next(value: str | None, default: str = "/") -> str:
    """`value` if it is a path on this site (no scheme, no host, no `//` or `\\`), else `default`.

    Whatever a login link says, gatekeeper never sends a browser to another site.
    """
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def _this_page(request: Request) -> str | None:
    """Where to come back to after signing in: this page for a GET, else where the form was."""
    if request.method in ("GET", "HEAD"):
        query = f"?{request.url.query}" if request.url.query else ""
        return request.url.path + query
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return None
    return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""), "") or None


async def _to_login(request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequired)
    if error.expired:
        cookie_session(request)[EXPIRED] = True  # the login page says so, once
    target = LOGIN_PATH
    if error.next_path and error.next_path != "/":
        target += "?next=" + quote(error.next_path, safe="/")
    return RedirectResponse(target, status_code=303)


def require_principal(request: Request, visitor: VisitorDep) -> Principal:
    if visitor.principal is None:
        raise LoginRequired(_this_page(request), expired=visitor.expired)
    return visitor.principal


WebPrincipal = Annotated[Principal, Depends(require_principal)]


def _speak_as_project(request: Request, ctx: ContextDep, project_key: str) -> None:
    """Let the page follow the project's language (`Page.lang`) where the person chose none."""
    request.state.project_language = project_language(ctx, project_key)


def web_project_reader(
    request: Request, ctx: ContextDep, principal: WebPrincipal, project_key: str
) -> ProjectAccess:
    access = project_reader(ctx, principal, project_key)
    _speak_as_project(request, ctx, project_key)
    return access


def web_project_writer(
    request: Request, ctx: ContextDep, principal: WebPrincipal, project_key: str
) -> ProjectAccess:
    access = project_writer(ctx, principal, project_key)
    _speak_as_project(request, ctx, project_key)
    return access


WebProjectReader = Annotated[ProjectAccess, Depends(web_project_reader)]
WebProjectWriter = Annotated[ProjectAccess, Depends(web_project_writer)]

_bearer = HTTPBearer(auto_error=False)


def token_or_session_principal(
    request: Request,
    ctx: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """A bearer token if the request carries one, else the web session (else to login)."""
    if credentials is not None:
        return accounts.authenticate(ctx, credentials.credentials)
    return require_principal(request, current_visitor(request, ctx))


def token_or_session_reader(
    request: Request,
    ctx: ContextDep,
    principal: Annotated[Principal, Depends(token_or_session_principal)],
    project_key: str,
) -> ProjectAccess:
    access = project_reader(ctx, principal, project_key)
    _speak_as_project(request, ctx, project_key)
    return access


WebOrTokenProjectReader = Annotated[ProjectAccess, Depends(token_or_session_reader)]
