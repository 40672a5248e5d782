"""User accounts and API tokens: create, list, revoke, and authenticate a bearer token.

A token reads `gk_<public id>_<secret>`. Only the SHA-256 of the secret is
stored; the whole token is returned once, when it is made. Tokens expire
(90 days unless told otherwise, at most a year), can be limited to some
projects and to reading, and are revoked at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.core.events.access import (
    Account,
    Revoked,
    Token,
    TokenCreated,
    TokenRevoked,
    UserCreated,
)
from gatekeeper.core.status import TokenScope
from gatekeeper.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import ApiToken, UserAccount
from gatekeeper.store.projects.tables import Project, ProjectMember

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365
_TOKEN = re.compile(r"^gk_([a-z0-9]{12})_([A-Za-z0-9_-]{20,100})$")
_LAST_USED_EVERY = timedelta(hours=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_user(
    ctx: Context, actor: Actor, *, email: str, name: str, is_admin: bool = False
) -> UserAccount:
    """Create an account (admins and the CLI); its project roles come from membership."""
    email = validation.email(email)
    name = validation.text(name, field="name", label="Namnet", max_length=200)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        if session.exec(select(UserAccount.id).where(UserAccount.email == email)).first():
            raise Conflict(f"Det finns redan ett konto för {email}.")
        user = UserAccount(email=email, name=name, is_admin=is_admin, created_at=now)
        session.add(user)
        session.flush()
        change.record(
            session,
            UserCreated(object_id=email, after=Account(email=email, name=name, is_admin=is_admin)),
            by=actor,
            at=now,
        )
        return user


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the secret shown this once."""

    token: ApiToken
    plaintext: str


def create_token(
    ctx: Context,
    actor: Actor,
    *,
    owner_email: str,
    name: str,
    scope: TokenScope = TokenScope.WRITE,
    projects: Sequence[str] = (),
    days: int = DEFAULT_TOKEN_DAYS,
) -> NewToken:
    """Make a token for `owner_email`, limited to `projects` (none: all theirs)."""
    name = validation.text(name, field="name", label="Tokenets namn", max_length=200)
    scope = TokenScope(scope)
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(f"Ett token gäller 1–{MAX_TOKEN_DAYS} dagar.", field="days")
    now = ctx.clock.now()
    public_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with ctx.db.write() as session:
        user = _user(session, owner_email)
        keys = sorted(set(projects))
        known = set(session.exec(select(Project.key).where(col(Project.key).in_(keys))).all())
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise ValidationFailed("Okända projekt: " + ", ".join(unknown) + ".", field="projects")
        assert user.id is not None
        token = ApiToken(
            public_id=public_id,
            secret_hash=_hash(secret),
            user_id=user.id,
            name=name,
            scope=scope,
            projects=keys,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        session.add(token)
        session.flush()
        change.record(
            session,
            TokenCreated(
                object_id=public_id,
                after=Token(
                    owner=user.email,
                    name=name,
                    scope=scope.value,
                    projects=keys,
                    expires_at=token.expires_at.isoformat(),
                ),
            ),
            by=actor,
            at=now,
        )
        return NewToken(token, f"gk_{public_id}_{secret}")


def _user(session: Session, email: str) -> UserAccount:
    user = session.exec(
        select(UserAccount).where(UserAccount.email == email.strip().lower())
    ).one_or_none()
    if user is None:
        raise NotFound(f"Det finns inget konto för {email}.")
    return user


def tokens_of(ctx: Context, email: str) -> list[ApiToken]:
    """A person's tokens, newest first (secrets are never returned)."""
    with ctx.db.read() as session:
        user = _user(session, email)
        return list(
            session.exec(
                select(ApiToken)
                .where(ApiToken.user_id == user.id)
                .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())
            ).all()
        )


def revoke_token(
    ctx: Context, actor: Actor, *, public_id: str, owner_only: str | None = None
) -> ApiToken:
    """Revoke a token at once. `owner_only`: the caller's e-mail when they are not an
    admin (they may revoke only their own tokens); None for admins and the CLI."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        token = session.exec(
            select(ApiToken).where(ApiToken.public_id == public_id).with_for_update()
        ).one_or_none()
        owner = session.get(UserAccount, token.user_id) if token else None
        if token is None or owner is None or (owner_only is not None and owner.email != owner_only):
            raise NotFound(f"Tokenet {public_id} finns inte.")
        if token.revoked_at is not None:
            raise Conflict(f"Tokenet {public_id} är redan återkallat.")
        token.revoked_at = now
        session.add(token)
        session.flush()
        change.record(
            session,
            TokenRevoked(object_id=public_id, before=Revoked(False), after=Revoked(True)),
            by=actor,
            at=now,
        )
        return token


def authenticate(ctx: Context, bearer: str) -> Principal:
    """The principal of a bearer token; `Unauthenticated` if it is not a live token."""
    match = _TOKEN.match(bearer.strip())
    if match is None:
        raise Unauthenticated("Ogiltigt API-token.")
    public_id, secret = match.groups()
    now = ctx.clock.now()
    with ctx.db.read() as session:
        row = session.exec(
            select(ApiToken, UserAccount).join(UserAccount).where(ApiToken.public_id == public_id)
        ).one_or_none()
    if row is None or not hmac.compare_digest(row[0].secret_hash, _hash(secret)):
        raise Unauthenticated("Ogiltigt API-token.")
    token, user = row
    if token.revoked_at is not None:
        raise Unauthenticated("API-tokenet är återkallat.")
    if token.expires_at <= now:
        raise Unauthenticated("API-tokenet har gått ut.")
    if user.disabled_at is not None:
        raise Unauthenticated("Kontot är avstängt.")
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_EVERY:
        _touch(ctx, token.id or 0)
    return Principal(
        email=user.email,
        name=user.name,
        is_admin=user.is_admin,
        can_write=token.scope is TokenScope.WRITE,
        token_id=token.public_id,
        projects=frozenset(token.projects) if token.projects else None,
    )


def _touch(ctx: Context, token_id: int) -> None:
    with ctx.db.write() as session:
        token = session.get(ApiToken, token_id)
        if token is not None:
            token.last_used_at = ctx.clock.now()
            session.add(token)


def is_member(ctx: Context, project_key: str, email: str) -> bool:
    """Whether the person holds any role (or is ersättare) in the project."""
    with ctx.db.read() as session:
        return (
            session.exec(
                select(ProjectMember.id)
                .join(Project)
                .where(Project.key == project_key, ProjectMember.email == email)
            ).first()
            is not None
        )
