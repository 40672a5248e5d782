"""Tables of who may call gatekeeper: user accounts, web sessions, one-time password links,
API tokens, idempotency keys.

Tokens, web sessions and password links are stored as a SHA-256 hash of their secret (the
secret is high-entropy and random, so a slow password hash adds nothing);
the full token is shown once, when it is created. Passwords are argon2 hashes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.core.status import AccountLinkPurpose, TokenScope
from gatekeeper.store.types import TextEnum, UTCDateTime


class UserAccount(SQLModel, table=True):
    """A person who signs in or owns API tokens; project roles come from membership."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(max_length=200)
    is_admin: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    password_hash: str | None = Field(default=None, max_length=255, nullable=True)
    failed_logins: int = 0  # failures in a row since the last success or lock
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    language: str | None = Field(default=None, max_length=8, nullable=True)  # "sv" or "en"
    # Reminders: the person's time zone (None: Europe/Stockholm) and whether
    # e-mail comes as one daily digest instead of one mail per reminder.
    time_zone: str | None = Field(default=None, max_length=64, nullable=True)
    email_digest: bool = False
    # Set while one digest sender holds today's digest of this person (a lease):
    # another process leaves the person alone until it runs out.
    digest_claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds the secret, the row its SHA-256 hash."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime, index=True)


class AccountLink(SQLModel, table=True):
    """A one-time link to set a password (an invitation or a reset): the SHA-256 of its
    token, who it is for, when it stops working, and when it was used."""

    __tablename__ = "account_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    purpose: AccountLinkPurpose = Field(sa_type=TextEnum(AccountLinkPurpose))
    project_key: str | None = Field(default=None, max_length=100, nullable=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class ApiToken(SQLModel, table=True):
    """A bearer token: a user's, scoped to some projects and a scope, expiring."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=32, unique=True)
    secret_hash: str = Field(max_length=64)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=200)
    scope: TokenScope = Field(sa_type=TextEnum(TokenScope))
    projects: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class IdempotencyRecord(SQLModel, table=True):
    """The first response to a POST with an Idempotency-Key, replayed for 24 hours."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    principal: str = Field(max_length=100)
    key: str = Field(max_length=200)
    method: str = Field(max_length=10)
    path: str = Field(max_length=500)
    body_hash: str = Field(max_length=64)
    status_code: int = 0  # 0 while the first request is still being answered
    response_body: str = Field(default="", sa_column=Column(Text, nullable=False))
    response_headers: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
