"""Web sign-in: passwords, lockout after five failures, sessions and their idle time."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pydantic
import pytest
from sqlmodel import col, select

from gatekeeper.config import Settings
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.events import EventName
from gatekeeper.errors import NotFound, Unauthenticated, ValidationFailed
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import UserAccount, WebSession
from gatekeeper.store.audit.tables import AuditEvent
from tests.factories import ADMIN

EMAIL = "anita.lindqvist@alingsas.se"
PASSWORD = "Kritisk linje 2027!"


@pytest.fixture
def anita(ctx: Context) -> str:
    accounts.create_user(ctx, ADMIN, email=EMAIL, name="Anita Lindqvist")
    logins.set_password(ctx, ADMIN, email=EMAIL, password=PASSWORD)
    return EMAIL


def _events(ctx: Context, action: str) -> list[AuditEvent]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.seq))
            ).all()
        )


def _account(ctx: Context, email: str = EMAIL) -> UserAccount:
    with ctx.db.read() as session:
        return session.exec(select(UserAccount).where(UserAccount.email == email)).one()


def test_password_is_stored_as_argon2_and_never_audited(ctx: Context, anita: str) -> None:
    account = _account(ctx)
    assert account.password_hash is not None and account.password_hash.startswith("$argon2id$")
    (event,) = _events(ctx, EventName.USER_PASSWORD_SET)
    assert event.object_id == EMAIL and event.after == {"password": True}
    with ctx.db.read() as session:
        everything = session.exec(select(AuditEvent)).all()
    assert all(PASSWORD not in str(e.before) + str(e.after) for e in everything)


@pytest.mark.parametrize("password", ["", "kort", "elva tecken"])
def test_a_password_under_twelve_characters_is_refused(
    ctx: Context, anita: str, password: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        logins.set_password(ctx, ADMIN, email=EMAIL, password=password)
    assert refused.value.field == "password" and "minst 12 tecken" in refused.value.message


def test_setting_a_password_on_an_unknown_account_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFound):
        logins.set_password(ctx, ADMIN, email="ingen@alingsas.se", password=PASSWORD)


def test_log_in_gives_a_writing_principal_without_token_and_audits(
    ctx: Context, anita: str
) -> None:
    signed_in = logins.log_in(ctx, " Anita.Lindqvist@Alingsas.se ", PASSWORD)

    principal = signed_in.principal
    assert (principal.email, principal.name) == (EMAIL, "Anita Lindqvist")
    assert principal.can_write and principal.token_id is None and principal.projects is None
    assert len(signed_in.session_token) >= 40
    (event,) = _events(ctx, EventName.USER_LOGGED_IN)
    assert event.actor == f"user:{EMAIL}" and event.object_id == EMAIL
    with ctx.db.read() as session:
        (row,) = session.exec(select(WebSession)).all()
    assert row.token_hash != signed_in.session_token  # only the hash is stored


@pytest.mark.parametrize(
    ("email", "reason"),
    [(EMAIL, "wrong_password"), ("okand@alingsas.se", "unknown_account")],
)
def test_wrong_password_and_unknown_email_fail_alike(
    ctx: Context, anita: str, email: str, reason: str
) -> None:
    with pytest.raises(Unauthenticated) as refused:
        logins.log_in(ctx, email, "Fel lösenord helt och hållet")

    assert refused.value.message == logins.LOGIN_REFUSED
    (event,) = _events(ctx, EventName.USER_LOGIN_FAILED)
    assert event.object_id == email and event.after == {"reason": reason}


def test_an_unknown_email_costs_one_password_check_too(
    ctx: Context, anita: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = logins._verify
    monkeypatch.setattr(
        logins,
        "_verify",
        lambda hasher, stored, given: checked.append(stored) or real(hasher, stored, given),
    )
    for email in (EMAIL, "okand@alingsas.se"):
        with pytest.raises(Unauthenticated):
            logins.log_in(ctx, email, "Fel lösenord helt och hållet")

    assert len(checked) == 2 and all(h.startswith("$argon2id$") for h in checked)


def test_five_failures_lock_the_account_for_fifteen_minutes(
    ctx: Context, anita: str, clock: FixedClock
) -> None:
    for _ in range(logins.MAX_FAILURES):
        with pytest.raises(Unauthenticated):
            logins.log_in(ctx, EMAIL, "Fel lösenord helt och hållet")
    (locked,) = _events(ctx, EventName.USER_LOCKED)
    assert locked.object_id == EMAIL

    with pytest.raises(Unauthenticated) as refused:
        logins.log_in(ctx, EMAIL, PASSWORD)  # the right password, during the lock
    assert refused.value.message == logins.LOGIN_REFUSED  # says nothing of the lock
    assert _events(ctx, EventName.USER_LOGIN_FAILED)[-1].after == {"reason": "locked"}

    clock.advance(timedelta(minutes=10))
    with pytest.raises(Unauthenticated):
        logins.log_in(ctx, EMAIL, "Fel lösenord helt och hållet")  # does not extend the lock
    clock.advance(timedelta(minutes=5, seconds=1))

    assert logins.log_in(ctx, EMAIL, PASSWORD).principal.email == EMAIL
    assert _account(ctx).failed_logins == 0 and _account(ctx).locked_until is None


def test_a_success_starts_the_count_of_failures_anew(ctx: Context, anita: str) -> None:
    for _ in range(2):
        for _ in range(logins.MAX_FAILURES - 1):
            with pytest.raises(Unauthenticated):
                logins.log_in(ctx, EMAIL, "Fel lösenord helt och hållet")
        logins.log_in(ctx, EMAIL, PASSWORD)

    assert _events(ctx, EventName.USER_LOCKED) == []


def test_setting_the_password_lifts_a_lock_and_ends_sessions(ctx: Context, anita: str) -> None:
    token = logins.log_in(ctx, EMAIL, PASSWORD).session_token
    for _ in range(logins.MAX_FAILURES):
        with pytest.raises(Unauthenticated):
            logins.log_in(ctx, EMAIL, "Fel lösenord helt och hållet")

    logins.set_password(ctx, ADMIN, email=EMAIL, password="Ett helt nytt lösenord")

    assert logins.resume_session(ctx, token) is None
    assert logins.log_in(ctx, EMAIL, "Ett helt nytt lösenord").principal.email == EMAIL
    with pytest.raises(Unauthenticated):
        logins.log_in(ctx, EMAIL, PASSWORD)


def test_accounts_without_password_or_disabled_cannot_log_in(ctx: Context, anita: str) -> None:
    accounts.create_user(ctx, ADMIN, email="per.ek@alingsas.se", name="Per Ek")
    with pytest.raises(Unauthenticated):
        logins.log_in(ctx, "per.ek@alingsas.se", "")
    token = logins.log_in(ctx, EMAIL, PASSWORD).session_token
    with ctx.db.write() as session:
        account = session.exec(select(UserAccount).where(UserAccount.email == EMAIL)).one()
        account.disabled_at = ctx.clock.now()
        session.add(account)

    with pytest.raises(Unauthenticated):
        logins.log_in(ctx, EMAIL, PASSWORD)
    assert logins.resume_session(ctx, token) is None
    reasons = [e.after for e in _events(ctx, EventName.USER_LOGIN_FAILED)]
    assert reasons == [{"reason": "no_password"}, {"reason": "disabled"}]


def test_a_session_ends_after_its_idle_time_not_while_in_use(
    ctx: Context, anita: str, clock: FixedClock
) -> None:
    idle = timedelta(hours=8)
    token = logins.log_in(ctx, EMAIL, PASSWORD, idle=idle).session_token

    for _ in range(3):  # 21 hours in all, never 8 without a request
        clock.advance(timedelta(hours=7))
        active = logins.resume_session(ctx, token, idle=idle)
        assert active is not None and active.principal.email == EMAIL

    clock.advance(idle + timedelta(minutes=1))
    assert logins.resume_session(ctx, token, idle=idle) is None
    with ctx.db.read() as session:
        assert session.exec(select(WebSession)).all() == []  # ended for good


def test_log_out_ends_the_session_and_unknown_tokens_find_nothing(ctx: Context, anita: str) -> None:
    token = logins.log_in(ctx, EMAIL, PASSWORD).session_token
    other = logins.log_in(ctx, EMAIL, PASSWORD).session_token

    logins.log_out(ctx, token)
    logins.log_out(ctx, token)  # twice is harmless

    assert logins.resume_session(ctx, token) is None
    assert logins.resume_session(ctx, other) is not None  # another browser stays signed in
    assert logins.resume_session(ctx, "inte-ett-riktigt-token") is None


def test_language_choice_is_kept_on_the_account(ctx: Context, anita: str) -> None:
    actor = logins.log_in(ctx, EMAIL, PASSWORD).principal.actor()
    logins.set_language(ctx, actor, email=EMAIL, language="en")
    logins.set_language(ctx, actor, email=EMAIL, language="en")  # no change, no event

    assert logins.log_in(ctx, EMAIL, PASSWORD).language == "en"
    (event,) = _events(ctx, EventName.USER_LANGUAGE_SET)
    assert (event.before, event.after) == ({"language": None}, {"language": "en"})
    with pytest.raises(ValidationFailed):
        logins.set_language(ctx, actor, email=EMAIL, language="de")  # not a language we write


def test_demo_passwords_are_set_once_for_many_accounts(ctx: Context) -> None:
    emails = ["a.a@alingsas.se", "b.b@alingsas.se"]
    for email in emails:
        accounts.create_user(ctx, ADMIN, email=email, name=email)
    assert logins.set_passwords(ctx, ADMIN, emails=emails, password=PASSWORD) == 2
    logins.set_password(ctx, ADMIN, email=emails[0], password="Ett eget lösenord här")

    assert logins.set_passwords(ctx, ADMIN, emails=emails, password=PASSWORD, only_unset=True) == 0
    assert logins.log_in(ctx, emails[0], "Ett eget lösenord här").principal.email == emails[0]
    assert logins.log_in(ctx, emails[1], PASSWORD).principal.email == emails[1]


def test_a_hash_of_another_cost_profile_is_rehashed_at_the_next_sign_in(
    ctx: Context, anita: str
) -> None:
    """Raising `password_hash_profile` needs no password reset: the next sign-in
    re-hashes with the installation's profile (tests hash with the cheapest)."""
    standard = dataclasses.replace(
        ctx, password_hasher=logins.hasher_of_profile("RFC_9106_LOW_MEMORY")
    )
    cheap = _account(ctx).password_hash
    assert cheap is not None and "m=8,t=1,p=1" in cheap

    logins.log_in(standard, EMAIL, PASSWORD)

    rehashed = _account(ctx).password_hash
    assert rehashed is not None and "m=65536,t=3,p=4" in rehashed
    logins.log_in(standard, EMAIL, PASSWORD)  # the new hash checks out
    with pytest.raises(Unauthenticated):
        logins.log_in(standard, EMAIL, "Fel lösenord helt och hållet")


def test_the_profile_setting_names_the_choices() -> None:
    assert Settings(password_hash_profile="CHEAPEST").password_hash_profile == "CHEAPEST"
    with pytest.raises(pydantic.ValidationError, match="RFC_9106_LOW_MEMORY"):
        Settings(password_hash_profile="md5")
