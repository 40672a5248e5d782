"""Pydantic's validation errors retold as plain English, each at its line.

pydantic says "Extra inputs are not permitted" at `("items", 3, "mandatroy")`;
an author needs `items[3]: unknown key 'mandatroy' (did you mean
'mandatory'?)` at the line of that key. `validation_problems` does that
translation for every error of a document model, dropping the internal
union tags pydantic puts into locations of criteria.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from gatekeeper.core.criteria import CRITERION_KINDS
from gatekeeper.definitions.documents import IDENTIFIER_PATTERN
from gatekeeper.definitions.locator import Loc, Locator, with_loc
from gatekeeper.errors import DefinitionProblem

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "iterable_type": "a list",
    "model_type": "a mapping of keys and values",
    "model_attributes_type": "a mapping of keys and values",
    "dict_type": "a mapping of keys and values",
}

_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "greater than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}


def describe(value: object) -> str:
    """A short English phrase for a value in a message: `'abc'`, `12`, `a list`."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def quote(key: str | int) -> str:
    """A key in quotes, its control characters escaped: 'name', '\\n'."""
    return repr(str(key))


def validation_problems(
    error: ValidationError,
    *,
    model: type[BaseModel],
    data: Mapping[str, Any],
    path: str,
    locator: Locator,
) -> list[DefinitionProblem]:
    """One `DefinitionProblem` per error of `model.model_validate(data)`."""
    problems = []
    for details in error.errors(include_url=False):
        loc = _clean_loc(details["loc"])
        message, at, key = _explain(details, loc, model, data)
        line, column = locator.position(at, key=key)
        problems.append(DefinitionProblem(path, line, column, message))
    return problems


def _clean_loc(raw: tuple[int | str, ...]) -> Loc:
    """Drop the criterion-kind tags pydantic inserts after `criteria[i]`."""
    loc: list[str | int] = []
    for part in raw:
        if (
            isinstance(part, str)
            and part in CRITERION_KINDS
            and len(loc) >= 2
            and loc[-2] == "criteria"
            and isinstance(loc[-1], int)
        ):
            continue
        loc.append(part)
    return tuple(loc)


def _explain(
    details: ErrorDetails, loc: Loc, model: type[BaseModel], data: Mapping[str, Any]
) -> tuple[str, Loc, bool]:
    """(message, location to point at, whether to point at the key)."""
    kind = details["type"]
    ctx: dict[str, Any] = dict(details.get("ctx") or {})
    value = details.get("input")
    if kind == "missing" and loc:
        return with_loc(loc[:-1], f"missing required key {quote(loc[-1])}"), loc[:-1], False
    if kind == "extra_forbidden" and loc:
        message = f"unknown key {quote(loc[-1])}"
        message += _suggestion(str(loc[-1]), model, loc[:-1], data)
        return with_loc(loc[:-1], message), loc, True
    if kind == "union_tag_invalid":
        known = ", ".join(CRITERION_KINDS)
        text = f"{describe(ctx.get('tag'))} is not a criterion kind; known kinds: {known}"
        return with_loc((*loc, "kind"), text), (*loc, "kind"), False
    if kind == "union_tag_not_found":
        text = f"missing required key 'kind'; known kinds: {', '.join(CRITERION_KINDS)}"
        return with_loc(loc, text), loc, False
    return with_loc(loc, _sentence(kind, ctx, value, details["msg"])), loc, False


def _sentence(kind: str, ctx: Mapping[str, Any], value: Any, fallback: str) -> str:
    if kind == "definition":
        return str(ctx.get("message", fallback))
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}, not {describe(value)}"
    if kind in _BOUNDS:
        name, words = _BOUNDS[kind]
        return f"must be {words} {ctx.get(name)}, not {describe(value)}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == IDENTIFIER_PATTERN:
        return (
            f"{describe(value)} is not an identifier; write lower-case ASCII words "
            "joined by - or _, such as go-live or forstudie"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long; at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        return f"must list at least {count} {'entry' if count == 1 else 'entries'}"
    if kind == "literal_error":
        return f"{describe(value)} is not allowed here; write {ctx.get('expected')}"
    if kind == "finite_number":
        return "must be a finite number"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return fallback


def _suggestion(key: str, model: type[BaseModel], parent: Loc, data: Mapping[str, Any]) -> str:
    allowed = _allowed_keys(model, parent, data)
    if not allowed:
        return ""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f"; allowed keys: {', '.join(allowed)}"


def _allowed_keys(model: type[BaseModel], loc: Loc, data: Any) -> list[str]:
    """The keys the model accepts at `loc` (where `data` says which criterion it is)."""
    annotation: Any = model
    value: Any = data
    for part in loc:
        annotation = _unwrap(annotation, value)
        if isinstance(part, int):
            if get_origin(annotation) not in (list, tuple):
                return []
            annotation = get_args(annotation)[0]
            value = value[part] if isinstance(value, list) and 0 <= part < len(value) else None
        else:
            fields = _fields(annotation)
            if part not in fields:
                return []
            annotation = fields[part]
            value = value.get(part) if isinstance(value, Mapping) else None
    annotation = _unwrap(annotation, value)
    return list(_fields(annotation))


def _fields(annotation: Any) -> dict[str, Any]:
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return {}
    return {(info.alias or name): info.annotation for name, info in annotation.model_fields.items()}


def _unwrap(annotation: Any, value: Any) -> Any:
    """Strip Annotated and Optional; pick a criterion class by the value's kind."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
            kind = value.get("kind") if isinstance(value, Mapping) else None
            chosen = CRITERION_KINDS.get(kind) if isinstance(kind, str) else None
            return chosen if chosen in members else None
        else:
            return annotation


def sort_problems(problems: Sequence[DefinitionProblem]) -> list[DefinitionProblem]:
    """Problems in reading order: by file, line, column, then message."""
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda p: (p.path, p.line, p.column, p.message))


__all__ = ["describe", "quote", "sort_problems", "validation_problems"]
