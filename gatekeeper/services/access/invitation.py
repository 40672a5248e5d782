"""Invitations and password resets: who gets a link, and the letter that carries it.

`invite_in` runs inside the caller's transaction (adding a project member,
`services/onboarding`): it makes the account when there is none, and a
one-time link when the person has no password yet (someone who can already
sign in just gets the role). `request_reset` answers the login page's "Glömt
lösenordet?" the same way whether or not the address has an account (nothing
tells which accounts exist); `renew` sends a fresh link for an expired or used
one. Letters go out after the commit (`deliver`): a failed e-mail never undoes
the membership, it is reported so the link can be sent again. The audit log
gets `UserCreated`, `UserInvited` and `UserPasswordResetRequested`, never a
token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from gatekeeper.channels.account_mail import LetterBox
from gatekeeper.channels.base import DeliveryFailed
from gatekeeper.core.actor import Actor
from gatekeeper.core.events.access import (
    Account,
    Invitation,
    ResetLink,
    UserCreated,
    UserInvited,
    UserPasswordResetRequested,
)
from gatekeeper.core.status import AccountLinkPurpose
from gatekeeper.errors import ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.access import account_link
from gatekeeper.services.access.account_link import Letter
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import AccountLink, UserAccount

_RESET_ACTOR = Actor.system("password-reset")


@dataclass(frozen=True)
class Invited:
    """What inviting a person did: whether the account is new, and the letter to send."""

    new_account: bool
    letter: Letter | None  # None: the person can already sign in


def _account(session: Session, email: str, *, lock: bool = False) -> UserAccount | None:
    query = select(UserAccount).where(UserAccount.email == email)
    if lock:
        query = query.with_for_update()
    return session.exec(query).one_or_none()


def invite_in(
    session: Session,
    actor: Actor,
    *,
    email: str,
    name: str,
    base_url: str,
    project_key: str,
    project_name: str,
    now: datetime,
) -> Invited:
    """Make or link the account of a new member, and a link if they have no password."""
    user = _account(session, email, lock=True)
    new_account = user is None
    if user is None:
        user = UserAccount(email=email, name=name, created_at=now)
        session.add(user)
        session.flush()
        change.record(
            session,
            UserCreated(object_id=email, after=Account(email=email, name=name, is_admin=False)),
            by=actor,
            at=now,
        )
    if user.password_hash is not None or user.disabled_at is not None:
        return Invited(new_account, None)
    letter = account_link.issue(
        session,
        user=user,
        purpose=AccountLinkPurpose.INVITATION,
        now=now,
        base_url=base_url,
        project_key=project_key,
        project_name=project_name,
        inviter_name=actor.name,
    )
    change.record(
        session,
        UserInvited(
            object_id=email,
            after=Invitation(
                project=project_key,
                new_account=new_account,
                expires_at=letter.expires_at.isoformat(),
            ),
        ),
        by=actor,
        at=now,
    )
    return Invited(new_account, letter)


def deliver(letters: LetterBox | None, letter: Letter | None) -> bool:
    """Send a letter made in a committed transaction; whether it left gatekeeper."""
    if letter is None or letters is None:
        return False
    try:
        letters.send_account_letter(letter.letter)
    except DeliveryFailed:
        return False
    return True


def request_reset(ctx: Context, *, email: str, letters: LetterBox | None, base_url: str) -> None:
    """Send a reset link to `email` if it has a live account; the same answer either way."""
    try:
        address = validation.email(email)
    except ValidationFailed:  # a malformed address has no account either; answer as for any other
        return
    now = ctx.clock.now()
    with ctx.db.write() as session:
        user = _account(session, address, lock=True)
        if user is None or user.disabled_at is not None:
            return
        letter = _reset_letter(session, user, now=now, base_url=base_url)
    deliver(letters, letter)


def _reset_letter(session: Session, user: UserAccount, *, now: datetime, base_url: str) -> Letter:
    letter = account_link.issue(
        session, user=user, purpose=AccountLinkPurpose.RESET, now=now, base_url=base_url
    )
    change.record(
        session,
        UserPasswordResetRequested(
            object_id=user.email, after=ResetLink(expires_at=letter.expires_at.isoformat())
        ),
        by=_RESET_ACTOR,
        at=now,
    )
    return letter


def renew(ctx: Context, *, token: str, letters: LetterBox | None, base_url: str) -> None:
    """Send a new link in place of an expired or used one, to the address it was for.

    An invitation whose person has still not set a password is sent again as an
    invitation; otherwise a reset link goes out. An unknown token sends nothing
    (and answers the same).
    """
    now = ctx.clock.now()
    with ctx.db.write() as session:
        link = session.exec(
            select(AccountLink).where(AccountLink.token_hash == account_link.digest(token))
        ).one_or_none()
        user = session.get(UserAccount, link.user_id) if link is not None else None
        if link is None or user is None or user.disabled_at is not None:
            return
        if link.purpose is AccountLinkPurpose.INVITATION and user.password_hash is None:
            letter = account_link.issue(
                session,
                user=user,
                purpose=AccountLinkPurpose.INVITATION,
                now=now,
                base_url=base_url,
                project_key=link.project_key,
            )
            change.record(
                session,
                UserInvited(
                    object_id=user.email,
                    after=Invitation(
                        project=link.project_key,
                        new_account=False,
                        expires_at=letter.expires_at.isoformat(),
                    ),
                ),
                by=_RESET_ACTOR,
                at=now,
            )
        else:
            letter = _reset_letter(session, user, now=now, base_url=base_url)
    deliver(letters, letter)
