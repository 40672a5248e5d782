"""Answering with HTML: `Page`, a page handler's helper for rendering, messages and redirects.

A handler takes `page: PageDep` and returns `page.render("x.html", **context)`.
The template extends `base.html` and gets, besides `context`: `principal` (or
None), `lang`, `csrf_token` (so `{{ csrf_field() }}` works), `current_path`
and the `flashes` left by the previous request. `page.gettext` / `page.ngettext`
translate strings made in Python; `page.flash` leaves a message for the next
page (post/redirect/get); `page.redirect` answers 303.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from gatekeeper.core.access import Principal
from gatekeeper.services.reminders.inbox import unread_count
from gatekeeper.web.csrf import csrf_token
from gatekeeper.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, translations
from gatekeeper.web.sessions import (
    FLASH,
    Visitor,
    VisitorDep,
    cookie_session,
    current_visitor,
    request_language,
    safe_next,
)
from gatekeeper.web.templating import CSRF_FIELD, PageTemplates

logger = logging.getLogger("gatekeeper.web")
FLASH_KINDS = ("info", "success", "error")


@dataclass(frozen=True)
class Flash:
    """A message for the next page: `kind` is info, success or error."""

    kind: str
    text: str


def _take_flashes(request: Request) -> list[Flash]:
    if "session" not in request.scope:
        return []
    raw = cookie_session(request).pop(FLASH, None) or []
    return [
        Flash(str(item.get("kind", "info")), str(item.get("text", "")))
        for item in raw
        if isinstance(item, dict)
    ]


def _base_context(request: Request, language: str, principal: Principal | None) -> dict[str, Any]:
    query = f"?{request.url.query}" if request.url.query else ""
    return {
        "lang": language,
        "principal": principal,
        CSRF_FIELD: csrf_token(request),
        "current_path": safe_next(request.url.path + query),
        "flashes": _take_flashes(request),
    }


class Page:
    """One request's page: who looks, in which language, and how to answer them."""

    def __init__(self, request: Request, visitor: Visitor) -> None:
        self.request = request
        self.visitor = visitor

    @property
    def lang(self) -> str:
        """The person's chosen language; else, on the pages of a project whose workflow
        names another language than Swedish, that one (a Danish project is shown in
        Danish); else the browser's wish, else Swedish."""
        if self.visitor.chosen:
            return self.visitor.language
        project: str | None = getattr(self.request.state, "project_language", None)
        if project in LANGUAGES and project != DEFAULT_LANGUAGE:
            return project
        return self.visitor.language

    @property
    def principal(self) -> Principal | None:
        return self.visitor.principal

    def gettext(self, message: str, **variables: Any) -> str:
        """`message` (a Swedish msgid) in the page's language, `%(name)s` filled in."""
        text = translations(self.lang).gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, count: int, **variables: Any) -> str:
        """Singular or plural by `count` (available as `%(num)d`), in the page's language."""
        text = translations(self.lang).ngettext(singular, plural, count)
        return text % {"num": count, **variables}

    def flash(self, text: str, *, kind: str = "info") -> None:
        """Show `text` (already in the page's language) on the next page rendered."""
        if kind not in FLASH_KINDS:
            raise ValueError(f"flash kind must be one of {FLASH_KINDS}")
        session = cookie_session(self.request)
        session[FLASH] = [*session.get(FLASH, []), {"kind": kind, "text": text}]

    def render(
        self,
        template: str,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """`template` rendered in the page's language, with the layout's context."""
        templates: PageTemplates = self.request.app.state.templates
        full = _base_context(self.request, self.lang, self.principal)
        if self.principal is not None:  # the header's "Inkorg (3)"
            full["inbox_unread"] = unread_count(
                self.request.app.state.context, self.principal.email
            )
        full.update(context)
        html = templates.render(self.lang, template, full)
        return HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))

    def redirect(self, url: str, *, status_code: int = 303) -> RedirectResponse:
        """To `url` on this site (anything else goes to the start page)."""
        return RedirectResponse(safe_next(url), status_code=status_code)


def current_page(request: Request, visitor: VisitorDep) -> Page:
    return Page(request, visitor)


PageDep = Annotated[Page, Depends(current_page)]


def _visitor_if_cheap(request: Request, status_code: int) -> Visitor | None:
    """Who sees the error page (for the menu and their language), when that is safe to ask:
    not after a server error or an unavailable database, which asking could repeat."""
    known: Visitor | None = getattr(request.state, "visitor", None)
    if known is not None or status_code >= 500 or "session" not in request.scope:
        return known
    try:
        return current_visitor(request, request.app.state.context)
    except Exception:  # the error page must not fail in turn
        return None


def error_page(request: Request, status_code: int, title: str, detail: str) -> HTMLResponse:
    """The HTML error page in the base layout. `title` and `detail` are Swedish msgids
    (or text already final); no database is touched, and nothing internal is shown."""
    visitor = _visitor_if_cheap(request, status_code)
    language = visitor.language if visitor else request_language(request)
    catalogue = translations(language)
    context: dict[str, Any] = {
        "status_code": status_code,
        "title": catalogue.gettext(title),
        "detail": catalogue.gettext(detail),
    }
    try:
        templates: PageTemplates = request.app.state.templates
        full = _base_context(request, language, visitor.principal if visitor else None)
        full.update(context)
        html = templates.render(language, "error.html", full)
    except Exception:  # the error page must not fail in turn
        logger.exception("the error page could not be rendered")
        html = (
            f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'>"
            f"<title>{escape(context['title'])}</title></head><body><main>"
            f"<h1>{escape(context['title'])}</h1><p>{escape(context['detail'])}</p>"
            "<p><a href='/'>gatekeeper</a></p></main></body></html>"
        )
    return HTMLResponse(html, status_code=status_code)
