"""The one input layer: what a request may carry, on SQLite and PostgreSQL alike.

Every request body of the API derives from `Input`, and every id, version and
date in a path, query or body uses the types here, so that a value no
database column can hold is refused with a 422 problem naming its field before
any use case runs, never a 500 from the driver:

- **integers** are bounded by the column they meet: ids, sequence numbers and
  versions are `INTEGER` columns (32-bit on PostgreSQL), so `RowId`,
  `Sequence` and `Version` stop at 2³¹ − 1; any other integer of a body stops
  at the 64-bit signed range (SQLite's `OverflowError` beyond it);
- **dates** are `YYYY-MM-DD` text only (a number is not a date: pydantic would
  read `0` as 1970-01-01) and lie between `FIRST_DAY` and `LAST_DAY`, so that
  date arithmetic (a day's end, a shifted gate) stays within Python's range;
- **text** never holds the NUL character, which PostgreSQL cannot store
  (`Input` checks every string of a body, nested ones too; `refuse_nul_in_address`
  every path and query parameter of every route);
- **text as sent** keeps the limits the API document gives it: a body that strips
  surrounding whitespace (`str_strip_whitespace`) would otherwise take a title of
  300 tabs and 20 letters, or a key with a space before it, which its schema's
  `maxLength` or `pattern` refuses (the document's promise, kept to the letter).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from annotated_types import Ge, Le, MaxLen
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

INT32_MAX = 2**31 - 1  # ids, sequence numbers and versions are INTEGER columns
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
NUL_MESSAGE = "Value must not contain the NUL character (\\u0000)"
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

RowId = Annotated[int, Ge(1), Le(INT32_MAX)]
Version = Annotated[int, Ge(0), Le(INT32_MAX)]
Sequence = Annotated[int, Ge(0), Le(INT32_MAX)]


def _iso_day(value: Any) -> Any:
    """Only `YYYY-MM-DD` text (or a date) is a date; the range is checked here too, so
    that the error says so rather than that pydantic could not read the value."""
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and _ISO_DAY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date (YYYY-MM-DD)") from None
    else:
        raise ValueError("A date is written YYYY-MM-DD, e.g. 2027-09-01")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"A date lies between {FIRST_DAY} and {LAST_DAY}")
    return day


def iso_day(text: str) -> date:
    """A web form's date: `YYYY-MM-DD` in the range above, else ValueError (as
    `date.fromisoformat`, which the forms used, raises for a bad one)."""
    day: date = _iso_day(text.strip())
    return day


Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": _ISO_DAY.pattern,
            "description": f"YYYY-MM-DD, from {FIRST_DAY} to {LAST_DAY} (a number is no date).",
        }
    ),
]


def _check(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(NUL_MESSAGE)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError(f"Integer out of range ({INT64_MIN} to {INT64_MAX})")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key)
            _check(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check(item)


def _documented_pattern(field: FieldInfo) -> str | None:
    """The pattern the API document gives a text field: pydantic's own, or one only
    documented (`json_schema_extra`) and checked by the use case."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("pattern"), str):
        return str(extra["pattern"])
    for constraint in field.metadata:
        pattern = getattr(constraint, "pattern", None)
        if isinstance(pattern, str):
            return pattern
    return None


def _check_as_sent(field: FieldInfo, text: str) -> None:
    """`text`, before surrounding whitespace is stripped, within the field's documented
    `maxLength` and `pattern` (pydantic checks the stripped text, which may be shorter
    and match where the text as sent does not)."""
    for constraint in field.metadata:
        if isinstance(constraint, MaxLen) and len(text) > constraint.max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": constraint.max_length},
            )
    pattern = _documented_pattern(field)
    if pattern is not None and text != text.strip() and re.search(pattern, text) is None:
        raise PydanticCustomError(
            "string_pattern_mismatch",
            "String should match pattern '{pattern}'",
            {"pattern": pattern},
        )


class Input(BaseModel):
    """The base of every request body: unknown fields are errors, no string (in lists
    and dicts too) holds NUL, no integer leaves the 64-bit range, and a body that strips
    surrounding whitespace still holds each text as sent to its documented limits."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _as_documented(cls, value: Any, info: ValidationInfo) -> Any:
        if (
            isinstance(value, str)
            and info.field_name is not None
            and cls.model_config.get("str_strip_whitespace")
        ):
            _check_as_sent(cls.model_fields[info.field_name], value)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        _check(value)
        return value


def refuse_nul_in_address(request: Request) -> None:
    """An app-wide dependency: NUL in a path or query parameter is a 422 naming it."""
    errors: list[dict[str, Any]] = [
        {"loc": ("path", name), "msg": NUL_MESSAGE, "type": "value_error"}
        for name, value in request.path_params.items()
        if isinstance(value, str) and "\x00" in value
    ]
    errors += [
        {"loc": ("query", name), "msg": NUL_MESSAGE, "type": "value_error"}
        for name, value in request.query_params.multi_items()
        if "\x00" in name or "\x00" in value
    ]
    if errors:
        raise RequestValidationError(errors)
