"""One-time links to set a password: made, looked at, used once, renewed.

A link is `<public base URL>/password/<token>`: the token is 32 random bytes
shown only in the e-mail; the database keeps its SHA-256 (like web sessions
and API tokens: the secret is random, so a slow hash adds nothing). A link
works once and until it expires (an invitation after 7 days, a reset after
24 hours); making a new link for a person retires their earlier unused ones.
Setting the password through a link is recorded as `UserPasswordSet` and
ends the person's sessions everywhere.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from gatekeeper.channels.account_mail import AccountLetter
from gatekeeper.core.actor import Actor
from gatekeeper.core.status import AccountLinkPurpose
from gatekeeper.errors import Conflict
from gatekeeper.services.access.login import hash_password, store_password
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.store.access.tables import AccountLink, UserAccount

LIFETIME = {
    AccountLinkPurpose.INVITATION: timedelta(days=7),
    AccountLinkPurpose.RESET: timedelta(hours=24),
}
LINK_PATH = "/password/"
MAX_TOKEN_LENGTH = 100


class LinkState(StrEnum):
    """What a link is good for now."""

    VALID = "valid"
    USED = "used"  # used, or retired by a newer link
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class LinkView:
    """A link as its page shows it: whether it still works, and for whom."""

    state: LinkState
    purpose: AccountLinkPurpose | None = None
    email: str = ""
    name: str = ""


@dataclass(frozen=True)
class Letter:
    """A link just made, and the letter that carries it (sent after the commit)."""

    letter: AccountLetter
    expires_at: datetime
    token: str = field(repr=False)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    session: Session,
    *,
    user: UserAccount,
    purpose: AccountLinkPurpose,
    now: datetime,
    base_url: str,
    project_key: str | None = None,
    project_name: str = "",
    inviter_name: str = "",
) -> Letter:
    """Make a link for `user` (retiring their unused ones) in the caller's transaction."""
    assert user.id is not None
    for earlier in session.exec(
        select(AccountLink).where(
            AccountLink.user_id == user.id, col(AccountLink.used_at).is_(None)
        )
    ).all():
        earlier.used_at = now
        session.add(earlier)
    token = secrets.token_urlsafe(32)
    expires_at = now + LIFETIME[purpose]
    session.add(
        AccountLink(
            token_hash=digest(token),
            user_id=user.id,
            purpose=purpose,
            project_key=project_key,
            created_at=now,
            expires_at=expires_at,
        )
    )
    letter = AccountLetter(
        kind=purpose.value,  # the two words are the kinds
        recipient_email=user.email,
        recipient_name=user.name,
        url=base_url.rstrip("/") + LINK_PATH + token,
        expires_on=expires_at.astimezone(LOCAL_ZONE).date().isoformat(),
        project_name=project_name,
        inviter_name=inviter_name,
    )
    return Letter(letter, expires_at, token)


def _state(link: AccountLink | None, now: datetime) -> LinkState:
    if link is None:
        return LinkState.UNKNOWN
    if link.used_at is not None:
        return LinkState.USED
    if link.expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.VALID


def _find(session: Session, token: str, *, lock: bool = False) -> AccountLink | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    query = select(AccountLink).where(AccountLink.token_hash == digest(token))
    if lock:
        query = query.with_for_update()
    return session.exec(query).one_or_none()


def look_up(ctx: Context, token: str) -> LinkView:
    """What the link of `token` is good for (its person only while it still works)."""
    now = ctx.clock.now()
    with ctx.db.read() as session:
        link = _find(session, token)
        state = _state(link, now)
        if link is None or state is not LinkState.VALID:
            return LinkView(state, link.purpose if link else None)
        user = session.get(UserAccount, link.user_id)
        assert user is not None
        return LinkView(state, link.purpose, user.email, user.name)


def _refusal(state: LinkState) -> str:
    if state is LinkState.EXPIRED:
        return "Länken har gått ut. Be om en ny länk."
    if state is LinkState.USED:
        return "Länken är redan använd. Be om en ny länk."
    return "Länken finns inte. Be om en ny länk."


def set_password_with(ctx: Context, token: str, password: str) -> str:
    """Use a link: set the person's password, end their sessions; their e-mail.

    `ValidationFailed` (field `password`) for a password that may not be set;
    `Conflict` when the link is used, retired, expired or unknown — it never
    works twice, also when two tabs post at once (the link row is locked).
    """
    hashed = hash_password(ctx, password)  # slow: before the transaction
    now = ctx.clock.now()
    with ctx.db.write() as session:
        link = _find(session, token, lock=True)
        state = _state(link, now)
        if link is None or state is not LinkState.VALID:
            raise Conflict(_refusal(state))
        user = session.get(UserAccount, link.user_id)
        assert user is not None
        if user.disabled_at is not None:
            raise Conflict(_refusal(LinkState.UNKNOWN))
        link.used_at = now
        session.add(link)
        store_password(session, Actor.user(user.email, user.name), user, hashed, now)
        return user.email
