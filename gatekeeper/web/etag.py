"""ETags of versioned resources: `"<row_version>"`, checked by `If-Match`."""

from __future__ import annotations

from fastapi import Response

from gatekeeper.errors import ValidationFailed


def etag_of(row_version: int) -> str:
    return f'"{row_version}"'


def set_etag(response: Response, row_version: int) -> None:
    response.headers["ETag"] = etag_of(row_version)


def parse_etag(header: str) -> int:
    """The version in `If-Match: "7"` (or `W/"7"`); a malformed value is a 422."""
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationFailed(
            f'If-Match ska vara en ETag som fåtts från API:et, t.ex. "3", inte {header!r}.',
            field="If-Match",
        )
    return int(value)
