"""The web UI's languages: one gettext message catalogue, and which language a request gets.

Message ids are the Swedish texts themselves (Swedish is the product's
language; a string nobody translated still reads right to a Swedish user).
The catalogue is `.po` files under `gatekeeper/web/locale/<lang>/LC_MESSAGES/`:
`en` and `da` translate every message, `sv` holds any Swedish rewording
without touching templates. Babel compiles them in memory the first time a language is
used, so there are no `.mo` files to keep in step and a wheel needs only the
`.po` files. `make messages` re-extracts the ids from templates and `gatekeeper/web`.

A request's language: the person's choice (their account, else the session),
else, on the pages of a project whose workflow names another language than
Swedish, that language (Danish for the ICS forankring loop), else the
browser's `Accept-Language`, else Swedish.
"""

from __future__ import annotations

import functools
import gettext
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("sv", "en", "da")
DEFAULT_LANGUAGE = "sv"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English", "da": "Dansk"}  # each in its own language
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:  # the gettext name for "mark only"
    """Mark `message` as a msgid for the catalogue (`make messages`) without translating it."""
    return message


def catalogue_path(language: str) -> Path:
    """The `.po` file of `language`."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of `language` (fuzzy entries are left out, as msgfmt does)."""
    if language not in LANGUAGES:
        raise ValueError(f"no catalogue for {language!r}")
    with catalogue_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def gettext_for(language: str, message: str) -> str:
    """`message` (a Swedish msgid) in `language`; unchanged when not in the catalogue."""
    return translations(language).gettext(message)


def from_accept_language(header: str | None) -> str | None:
    """The first of our languages the browser asks for (by q-value), or None."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def choose_language(*, chosen: str | None, accept_language: str | None) -> str:
    """The person's choice, else the browser's wish, else Swedish."""
    if chosen in LANGUAGES:
        assert chosen is not None
        return chosen
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE
