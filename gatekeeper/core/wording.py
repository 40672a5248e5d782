"""Words a municipality would publish: counts with number agreement, and dates in words.

Swedish, Danish and English nouns and adjectives agree with the count: "1
öppen punkt", "2 öppna punkter", "1 åbent punkt", "2 åbne punkter", "1 av 18
punkter är klar", "1 öppen hög risk". `count_phrase` takes both forms from
the caller, who knows the words, and picks by the count; no grammar is
guessed. `date_sv`, `date_da` and `date_en` write a day as "9 december
2026", "9. december 2026" and "9 December 2026" for text that leaves the web
layer (reminder e-mails), where Babel is not at hand.
"""

from __future__ import annotations

from datetime import date

LANGUAGES = ("sv", "da", "en")  # the languages of people a workflow may name (`language:`)
DEFAULT_LANGUAGE = "sv"

_MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTHS_DA = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def count_phrase(count: int, singular: str, plural: str) -> str:
    """`count` with the form that agrees with it: `count_phrase(1, "öppen punkt", "öppna punkter")`
    is "1 öppen punkt", with 0 or 2 "0 öppna punkter", "2 öppna punkter".

    Only exactly one (and minus one) takes the singular, in Swedish and Danish as in
    English: `count_phrase(1, "åbent punkt", "åbne punkter")` is "1 åbent punkt".
    """
    return f"{count} {singular if abs(count) == 1 else plural}"


def share_phrase(
    done: int, total: int, noun_plural: str, done_singular: str, done_plural: str
) -> str:
    """ "1 av 18 punkter är klar", "3 av 18 punkter är klara": the verb's adjective agrees
    with the count of what is done, the noun with the total (always plural after "av")."""
    return f"{done} av {total} {noun_plural} är {done_singular if done == 1 else done_plural}"


def date_sv(day: date) -> str:
    """'9 december 2026'."""
    return f"{day.day} {_MONTHS_SV[day.month - 1]} {day.year}"


def date_da(day: date) -> str:
    """'9. december 2026'."""
    return f"{day.day}. {_MONTHS_DA[day.month - 1]} {day.year}"


def date_en(day: date) -> str:
    """'9 December 2026'."""
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "count_phrase",
    "date_da",
    "date_en",
    "date_sv",
    "share_phrase",
]
