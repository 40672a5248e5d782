"""Errors to responses: one table from the error tree to HTTP, for the API and pages alike.

Under `/api/` every error is an RFC 9457 `application/problem+json` document
with `type`, `title`, `status`, `detail` and, where known, the offending
`field`; elsewhere an HTML page in the base layout and the visitor's language
(a Swedish title by status, the error's own sentence, never a stack trace or
an exception's name). Nothing here is raised: domain code raises
`gatekeeper.errors`, and these handlers translate.

A lost database (503) answers only that the service is unavailable: the
error's own message names the database (its URL or file path) and goes to the
server log alone, with any credential in it redacted.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gatekeeper.core.gate import GateVerdict
from gatekeeper.errors import (
    Conflict,
    DatabaseUnavailable,
    DatesOutOfOrder,
    DefinitionError,
    GatekeeperError,
    NotFound,
    OverrideRequired,
    PermissionDenied,
    StaleVersion,
    TransitionRefused,
    Unauthenticated,
    ValidationFailed,
)
from gatekeeper.web.i18n import N_
from gatekeeper.web.methods import allowed_methods
from gatekeeper.web.page import error_page
from gatekeeper.web.redaction import redact

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://gatekeeper.example/problems/"
logger = logging.getLogger("gatekeeper.web")
UNAVAILABLE_RETRY_AFTER = "5"  # seconds; a lock wait or a reconnect is usually over by then

# error class -> (status, problem type slug, title)
ERROR_TABLE: dict[type[GatekeeperError], tuple[int, str, str]] = {
    NotFound: (404, "not-found", "Not found"),
    Unauthenticated: (401, "unauthenticated", "Authentication required"),
    PermissionDenied: (403, "forbidden", "Permission denied"),
    StaleVersion: (412, "precondition-failed", "Stale version"),
    Conflict: (409, "conflict", "Conflict"),
    ValidationFailed: (422, "validation-failed", "Invalid input"),
    TransitionRefused: (409, "transition-refused", "Gate transition refused"),
    DefinitionError: (422, "invalid-definition", "Invalid definition"),
    DatabaseUnavailable: (503, "database-unavailable", "Database unavailable"),
}


# status -> title of the HTML error page (a Swedish msgid, translated on the page)
PAGE_TITLES: dict[int, str] = {
    400: N_("Felaktig begäran"),
    401: N_("Inloggning krävs"),
    403: N_("Åtkomst nekad"),
    404: N_("Sidan finns inte"),
    405: N_("Det går inte att göra så här"),
    409: N_("Det gick inte att genomföra"),
    412: N_("Någon annan har ändrat uppgifterna"),
    413: N_("För mycket data på en gång"),
    422: N_("Uppgifterna kunde inte tas emot"),
    500: N_("Något gick fel"),
    503: N_("Tjänsten är inte tillgänglig just nu"),
}
# status -> the sentence shown when the error brings none fit for people
PAGE_DETAILS: dict[int, str] = {
    404: N_("Sidan eller uppgiften du söker finns inte, eller så saknar du behörighet att se den."),
    405: N_("Adressen finns, men inte för den här sortens begäran."),
    422: N_(
        "Formuläret eller adressen innehöll uppgifter som inte kunde tas emot. "
        "Ingenting har ändrats."
    ),
    500: N_("Ett oväntat fel inträffade. Ingenting har ändrats. Försök igen om en stund."),
    503: N_("Databasen går inte att nå just nu. Ingenting har ändrats. Försök igen om en stund."),
}
# What a client may know of a lost database (the rest is in the server log).
UNAVAILABLE_DETAIL = "Databasen går inte att nå just nu; försök igen om en stund."


def classify(error: GatekeeperError) -> tuple[int, str, str]:
    """(status, problem type slug, title) for a domain error, from `ERROR_TABLE`."""
    for cls in type(error).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    return 500, "internal-error", "Internal error"


def status_of(error: GatekeeperError) -> int:
    """The HTTP status for a domain error: what the API answers, and what a page answers
    when it shows a refused form again (the most specific class in the table wins)."""
    return classify(error)[0]


def _wants_problem(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem_response(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    extra: dict[str, Any] | None = None,
    *,
    page_detail: str | None = None,
) -> Response:
    """A problem document under /api/, else an HTML page (`page_detail` instead of `detail`
    there when given: the API's detail may be too technical for a page)."""
    if not _wants_problem(request):
        return error_page(
            request,
            status,
            PAGE_TITLES.get(status, N_("Något gick fel")),
            page_detail or detail,
        )
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def _extra(error: GatekeeperError) -> dict[str, Any]:
    if isinstance(error, DatesOutOfOrder):
        return {
            "field": error.field,
            "gates": [
                {"gate_id": gate_id, "name": name, "target_date": day.isoformat()}
                for gate_id, name, day in error.gates
            ],
        }
    if isinstance(error, OverrideRequired):
        return {"field": error.field, "failed_criteria": _failed_criteria(error.verdict)}
    if isinstance(error, ValidationFailed) and error.field:
        return {"field": error.field}
    if isinstance(error, TransitionRefused) and error.verdict is not None:
        return {"failed_criteria": _failed_criteria(error.verdict)}
    if isinstance(error, DefinitionError):
        return {"problems": [str(problem) for problem in error.problems]}
    return {}


def _failed_criteria(verdict: GateVerdict) -> list[dict[str, Any]]:
    """Each failed criterion: its kind, measured and required figure, Swedish sentence."""
    return [
        {
            "kind": result.kind,
            "measured": result.measured,
            "required": result.required,
            "message": result.message_sv,
            "details": list(result.details),
        }
        for result in verdict.failed
    ]


async def _on_gatekeeper_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, GatekeeperError)
    return error_response(request, error)


def error_response(request: Request, error: GatekeeperError) -> Response:
    """The answer to a domain error: its problem document (or page), from the table."""
    status, slug, title = classify(error)
    if isinstance(error, DatabaseUnavailable):
        logger.warning(
            "database unavailable on %s %s: %s",
            request.method,
            redact(request.url.path),
            redact(error.message),
        )
        unavailable = problem_response(
            request, status, slug, title, UNAVAILABLE_DETAIL, page_detail=PAGE_DETAILS[503]
        )
        unavailable.headers["Retry-After"] = UNAVAILABLE_RETRY_AFTER  # nothing changed: retry
        return unavailable
    response = problem_response(request, status, slug, title, error.message, _extra(error))
    if isinstance(error, Unauthenticated):
        response.headers["WWW-Authenticate"] = 'Bearer realm="gatekeeper"'
    return response


def _field_of(location: Any) -> str:
    """`limit` rather than `query.limit`: where a value came from is not its name."""
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    return ".".join(parts)


async def _on_request_validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    errors = error.errors()
    first = errors[0] if errors else {}
    field = _field_of(first.get("loc", ())) or None
    detail = (
        f"{field}: {first.get('msg', 'invalid')}" if field else str(first.get("msg", "invalid"))
    )
    page_detail = PAGE_DETAILS[422]
    extra: dict[str, Any] = {
        "errors": [
            {"field": _field_of(e.get("loc", ())), "message": e.get("msg", "")} for e in errors
        ]
    }
    if field:
        extra["field"] = field
    return problem_response(
        request, 422, "validation-failed", "Invalid input", detail, extra, page_detail=page_detail
    )


async def _on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
    title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "HTTP error")
    response = problem_response(
        request,
        error.status_code,
        slug,
        title,
        str(error.detail),
        page_detail=PAGE_DETAILS.get(error.status_code, N_("Begäran kunde inte genomföras.")),
    )
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    if error.status_code == 405:  # every method of the address, not the first route's
        response.headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
    return response


async def _on_unexpected(request: Request, error: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, redact(request.url.path))
    return problem_response(
        request,
        500,
        "internal-error",
        "Internal error",
        "Ett oväntat fel inträffade.",
        page_detail=PAGE_DETAILS[500],
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GatekeeperError, _on_gatekeeper_error)
    app.add_exception_handler(RequestValidationError, _on_request_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
