"""CSRF protection: a token per browser session in every form, checked on every form POST.

The token is a random value kept in the signed session cookie (a new one at
sign-in and sign-out) and repeated in each form as the hidden field
`csrf_token` (`{{ csrf_field() }}` in a template). A page that accepts a form
declares `form: FormGuard`; the guard reads the form, compares the two in
constant time and refuses a missing or wrong token with `CsrfRefused` (a 403
page in the visitor's language) before the page's own code runs, so nothing
changes. Another site can make a browser post a form but cannot read the token.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from gatekeeper.errors import PermissionDenied
from gatekeeper.web.i18n import N_
from gatekeeper.web.sessions import CSRF, cookie_session
from gatekeeper.web.templating import CSRF_FIELD

CSRF_REFUSED = N_(
    "Formuläret kunde inte tas emot: sidan var för gammal eller kom inte från gatekeeper. "
    "Ingenting har ändrats. Ladda om sidan och försök igen."
)


class CsrfRefused(PermissionDenied):
    """A form arrived without the session's CSRF token."""

    def __init__(self) -> None:
        super().__init__(CSRF_REFUSED)


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (made on first use)."""
    if "session" not in request.scope:  # outside the session middleware (error pages)
        return ""
    session = cookie_session(request)
    token = session.get(CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[CSRF] = token
    return token


def renew_csrf_token(request: Request) -> str:
    """A new token (at sign-in and sign-out: forms from before no longer count)."""
    cookie_session(request).pop(CSRF, None)
    return csrf_token(request)


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's; `CsrfRefused` otherwise."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = cookie_session(request).get(CSRF)
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise CsrfRefused()
    return form


FormGuard = Annotated[FormData, Depends(checked_form)]
