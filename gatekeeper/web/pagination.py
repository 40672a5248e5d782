"""Cursor pagination for every list of the API.

A cursor is opaque to clients: pass `next_cursor` back as `cursor` to get the
next page. Lists of one project are small and read whole, so the cursor is a
position in the list's stable order; the lists that page in the database (the
audit log, reminders, webhook deliveries) use a row's id or sequence number,
read by `id_cursor`. Either is bounded (`web/bounds`): a cursor that is not one
of ours is a 422 naming `cursor`, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Annotated, TypeVar

from fastapi import Query

from gatekeeper.errors import ValidationFailed
from gatekeeper.web.bounds import INT32_MAX

T = TypeVar("T")
MAX_LIMIT = 500

CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
Cursor = Annotated[
    str | None,
    Query(
        description="`next_cursor` of the previous page, as it was given (opaque: URL-safe "
        "letters, digits, `-` and `_`); leave out for the first page.",
        pattern=CURSOR_PATTERN,
    ),
]
_DIGITS = re.compile(r"^[0-9]{1,10}$")
_BAD_CURSOR = "cursor är inte giltig; använd next_cursor från förra sidan."

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    if not raw.startswith("o:") or not _DIGITS.match(raw[2:]) or int(raw[2:]) > INT32_MAX:
        raise ValidationFailed(_BAD_CURSOR, field="cursor")
    return int(raw[2:])


def id_cursor(cursor: str | None) -> int | None:
    """The row id or sequence number a database-paged list's cursor names (None: none)."""
    if cursor is None:
        return None
    if not _DIGITS.match(cursor) or int(cursor) > INT32_MAX:
        raise ValidationFailed(_BAD_CURSOR, field="cursor")
    return int(cursor)


def paginate(items: Sequence[T], *, cursor: str | None, limit: int) -> tuple[list[T], str | None]:
    """One page of `items` and the cursor of the next page (None on the last)."""
    start = _decode(cursor) if cursor else 0
    page = list(items[start : start + limit])
    more = start + limit < len(items)
    return page, _encode(start + limit) if more else None
