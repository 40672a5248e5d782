"""Counts with number agreement and dates in words, as a municipality would publish them."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.core.wording import count_phrase, date_en, date_sv, share_phrase

PHRASES = [
    ("öppen punkt", "öppna punkter"),
    ("öppen hög risk", "öppna höga risker"),
    ("påminnelse", "påminnelser"),
    ("dag", "dagar"),
    ("reminder", "reminders"),
]


def test_the_seeds_sentences() -> None:
    assert count_phrase(1, "öppen punkt", "öppna punkter") == "1 öppen punkt"
    assert count_phrase(2, "öppen punkt", "öppna punkter") == "2 öppna punkter"
    assert count_phrase(0, "öppen punkt", "öppna punkter") == "0 öppna punkter"
    assert count_phrase(1, "öppen hög risk", "öppna höga risker") == "1 öppen hög risk"
    assert share_phrase(1, 18, "punkter", "klar", "klara") == "1 av 18 punkter är klar"
    assert share_phrase(3, 18, "punkter", "klar", "klara") == "3 av 18 punkter är klara"


@settings(deadline=None)
@given(count=st.integers(min_value=-10_000, max_value=10_000), forms=st.sampled_from(PHRASES))
def test_only_one_takes_the_singular_and_the_count_is_kept(
    count: int, forms: tuple[str, str]
) -> None:
    singular, plural = forms
    phrase = count_phrase(count, singular, plural)
    number, _, words = phrase.partition(" ")
    assert int(number) == count
    assert words == (singular if abs(count) == 1 else plural)


@settings(deadline=None)
@given(done=st.integers(min_value=0, max_value=500), more=st.integers(min_value=0, max_value=500))
def test_a_share_agrees_with_what_is_done(done: int, more: int) -> None:
    total = done + more
    phrase = share_phrase(done, total, "punkter", "klar", "klara")
    assert phrase.startswith(f"{done} av {total} punkter är ")
    assert phrase.endswith(" klar" if done == 1 else " klara")


@settings(deadline=None)
@given(day=st.dates())
def test_dates_in_words_read_back(day: date) -> None:
    months_sv = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
    day_sv, month_sv, year_sv = date_sv(day).split(" ")
    assert (int(day_sv), int(year_sv)) == (day.day, day.year)
    if day.month <= len(months_sv):
        assert month_sv == months_sv[day.month - 1]
    assert date_en(day).split(" ")[1][0].isupper()
    assert date_sv(date(2026, 12, 9)) == "9 december 2026"
    assert date_en(date(2027, 2, 1)) == "1 February 2027"
