"""API tokens managed by their callers: what a caller may create, see and revoke.

`accounts` makes, lists and revokes tokens for whoever asks (the CLI and
admins); this module is the same through the API, where the caller is a
`Principal` holding a token and must never get more through a new token than
it has itself:

- a token is made for the caller; only an admin (with a write token) may make
  one for someone else;
- a read-only caller makes read-only tokens, which expire no later than the
  token it calls with (else a leaked read token could outlive its revocation
  by minting a longer-lived one);
- a caller limited to some projects makes tokens limited to those projects
  (asking for none means the caller's own list), and nobody names a project
  they cannot see: such a project is "unknown", exactly like one that does
  not exist;
- tokens are seen and revoked by their owner or an installation admin (a
  token limited to projects is none, see `core.access`); a read-only caller
  may revoke only the token it calls with (so a leaked read token cannot lock
  its owner out by revoking their other tokens).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.status import TokenScope
from gatekeeper.errors import NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services.access import account as accounts
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import ApiToken, UserAccount
from gatekeeper.store.projects.tables import Project, ProjectMember


@dataclass(frozen=True)
class TokenView:
    """A token and the e-mail of the person it belongs to (never its secret)."""

    token: ApiToken
    owner: str


@dataclass(frozen=True)
class IssuedToken(TokenView):
    """A token just made, with the bearer secret shown this once."""

    plaintext: str = ""


def create_token_as(
    ctx: Context,
    principal: Principal,
    *,
    name: str,
    scope: TokenScope = TokenScope.READ,
    projects: Sequence[str] = (),
    days: int = accounts.DEFAULT_TOKEN_DAYS,
    owner_email: str | None = None,
) -> IssuedToken:
    """Make a token as `principal` may through the API (see the module's rules)."""
    scope = TokenScope(scope)
    owner = (owner_email or principal.email).strip().lower()
    if owner != principal.email and not principal.may_administer:
        raise PermissionDenied(
            "Bara en administratör med skrivrätt kan skapa token åt någon annan."
        )
    if scope is TokenScope.WRITE and not principal.can_write:
        raise PermissionDenied(
            "Ett token som bara får läsa kan inte skapa ett token med skrivrätt."
        )
    keys = sorted({key.strip() for key in projects})
    if not keys and principal.projects is not None:
        keys = sorted(principal.projects)
    _require_visible(ctx, principal, keys)
    if not principal.can_write:
        _require_within_lifetime(ctx, principal, days)
    made = accounts.create_token(
        ctx,
        principal.actor(),
        owner_email=owner,
        name=name,
        scope=scope,
        projects=keys,
        days=days,
    )
    return IssuedToken(made.token, owner, made.plaintext)


def _require_visible(ctx: Context, principal: Principal, keys: Sequence[str]) -> None:
    """Every named project must be one the caller sees; others read as unknown."""
    if not keys:
        return
    with ctx.db.read() as session:
        existing = set(session.exec(select(Project.key).where(col(Project.key).in_(keys))).all())
        member_of = set(
            session.exec(
                select(Project.key)
                .join(ProjectMember)
                .where(col(Project.key).in_(keys), ProjectMember.email == principal.email)
            ).all()
        )
    unseen = [
        key
        for key in keys
        if key not in existing or not principal.may_see(key, is_member=key in member_of)
    ]
    if unseen:
        raise ValidationFailed("Okända projekt: " + ", ".join(unseen) + ".", field="projects")


def _require_within_lifetime(ctx: Context, principal: Principal, days: int) -> None:
    expires = _calling_token_expiry(ctx, principal)
    if expires is None:
        return
    now = ctx.clock.now()
    if (expires - now).total_seconds() < days * 86_400:
        longest = max(0, (expires - now).days)
        raise ValidationFailed(
            "Ett token som bara får läsa kan inte skapa ett token som gäller längre än det "
            f"självt (till {expires:%Y-%m-%d %H:%M} UTC): ange högst {longest} dagar.",
            field="days",
        )


def _calling_token_expiry(ctx: Context, principal: Principal) -> datetime | None:
    if principal.token_id is None:
        return None
    with ctx.db.read() as session:
        return session.exec(
            select(ApiToken.expires_at).where(ApiToken.public_id == principal.token_id)
        ).one_or_none()


def tokens_as(ctx: Context, principal: Principal) -> list[TokenView]:
    """The caller's own tokens, newest first."""
    return [TokenView(t, principal.email) for t in accounts.tokens_of(ctx, principal.email)]


def token_as(ctx: Context, principal: Principal, public_id: str) -> TokenView:
    """One token: the caller's own, or anyone's for an installation admin; else it does
    not exist."""
    with ctx.db.read() as session:
        row = session.exec(
            select(ApiToken, UserAccount.email)
            .join(UserAccount)
            .where(ApiToken.public_id == public_id)
        ).one_or_none()
    if row is None or (row[1] != principal.email and not principal.administers_installation):
        raise NotFound(f"Tokenet {public_id} finns inte.")
    return TokenView(row[0], row[1])


def revoke_token_as(ctx: Context, principal: Principal, public_id: str) -> TokenView:
    """Revoke a token: the caller's own (a read-only caller: only the one it calls
    with), or anyone's for an admin with a write token."""
    if principal.may_administer:
        view = token_as(ctx, principal, public_id)
        return TokenView(
            accounts.revoke_token(ctx, principal.actor(), public_id=public_id), view.owner
        )
    own = {t.public_id for t in accounts.tokens_of(ctx, principal.email)}
    if public_id not in own:
        raise NotFound(f"Tokenet {public_id} finns inte.")
    if not principal.can_write and public_id != principal.token_id:
        raise PermissionDenied(
            "Ett token som bara får läsa kan bara återkalla sig självt; "
            "använd ett token med skrivrätt för att återkalla andra."
        )
    token = accounts.revoke_token(
        ctx, principal.actor(), public_id=public_id, owner_only=principal.email
    )
    return TokenView(token, principal.email)
