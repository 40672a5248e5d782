"""API tokens of the caller: create (the secret is shown once), list, revoke.

What a caller may create or revoke (nothing beyond its own rights) is decided
in `gatekeeper.services.access.api_token`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status

from gatekeeper.services.access import api_token as api_tokens
from gatekeeper.web.auth import PrincipalDep
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.inputs import TokenCreate
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.work import NewTokenPublic, TokenPublic

router = APIRouter(tags=["tokens"])

TokenBody = Annotated[
    TokenCreate,
    Body(
        openapi_examples={
            "bot": {
                "summary": "A read-only token for one project",
                "value": {
                    "name": "Teams-bot för styrgruppen",
                    "scope": "read",
                    "projects": ["ibic-alingsas"],
                    "days": 30,
                },
            },
            "integration": {
                "summary": "A write token (needs a write token to make)",
                "value": {"name": "Import från projektportalen", "scope": "write", "days": 90},
            },
            "for_someone": {
                "summary": "Admins: a token for someone else",
                "value": {
                    "name": "Registrators token",
                    "scope": "read",
                    "owner_email": "malin.holmberg@alingsas.se",
                },
            },
        }
    ),
]


@router.post(
    "/tokens",
    response_model=NewTokenPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API token; `token` is shown only in this answer",
    description=(
        "A token is made for the caller (admins with a write token may name `owner_email`). "
        "It never gets more than the caller has: a read-only caller makes read-only tokens "
        "that expire no later than its own, and a caller limited to some projects makes "
        "tokens limited to those (leaving `projects` empty means the caller's own list)."
    ),
)
def create_token(
    ctx: ContextDep, principal: PrincipalDep, body: TokenBody, response: Response
) -> NewTokenPublic:
    made = api_tokens.create_token_as(
        ctx,
        principal,
        name=body.name,
        scope=body.scope,
        projects=body.projects,
        days=body.days,
        owner_email=str(body.owner_email) if body.owner_email else None,
    )
    response.headers["Location"] = f"/api/v1/tokens/{made.token.public_id}"
    response.headers["Cache-Control"] = "no-store"  # the answer carries a secret
    return NewTokenPublic.of_new(made)


@router.get(
    "/tokens",
    response_model=Page[TokenPublic],
    summary="Your API tokens, newest first (never their secrets)",
)
def list_tokens(
    ctx: ContextDep, principal: PrincipalDep, cursor: Cursor = None, limit: Limit = 100
) -> Page[TokenPublic]:
    rows, next_cursor = paginate(api_tokens.tokens_as(ctx, principal), cursor=cursor, limit=limit)
    return Page[TokenPublic](items=[TokenPublic.of(t) for t in rows], next_cursor=next_cursor)


@router.get(
    "/tokens/{public_id}",
    response_model=TokenPublic,
    summary="One of your API tokens (admins: anyone's), without its secret",
)
def get_token(ctx: ContextDep, principal: PrincipalDep, public_id: str) -> TokenPublic:
    return TokenPublic.of(api_tokens.token_as(ctx, principal, public_id))


@router.delete(
    "/tokens/{public_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a token at once: yours (admins: anyone's)",
)
def revoke_token(ctx: ContextDep, principal: PrincipalDep, public_id: str) -> Response:
    api_tokens.revoke_token_as(ctx, principal, public_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
