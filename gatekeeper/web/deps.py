"""FastAPI dependencies: the request's use-case context, and where account letters go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from gatekeeper.channels.account_mail import LetterBox
from gatekeeper.services.context import Context


def get_context(request: Request) -> Context:
    context: Context = request.app.state.context
    return context


ContextDep = Annotated[Context, Depends(get_context)]


@dataclass(frozen=True)
class Postbox:
    """Where account letters (invitations, password resets) go, and the site's address
    that their links start with."""

    letters: LetterBox | None  # None: no SMTP server is configured
    base_url: str


def get_postbox(request: Request) -> Postbox:
    postbox: Postbox = request.app.state.postbox
    return postbox


PostboxDep = Annotated[Postbox, Depends(get_postbox)]
