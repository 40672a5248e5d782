"""Events of access: user accounts, web sign-ins and API tokens (never a secret)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gatekeeper.core.events.base import Event
from gatekeeper.core.events.names import EventName


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    is_admin: bool


@dataclass(frozen=True, kw_only=True)
class UserCreated(Event):
    """`object.id` is the e-mail."""

    name = EventName.USER_CREATED
    object_type = "user"
    before: None = None
    after: Account


@dataclass(frozen=True)
class HasPassword:
    password: bool  # whether a password is set (never the password)


@dataclass(frozen=True, kw_only=True)
class UserPasswordSet(Event):
    name = EventName.USER_PASSWORD_SET
    object_type = "user"
    before: HasPassword
    after: HasPassword


@dataclass(frozen=True, kw_only=True)
class UserLoggedIn(Event):
    name = EventName.USER_LOGGED_IN
    object_type = "user"
    before: None = None
    after: None = None


@dataclass(frozen=True)
class LoginFailure:
    reason: str


@dataclass(frozen=True, kw_only=True)
class UserLoginFailed(Event):
    """`object.id` is the address given (at most 200 characters)."""

    name = EventName.USER_LOGIN_FAILED
    object_type = "user"
    before: None = None
    after: LoginFailure


@dataclass(frozen=True)
class Lock:
    locked_until: str  # ISO instant
    failures: int


@dataclass(frozen=True, kw_only=True)
class UserLocked(Event):
    name = EventName.USER_LOCKED
    object_type = "user"
    before: None = None
    after: Lock


@dataclass(frozen=True)
class Language:
    language: str | None  # sv, en or da


@dataclass(frozen=True, kw_only=True)
class UserLanguageSet(Event):
    name = EventName.USER_LANGUAGE_SET
    object_type = "user"
    before: Language
    after: Language


@dataclass(frozen=True)
class Invitation:
    project: str | None  # key of the project the person was invited to (None: no project)
    new_account: bool  # whether the account was made for the invitation
    expires_at: str  # ISO instant the link stops working


@dataclass(frozen=True, kw_only=True)
class UserInvited(Event):
    """`object.id` is the e-mail; the link and its token are never in the event."""

    name = EventName.USER_INVITED
    object_type = "user"
    before: None = None
    after: Invitation


@dataclass(frozen=True)
class ResetLink:
    expires_at: str  # ISO instant the link stops working


@dataclass(frozen=True, kw_only=True)
class UserPasswordResetRequested(Event):
    """`object.id` is the e-mail of an existing account (unknown addresses are not recorded)."""

    name = EventName.USER_PASSWORD_RESET_REQUESTED
    object_type = "user"
    before: None = None
    after: ResetLink


@dataclass(frozen=True)
class Token:
    owner: str  # e-mail
    name: str
    scope: str  # read, write, admin
    projects: Sequence[str] | None  # keys of the projects it is limited to; None: all
    expires_at: str  # ISO instant


@dataclass(frozen=True, kw_only=True)
class TokenCreated(Event):
    """`object.id` is the token's public id."""

    name = EventName.TOKEN_CREATED
    object_type = "api_token"
    before: None = None
    after: Token


@dataclass(frozen=True)
class Revoked:
    revoked: bool


@dataclass(frozen=True, kw_only=True)
class TokenRevoked(Event):
    name = EventName.TOKEN_REVOKED
    object_type = "api_token"
    before: Revoked
    after: Revoked


EVENTS: tuple[type[Event], ...] = (
    UserCreated,
    UserPasswordSet,
    UserLoggedIn,
    UserLoginFailed,
    UserLocked,
    UserLanguageSet,
    UserInvited,
    UserPasswordResetRequested,
    TokenCreated,
    TokenRevoked,
)
