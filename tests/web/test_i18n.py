"""The message catalogue: every UI string extracted, translated to English and Danish,
and used."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import gatekeeper.web
from gatekeeper.core.criteria import CRITERION_KINDS
from gatekeeper.web import labels
from gatekeeper.web.i18n import (
    LANGUAGES,
    catalogue_path,
    choose_language,
    from_accept_language,
    translations,
)
from gatekeeper.web.templating import datum

WEB = Path(gatekeeper.web.__file__).parent
METHODS = [
    ("**/templates/**.html", "jinja2"),
    ("**.py", "python"),
]
OPTIONS = {
    "**/templates/**.html": {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "true",
        "lstrip_blocks": "true",
    }
}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _source_ids() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), METHODS, OPTIONS, KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue(language: str) -> dict[str, object]:
    with catalogue_path(language).open("rb") as source:
        catalog = read_po(source, locale=language)
    return {
        (message.id[0] if isinstance(message.id, tuple) else message.id): message
        for message in catalog
        if message.id
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_ui_is_in_the_catalogue(language: str) -> None:
    missing = _source_ids() - set(_catalogue(language))
    assert not missing, f"run `make messages` and translate: {sorted(missing)}"


@pytest.mark.parametrize("language", ["en", "da"])
def test_every_message_has_a_translation(language: str) -> None:
    untranslated = [
        message_id
        for message_id, message in _catalogue(language).items()
        if not message.string  # type: ignore[attr-defined]
        or (isinstance(message.string, tuple) and not all(message.string))  # type: ignore[attr-defined]
        or message.fuzzy  # type: ignore[attr-defined]
    ]
    assert untranslated == []


def test_criterion_labels_match_the_criteria_titles() -> None:
    for kind, criterion in CRITERION_KINDS.items():
        assert labels.CRITERION[kind] == criterion.title_sv


def test_catalogues_compile_and_translate() -> None:
    assert translations("en").gettext("Logga in") == "Log in"
    assert translations("sv").gettext("Logga in") == "Logga in"
    english = translations("en").ngettext("%(num)d projekt som du kan se", "x", 2)
    assert english == "%(num)d projects you can see"
    assert translations("da").gettext("Logga in") == "Log ind"
    assert translations("da").gettext("Styrgrupp") == "Styrgrupp"  # role names come from YAML


def test_danish_plurals_agree_with_the_count() -> None:
    danish = translations("da")
    risk = ("%(num)d öppen risk.", "%(num)d öppna risker.")
    assert danish.ngettext(*risk, 1) % {"num": 1} == "1 åben risiko."
    assert danish.ngettext(*risk, 2) % {"num": 2} == "2 åbne risici."
    item = (
        "%(num)d obligatorisk punkt är inte klar",
        "%(num)d obligatoriska punkter är inte klara",
    )
    assert danish.ngettext(*item, 1) % {"num": 1} == "1 obligatorisk punkt er ikke færdigt"
    assert danish.ngettext(*item, 0) % {"num": 0} == "0 obligatoriske punkter er ikke færdige"
    day = ("T-%(num)d dag", "T-%(num)d dagar")
    assert danish.ngettext(*day, 1) % {"num": 1} == "T-1 dag"
    assert danish.ngettext(*day, 3) % {"num": 3} == "T-3 dage"


def test_the_danish_catalogue_says_plural_forms_for_danish() -> None:
    with catalogue_path("da").open("rb") as source:
        catalog = read_po(source, locale="da")
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("sv-SE,sv;q=0.9,en;q=0.8", "sv"),
        ("de;q=1.0, en;q=0.5, sv;q=0.7", "sv"),
        ("en;q=0, sv;q=0.1", "sv"),
        ("fi, da", "da"),
        ("fi, no", None),
        ("en;q=abc", None),
    ],
)
def test_accept_language_picks_the_best_of_ours(header: str | None, expected: str | None) -> None:
    assert from_accept_language(header) == expected


def test_a_choice_beats_the_browser_and_swedish_is_the_default() -> None:
    assert choose_language(chosen="sv", accept_language="en") == "sv"
    assert choose_language(chosen=None, accept_language="en") == "en"
    assert choose_language(chosen="xx", accept_language=None) == "sv"


def test_dates_are_written_the_way_each_language_does() -> None:
    from datetime import UTC, date, datetime

    assert datum(date(2026, 11, 25)) == "25 november 2026"
    assert datum(date(2026, 11, 25), "en") == "25 November 2026"
    assert datum(date(2026, 11, 25), "da") == "25. november 2026"
    assert datum(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2027"  # Swedish time
