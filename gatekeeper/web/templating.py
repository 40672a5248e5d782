"""The Jinja2 environments of the web pages: one per UI language, autoescaped.

Each environment has the `jinja2.ext.i18n` extension with that language's
catalogue installed (new-style gettext: `{{ _("Sparat %(n)s", n=3) }}` escapes
the variables, `{% trans %}…{% endtrans %}` for longer text), date filters in
that language (`datum`, `isodatum`), and the globals every page uses:
`lang`, `static(path)`, `labels` (status words, `gatekeeper.web.labels`) and
`csrf_field()` (a hidden input with the request's
CSRF token; needs `csrf_token` in the render context, which `Page.render` puts
there). One environment per language rather than one switched per request,
because sync routes render in a thread pool, concurrently.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context as TemplateContext
from markupsafe import Markup, escape

from gatekeeper import __version__
from gatekeeper.core.lap import LAP_WORD, lap_label
from gatekeeper.web.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, translations
from gatekeeper.web.labels import Labels

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CSRF_FIELD = "csrf_token"
# en_GB: day before month, as in Sweden; da_DK writes "25. november 2026".
_BABEL_LOCALE = {"sv": "sv_SE", "en": "en_GB", "da": "da_DK"}


def _local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).date()
    return value


def datum(value: date | datetime | None, language: str = DEFAULT_LANGUAGE) -> str:
    """'25 november 2026' (en: '25 November 2026', da: '25. november 2026'); a datetime
    is shown in Swedish time."""
    if value is None:
        return ""
    return _day_in_words(_local_date(value), language)


@functools.lru_cache(maxsize=4096)
def _day_in_words(day: date, language: str) -> str:
    """Babel's spelling of a day, kept: a page writes the same few hundred days over and over."""
    pattern = "d. MMMM y" if language == "da" else "d MMMM y"  # Danish: "25. november 2026"
    return format_date(day, format=pattern, locale=_BABEL_LOCALE[language])


def isodatum(value: str | datetime | None) -> str:
    """'2026-11-25 10:00' in Swedish time, from a datetime or an ISO string."""
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def static_url(path: str) -> str:
    """URL of a file in gatekeeper/web/static, versioned so that upgrades are fetched anew."""
    return f"/static/{path.lstrip('/')}?v={__version__}"


@pass_context
def csrf_field(context: TemplateContext) -> Markup:
    """`<input type="hidden" name="csrf_token" …>` for the form it is put in."""
    token = context.get(CSRF_FIELD)
    if not token:
        raise RuntimeError("csrf_field() needs csrf_token in the context: render with Page")
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, escape(token))


@functools.cache
def environment(language: str = DEFAULT_LANGUAGE) -> Environment:
    """The environment of one UI language, made once per process: it holds nothing of an
    app's, and its compiled templates serve every app (a test makes hundreds)."""
    env = Environment(
        loader=PackageLoader("gatekeeper.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["datum"] = lambda value: datum(value, language)
    env.filters["isodatum"] = isodatum
    env.filters["varv"] = lambda lap: lap_label(lap, language)  # "Varv 2", "Runde 2"
    env.globals.update(
        lang=language,
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
        static=static_url,
        csrf_field=csrf_field,
        labels=Labels,
        lap_word=LAP_WORD.get(language, LAP_WORD["sv"]),
    )
    return env


class PageTemplates:
    """The environments of every UI language (shared by the apps of one process)."""

    def __init__(self) -> None:
        self._environments = {language: environment(language) for language in LANGUAGES}

    def environment(self, language: str) -> Environment:
        return self._environments.get(language) or self._environments[DEFAULT_LANGUAGE]

    def render(self, language: str, name: str, context: dict[str, Any]) -> str:
        """Template `name` rendered in `language`."""
        return self.environment(language).get_template(name).render(context)
