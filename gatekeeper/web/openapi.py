"""The OpenAPI document, made to tell the truth about errors.

FastAPI documents validation errors as its own `HTTPValidationError` JSON;
gatekeeper answers them (and every other error) as problem+json. This puts
the problem responses on every operation, so clients and schemathesis see
what the server really sends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gatekeeper.web.schemas.projects import PROBLEM_RESPONSES

_METHODS = {"get", "put", "post", "patch", "delete"}


def install_openapi(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        for path_item in document.get("paths", {}).values():
            for method, operation in path_item.items():
                if method not in _METHODS:
                    continue
                responses = operation.setdefault("responses", {})
                for status, response in PROBLEM_RESPONSES.items():
                    responses[str(status)] = response
        schemas = document.get("components", {}).get("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        app.openapi_schema = document
        return document

    setter: Callable[[], dict[str, Any]] = build
    app.openapi = setter  # type: ignore[method-assign]
