"""Choosing a password through a one-time link, and asking for one ("Glömt lösenordet?").

`GET/POST /password/forgotten` asks for an e-mail address and always answers
the same, whether or not there is an account (no enumeration).
`GET/POST /password/{token}` shows the set-password form while the link works,
else says in Swedish that it is used or expired and offers a new one
(`POST /password/{token}/renew`). The pages carry the token in their address,
so they are never cached and send no Referer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import Conflict, ValidationFailed
from gatekeeper.services.access import account_link, invitation
from gatekeeper.services.access.account_link import LinkState, LinkView
from gatekeeper.services.access.login import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep, PostboxDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status

router = APIRouter(tags=["pages"], include_in_schema=False)

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
SENT = N_(
    "Om det finns ett konto för adressen har vi skickat ett e-postbrev med en länk för att "
    "välja ett nytt lösenord. Länken gäller i 24 timmar."
)
RENEWED = N_(
    "Om länken var till ett konto som finns har vi skickat en ny länk till samma e-postadress."
)
PASSWORD_SET = N_("Lösenordet är sparat. Logga in med din e-postadress och det nya lösenordet.")
MISMATCH = N_("Lösenorden är inte likadana. Skriv samma lösenord i båda fälten.")
NO_EMAIL = N_("Fyll i din e-postadress.")


@router.get("/password/forgotten", response_class=HTMLResponse)
def forgotten_page(page: PageDep) -> HTMLResponse:
    return page.render("password_forgotten.html", sent=False, error=None)


@router.post("/password/forgotten", response_class=HTMLResponse)
def ask_for_reset(
    page: PageDep,
    ctx: ContextDep,
    postbox: PostboxDep,
    form: FormGuard,
    email: Annotated[str, Form(max_length=320)] = "",
) -> HTMLResponse:
    if not email.strip():
        return page.render(
            "password_forgotten.html", status_code=422, sent=False, error=page.gettext(NO_EMAIL)
        )
    invitation.request_reset(ctx, email=email, letters=postbox.letters, base_url=postbox.base_url)
    return page.render("password_forgotten.html", sent=True, message=page.gettext(SENT))


def _link_page(
    page: Page,
    token: str,
    link: LinkView,
    *,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page.render(
        "password_set.html",
        status_code=status_code if link.state is LinkState.VALID else 410,
        link=link,
        token=token,
        min_length=MIN_PASSWORD_LENGTH,
        max_length=MAX_PASSWORD_LENGTH,
        problem=problem or FormProblem(),
        headers=PRIVATE,
    )


@router.get("/password/{token}", response_class=HTMLResponse)
def set_password_page(page: PageDep, ctx: ContextDep, token: str) -> HTMLResponse:
    return _link_page(page, token, account_link.look_up(ctx, token))


@router.post("/password/{token}", response_class=HTMLResponse)
def set_password(
    page: PageDep,
    ctx: ContextDep,
    form: FormGuard,
    token: str,
    password: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)] = "",
    repeat: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)] = "",
) -> Response:
    try:
        if password != repeat:
            raise ValidationFailed(page.gettext(MISMATCH), field="repeat")
        account_link.set_password_with(ctx, token, password)
    except ValidationFailed as error:
        target = "new-password-repeat" if error.field == "repeat" else "new-password"
        problem = FormProblem([(error.message, target)], {}, "set-password")
        link = account_link.look_up(ctx, token)
        return _link_page(page, token, link, problem=problem, status_code=refusal_status(error))
    except Conflict:
        return _link_page(page, token, account_link.look_up(ctx, token))
    page.flash(page.gettext(PASSWORD_SET), kind="success")
    return page.redirect("/login")


@router.post("/password/{token}/renew", response_class=HTMLResponse)
def renew_link(
    page: PageDep, ctx: ContextDep, postbox: PostboxDep, form: FormGuard, token: str
) -> HTMLResponse:
    invitation.renew(ctx, token=token, letters=postbox.letters, base_url=postbox.base_url)
    return page.render(
        "password_forgotten.html", sent=True, message=page.gettext(RENEWED), headers=PRIVATE
    )
