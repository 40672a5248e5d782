"""Web sign-in: passwords, lockout, and the server-side sessions of signed-in browsers.

Passwords are argon2id hashes (argon2-cffi's defaults, RFC 9106); a hash made
with weaker parameters is upgraded at the next successful sign-in. Five failed
sign-ins in a row lock an account for 15 minutes. Whatever was wrong (unknown
e-mail, wrong password, locked or disabled account), the caller learns only
that the sign-in failed, and an unknown e-mail costs the same hashing time as a
known one, so neither words nor timing tell which accounts exist. Every attempt
is audited; a password never is, nor logged.

A session is a random secret held by the browser (in a signed cookie) and
stored here only as its SHA-256. It ends on sign-out, when its owner's password
is set, when the account is disabled, and after a time without requests.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import argon2.profiles
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlmodel import Session, col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.core.events.access import (
    HasPassword,
    Language,
    Lock,
    LoginFailure,
    UserLanguageSet,
    UserLocked,
    UserLoggedIn,
    UserLoginFailed,
    UserPasswordSet,
)
from gatekeeper.errors import NotFound, Unauthenticated, ValidationFailed
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import UserAccount, WebSession

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing cost must not be the caller's to choose
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
DEFAULT_IDLE = timedelta(hours=8)
LANGUAGES = ("sv", "en", "da")
_TOUCH_EVERY = timedelta(minutes=1)  # idle time is measured to the minute, not per request
_LOGIN_ACTOR = Actor.system("login")
LOGIN_REFUSED = "Fel e-postadress eller lösenord."


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: who, and the session secret for the cookie (shown once)."""

    principal: Principal
    session_token: str
    language: str | None


@dataclass(frozen=True)
class ActiveSession:
    """A live session found from its cookie secret."""

    principal: Principal
    language: str | None


@functools.cache
def hasher_of_profile(profile: str) -> PasswordHasher:
    """The argon2id hasher of one of argon2's parameter profiles, by name (the setting
    `password_hash_profile`); one per profile, so its dummy hash is made once."""
    return PasswordHasher.from_parameters(getattr(argon2.profiles, profile))


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to verify against when there is no account, so that it takes as long."""
    return hasher.hash(secrets.token_urlsafe(16))


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _session_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _principal(user: UserAccount) -> Principal:
    """A person signed in to the web UI: may act as themselves, on every project they see."""
    return Principal(email=user.email, name=user.name, is_admin=user.is_admin, can_write=True)


def _account(session: Session, email: str, *, lock: bool = False) -> UserAccount | None:
    query = select(UserAccount).where(UserAccount.email == email)
    if lock:
        query = query.with_for_update()
    return session.exec(query).one_or_none()


def check_password(password: str) -> str:
    """`password` if it is long enough to be set; `ValidationFailed` saying why not."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Lösenordet ska vara minst {MIN_PASSWORD_LENGTH} tecken.", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Lösenordet får vara högst {MAX_PASSWORD_LENGTH} tecken.", field="password"
        )
    return password


def set_password(ctx: Context, actor: Actor, *, email: str, password: str) -> None:
    """Set (or replace) a person's web password; ends their sessions and any lock."""
    set_passwords(ctx, actor, emails=[email], password=password)


def set_passwords(
    ctx: Context, actor: Actor, *, emails: Sequence[str], password: str, only_unset: bool = False
) -> int:
    """Give accounts one password (the demo's), hashed once; how many were set.

    `only_unset`: leave accounts that already have a password alone.
    """
    hashed = hash_password(ctx, password)  # slow: before the transaction, not inside it
    now = ctx.clock.now()
    changed = 0
    with ctx.db.write() as session:
        for email in emails:
            user = _account(session, email.strip().lower(), lock=True)
            if user is None:
                raise NotFound(f"Det finns inget konto för {email}.")
            if only_unset and user.password_hash is not None:
                continue
            store_password(session, actor, user, hashed, now)
            changed += 1
    return changed


def hash_password(ctx: Context, password: str) -> str:
    """The argon2id hash of a password that may be set (`ValidationFailed` if it may not)."""
    return ctx.password_hasher.hash(check_password(password))


def store_password(
    session: Session, actor: Actor, user: UserAccount, hashed: str, now: datetime
) -> None:
    """Give `user` the password `hashed`; ends their sessions and any lock (in the caller's
    transaction)."""
    had_password = user.password_hash is not None
    user.password_hash = hashed
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    session.execute(delete(WebSession).where(col(WebSession.user_id) == user.id))
    change.record(
        session,
        UserPasswordSet(
            object_id=user.email, before=HasPassword(had_password), after=HasPassword(True)
        ),
        by=actor,
        at=now,
    )


def _refusal(user: UserAccount | None, now: datetime) -> str | None:
    """Why this account may not sign in whatever the password (None: it may)."""
    if user is None:
        return "unknown_account"
    if user.disabled_at is not None:
        return "disabled"
    if user.password_hash is None:
        return "no_password"
    if user.locked_until is not None and user.locked_until > now:
        return "locked"
    return None


def log_in(ctx: Context, email: str, password: str, *, idle: timedelta = DEFAULT_IDLE) -> SignedIn:
    """Check e-mail and password and open a session; `Unauthenticated` if refused.

    The refusal says nothing about which part was wrong (`LOGIN_REFUSED`).
    """
    address = email.strip().lower()[:320]
    with ctx.db.read() as session:
        known = _account(session, address)
    stored = known.password_hash if known is not None else None
    # Always one argon2 verification, whether or not there is an account to check.
    hasher = ctx.password_hasher
    matched = _verify(hasher, stored or _dummy_hash(hasher), password[:MAX_PASSWORD_LENGTH])
    rehashed = (
        hasher.hash(password) if matched and stored and hasher.check_needs_rehash(stored) else None
    )
    now = ctx.clock.now()
    token = secrets.token_urlsafe(32)
    with ctx.db.write() as session:
        user = _account(session, address, lock=True) if known is not None else None
        reason = _refusal(user, now) or (None if matched else "wrong_password")
        if user is not None and reason is None:
            return _open_session(session, user, token, now, idle, rehashed)
        _record_failure(session, user, address, reason or "wrong_password", now)
    raise Unauthenticated(LOGIN_REFUSED)


def _open_session(
    session: Session,
    user: UserAccount,
    token: str,
    now: datetime,
    idle: timedelta,
    rehashed: str | None,
) -> SignedIn:
    assert user.id is not None
    user.failed_logins = 0
    user.locked_until = None
    if rehashed is not None:
        user.password_hash = rehashed
    session.add(user)
    # Sessions idle past their time are dead already; clear them out while here.
    session.execute(delete(WebSession).where(col(WebSession.last_seen_at) < now - idle))
    session.add(
        WebSession(
            token_hash=_session_hash(token), user_id=user.id, created_at=now, last_seen_at=now
        )
    )
    change.record(
        session,
        UserLoggedIn(object_id=user.email),
        by=Actor.user(user.email, user.name),
        at=now,
    )
    return SignedIn(_principal(user), token, user.language)


def _record_failure(
    session: Session, user: UserAccount | None, address: str, reason: str, now: datetime
) -> None:
    change.record(
        session,
        UserLoginFailed(
            object_id=address[:200] or "-",  # the audit column holds 200
            after=LoginFailure(reason),
        ),
        by=_LOGIN_ACTOR,
        at=now,
    )
    if user is None or reason != "wrong_password":
        return  # a lock is not extended by tries during it
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.failed_logins = 0
        user.locked_until = now + LOCKOUT
        change.record(
            session,
            UserLocked(
                object_id=user.email,
                after=Lock(locked_until=user.locked_until.isoformat(), failures=MAX_FAILURES),
            ),
            by=_LOGIN_ACTOR,
            at=now,
        )
    session.add(user)


def resume_session(
    ctx: Context, token: str, *, idle: timedelta = DEFAULT_IDLE
) -> ActiveSession | None:
    """The session a cookie names, if it is still live (None: ended, idle too long, unknown)."""
    digest = _session_hash(token)
    now = ctx.clock.now()
    with ctx.db.read() as session:
        row = session.exec(
            select(WebSession, UserAccount).join(UserAccount).where(WebSession.token_hash == digest)
        ).one_or_none()
    if row is None:
        return None
    web_session, user = row
    if user.disabled_at is not None or now - web_session.last_seen_at > idle:
        _end(ctx, digest)
        return None
    if now - web_session.last_seen_at >= _TOUCH_EVERY:
        with ctx.db.write() as session:
            fresh = session.get(WebSession, web_session.id)
            if fresh is not None:
                fresh.last_seen_at = now
                session.add(fresh)
    return ActiveSession(_principal(user), user.language)


def _end(ctx: Context, digest: str) -> None:
    with ctx.db.write() as session:
        session.execute(delete(WebSession).where(col(WebSession.token_hash) == digest))


def log_out(ctx: Context, token: str) -> None:
    """End the session a cookie names (nothing happens if it is already over)."""
    _end(ctx, _session_hash(token))


def set_language(ctx: Context, actor: Actor, *, email: str, language: str) -> None:
    """Remember a person's choice of UI language (`sv`, `en` or `da`)."""
    if language not in LANGUAGES:
        raise ValidationFailed("Språket ska vara sv, en eller da.", field="language")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        user = _account(session, email.strip().lower(), lock=True)
        if user is None:
            raise NotFound(f"Det finns inget konto för {email}.")
        if user.language == language:
            return
        before = user.language
        user.language = language
        session.add(user)
        change.record(
            session,
            UserLanguageSet(
                object_id=user.email, before=Language(before), after=Language(language)
            ),
            by=actor,
            at=now,
        )
