"""Who acts, as events record it: `user:<address>`, `token:<id>/<address>`, `system:<job>`."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.core.actor import Actor, recorded_address

ADDRESSES = st.emails()


@given(ADDRESSES)
def test_the_address_of_a_person_comes_back_from_what_an_event_records(address: str) -> None:
    assert recorded_address(str(Actor.user(address))) == address


@given(ADDRESSES, st.text("0123456789abcdef_gk", min_size=1, max_size=16))
def test_the_address_of_a_token_is_its_owners(address: str, token: str) -> None:
    assert recorded_address(str(Actor.token(token, address))) == address


def test_a_system_job_has_no_address() -> None:
    assert recorded_address(str(Actor.system("reminders"))) is None
    assert recorded_address("legacy-without-kind") is None
