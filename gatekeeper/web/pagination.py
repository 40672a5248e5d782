"""Cursor pagination for every list of the API.

A cursor is opaque to clients: pass `next_cursor` back as `cursor` to get the
next page. Lists of one project are small and read whole, so the cursor is a
position in the list's stable order (the audit log pages in the database).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated, TypeVar

from fastapi import Query

from gatekeeper.errors import ValidationFailed

T = TypeVar("T")
MAX_LIMIT = 500

Cursor = Annotated[
    str | None, Query(description="`next_cursor` of the previous page; leave out for the first.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    if not raw.startswith("o:") or not raw[2:].isdigit():
        raise ValidationFailed(
            "cursor är inte giltig; använd next_cursor från förra sidan.", field="cursor"
        )
    return int(raw[2:])


def paginate(items: Sequence[T], *, cursor: str | None, limit: int) -> tuple[list[T], str | None]:
    """One page of `items` and the cursor of the next page (None on the last)."""
    start = _decode(cursor) if cursor else 0
    page = list(items[start : start + limit])
    more = start + limit < len(items)
    return page, _encode(start + limit) if more else None
