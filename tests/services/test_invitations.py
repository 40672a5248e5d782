"""Invitations and password resets: one-time links, hashed at rest, expiring, never enumerating.

Letters are caught by a recorder (the SMTP path is tested with aiosmtpd in
tests/web/test_members_api.py); time moves with the fixed clock.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from gatekeeper.channels.account_mail import AccountLetter
from gatekeeper.channels.base import DeliveryFailed
from gatekeeper.core.access import Principal
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.events import EventName
from gatekeeper.errors import Conflict, PermissionDenied, ValidationFailed
from gatekeeper.services import onboarding
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import account_link, invitation
from gatekeeper.services.access import login as logins
from gatekeeper.services.access.account_link import LinkState
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import AccountLink, UserAccount, WebSession
from gatekeeper.store.audit.tables import AuditEvent
from tests.factories import ADMIN, start_ibic

KEY = "ibic-alingsas"
BASE = "https://gatekeeper.alingsas.se"
LEADER = Principal("anita.lindqvist@alingsas.se", "Anita Lindqvist", is_admin=False, can_write=True)
STYRGRUPP = Principal("lars.carlsson@alingsas.se", "Lars Carlsson", is_admin=False, can_write=True)
NEW = "karin.wallin@alingsas.se"
PASSWORD = "Vintern kommer i Alingsås 2027"


class Letters:
    """Records the letters it is given (or refuses them, like a mail server that is down)."""

    def __init__(self) -> None:
        self.sent: list[AccountLetter] = []
        self.down = False

    def send_account_letter(self, letter: AccountLetter) -> None:
        if self.down:
            raise DeliveryFailed("SMTPConnectError: 421 try later")
        self.sent.append(letter)

    def token(self, index: int = -1) -> str:
        return self.sent[index].url.rsplit("/", 1)[1]


@pytest.fixture
def letters() -> Letters:
    return Letters()


def invite(ctx: Context, letters: Letters, email: str = NEW, role: str = "ombud") -> None:
    onboarding.add_member(
        ctx,
        LEADER,
        project_key=KEY,
        name="Karin Wallin",
        email=email,
        role=role,
        letters=letters,
        base_url=BASE,
    )


def actions(ctx: Context) -> list[str]:
    with ctx.db.read() as session:
        return list(session.exec(select(AuditEvent.action).order_by(AuditEvent.seq)).all())


def test_the_projektledare_invites_a_new_person_who_gets_an_account_and_a_link(
    ctx: Context, letters: Letters
) -> None:
    start_ibic(ctx)
    invite(ctx, letters)

    (letter,) = letters.sent
    assert letter.kind == "invitation"
    assert letter.recipient_name == "Karin Wallin"
    assert letter.project_name == "Införande av IBIC"
    assert letter.url.startswith(BASE + "/password/")
    with ctx.db.read() as session:
        user = session.exec(select(UserAccount).where(UserAccount.email == NEW)).one()
        assert user.password_hash is None
    assert actions(ctx)[-3:] == [
        EventName.MEMBER_ADDED.value,
        EventName.USER_CREATED.value,
        EventName.USER_INVITED.value,
    ]


def test_only_the_hash_of_the_token_is_stored_and_the_audit_log_never_holds_it(
    ctx: Context, letters: Letters
) -> None:
    start_ibic(ctx)
    invite(ctx, letters)
    token = letters.token()

    with ctx.db.read() as session:
        (link,) = session.exec(select(AccountLink)).all()
        payloads = [str(e.after) + str(e.before) for e in session.exec(select(AuditEvent)).all()]
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in link.token_hash
    assert not any(token in payload for payload in payloads)


def test_a_link_sets_the_password_once_and_then_says_it_is_used(
    ctx: Context, letters: Letters
) -> None:
    start_ibic(ctx)
    invite(ctx, letters)
    token = letters.token()

    assert account_link.look_up(ctx, token).state is LinkState.VALID
    assert account_link.set_password_with(ctx, token, PASSWORD) == NEW
    assert logins.log_in(ctx, NEW, PASSWORD).principal.email == NEW

    assert account_link.look_up(ctx, token).state is LinkState.USED
    with pytest.raises(Conflict, match="redan använd"):
        account_link.set_password_with(ctx, token, "Ett annat lösenord 2027")


def test_a_link_expires_after_seven_days(ctx: Context, clock: FixedClock, letters: Letters) -> None:
    start_ibic(ctx)
    invite(ctx, letters)
    clock.advance(timedelta(days=7, seconds=1))

    assert account_link.look_up(ctx, letters.token()).state is LinkState.EXPIRED
    with pytest.raises(Conflict, match="gått ut"):
        account_link.set_password_with(ctx, letters.token(), PASSWORD)


def test_an_expired_invitation_is_renewed_and_the_new_link_works(
    ctx: Context, clock: FixedClock, letters: Letters
) -> None:
    start_ibic(ctx)
    invite(ctx, letters)
    old = letters.token()
    clock.advance(timedelta(days=8))

    invitation.renew(ctx, token=old, letters=letters, base_url=BASE)

    assert [letter.kind for letter in letters.sent] == ["invitation", "invitation"]
    assert account_link.set_password_with(ctx, letters.token(), PASSWORD) == NEW


def test_a_short_password_is_refused_naming_the_field_and_the_link_still_works(
    ctx: Context, letters: Letters
) -> None:
    start_ibic(ctx)
    invite(ctx, letters)

    with pytest.raises(ValidationFailed) as refused:
        account_link.set_password_with(ctx, letters.token(), "kort")

    assert refused.value.field == "password"
    assert account_link.look_up(ctx, letters.token()).state is LinkState.VALID


def test_a_person_who_can_already_sign_in_is_linked_not_invited(
    ctx: Context, letters: Letters
) -> None:
    start_ibic(ctx)
    accounts.create_user(ctx, ADMIN, email=NEW, name="Karin Wallin")
    logins.set_password(ctx, ADMIN, email=NEW, password=PASSWORD)

    done = onboarding.add_member(
        ctx,
        LEADER,
        project_key=KEY,
        name="Karin Wallin",
        email=NEW,
        role="ombud",
        letters=letters,
        base_url=BASE,
    )

    assert (done.new_account, done.invited, done.invitation_sent) == (False, False, False)
    assert letters.sent == []


def test_a_mail_server_that_is_down_does_not_undo_the_membership(
    ctx: Context, letters: Letters
) -> None:
    start_ibic(ctx)
    letters.down = True

    done = onboarding.add_member(
        ctx,
        LEADER,
        project_key=KEY,
        name="Karin Wallin",
        email=NEW,
        role="ombud",
        letters=letters,
        base_url=BASE,
    )

    assert (done.new_account, done.invited, done.invitation_sent) == (True, True, False)


def test_a_styrgrupp_member_may_not_add_members(ctx: Context, letters: Letters) -> None:
    start_ibic(ctx)
    before = actions(ctx)

    with pytest.raises(PermissionDenied):
        onboarding.add_member(
            ctx,
            STYRGRUPP,
            project_key=KEY,
            name="Karin Wallin",
            email=NEW,
            role="ombud",
            letters=letters,
            base_url=BASE,
        )

    assert actions(ctx) == [*before, "change.refused"]  # the refusal, audited; nothing else
    assert letters.sent == []


def test_a_reset_is_sent_to_an_account_and_answers_the_same_for_an_unknown_address(
    ctx: Context, letters: Letters
) -> None:
    accounts.create_user(ctx, ADMIN, email=NEW, name="Karin Wallin")
    logins.set_password(ctx, ADMIN, email=NEW, password=PASSWORD)
    before = actions(ctx)

    assert (
        invitation.request_reset(ctx, email="ingen@alingsas.se", letters=letters, base_url=BASE)
        is None
    )
    assert (
        invitation.request_reset(ctx, email="inte en adress", letters=letters, base_url=BASE)
        is None
    )
    assert letters.sent == [] and actions(ctx) == before

    invitation.request_reset(ctx, email=NEW.upper(), letters=letters, base_url=BASE)
    (letter,) = letters.sent
    assert letter.kind == "reset"
    assert actions(ctx)[-1] == EventName.USER_PASSWORD_RESET_REQUESTED.value


def test_a_reset_ends_the_persons_sessions_and_expires_after_a_day(
    ctx: Context, clock: FixedClock, letters: Letters
) -> None:
    accounts.create_user(ctx, ADMIN, email=NEW, name="Karin Wallin")
    logins.set_password(ctx, ADMIN, email=NEW, password=PASSWORD)
    logins.log_in(ctx, NEW, PASSWORD)
    invitation.request_reset(ctx, email=NEW, letters=letters, base_url=BASE)
    invitation.request_reset(ctx, email=NEW, letters=letters, base_url=BASE)
    first, second = letters.token(0), letters.token(1)

    assert account_link.look_up(ctx, first).state is LinkState.USED  # retired by the newer
    account_link.set_password_with(ctx, second, "Ett nytt lösenord för 2027")

    with ctx.db.read() as session:
        assert session.exec(select(WebSession)).all() == []
    invitation.request_reset(ctx, email=NEW, letters=letters, base_url=BASE)
    clock.advance(timedelta(hours=24, seconds=1))
    assert account_link.look_up(ctx, letters.token()).state is LinkState.EXPIRED
