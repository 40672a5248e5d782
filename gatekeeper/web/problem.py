"""Errors to responses: one table from the error tree to HTTP.

Under `/api/` every error is an RFC 9457 `application/problem+json` document
with `type`, `title`, `status`, `detail` and, where known, the offending
`field`; elsewhere a short HTML page. Nothing here is raised: domain code
raises `gatekeeper.errors`, and these handlers translate.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gatekeeper.errors import (
    Conflict,
    DatabaseUnavailable,
    DefinitionError,
    GatekeeperError,
    NotFound,
    PermissionDenied,
    StaleVersion,
    TransitionRefused,
    Unauthenticated,
    ValidationFailed,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://gatekeeper.example/problems/"
logger = logging.getLogger("gatekeeper.web")

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


def _classify(error: GatekeeperError) -> tuple[int, str, str]:
    for cls in type(error).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    return 500, "internal-error", "Internal error"


def _wants_problem(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem_response(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    extra: dict[str, Any] | None = None,
) -> Response:
    if not _wants_problem(request):
        page = (
            "<!doctype html><html lang='sv'><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
            f"<p>{escape(detail)}</p><p><a href='/'>Till startsidan</a></p></main></body></html>"
        )
        return HTMLResponse(page, status_code=status)
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
    if isinstance(error, ValidationFailed) and error.field:
        return {"field": error.field}
    if isinstance(error, TransitionRefused) and error.verdict is not None:
        return {
            "failed_criteria": [
                {
                    "kind": result.kind,
                    "measured": result.measured,
                    "required": result.required,
                    "message": result.message_sv,
                    "details": list(result.details),
                }
                for result in error.verdict.failed
            ]
        }
    if isinstance(error, DefinitionError):
        return {"problems": [str(problem) for problem in error.problems]}
    return {}


async def _on_gatekeeper_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, GatekeeperError)
    status, slug, title = _classify(error)
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
    extra: dict[str, Any] = {
        "errors": [
            {"field": _field_of(e.get("loc", ())), "message": e.get("msg", "")} for e in errors
        ]
    }
    if field:
        extra["field"] = field
    return problem_response(request, 422, "validation-failed", "Invalid input", detail, extra)


async def _on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
    title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "HTTP error")
    response = problem_response(request, error.status_code, slug, title, str(error.detail))
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


async def _on_unexpected(request: Request, error: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        request, 500, "internal-error", "Internal error", "Ett oväntat fel inträffade."
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GatekeeperError, _on_gatekeeper_error)
    app.add_exception_handler(RequestValidationError, _on_request_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
