"""A webhook URL as shown to people who may only read: where it goes, not its credentials.

Chat and automation tools put the credential of a webhook in its URL: in the
path (`/services/T000/B000/<secret>`), in the query (`?key=…`) or, before
gatekeeper refused it, as `user:password@`. Readers of a project see the
scheme, host and port, the first path segment and the query's names; the
rest is masked. `redacted` takes the same parts out of any text (an error
message) before it is logged or stored.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

MASK = "***"


def masked_url(url: str) -> str:
    """`https://hooks.example.se/services/***?key=***` for `…/services/T0/B0/x?key=abc`."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    segments = parts.path.split("/")
    path = "/".join(segments[:2]) + ("/" + MASK if len([s for s in segments[2:] if s]) else "")
    query = "&".join(f"{name}={MASK}" for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    return f"{parts.scheme}://{host}{path}" + (f"?{query}" if query else "")


def redacted(text: str, url: str) -> str:
    """`text` without the URL's user name, password, masked path and query values."""
    parts = urlsplit(url)
    secrets = {url, parts.netloc.rpartition("@")[0], parts.password or "", parts.query}
    secrets |= {value for _, value in parse_qsl(parts.query, keep_blank_values=True)}
    secrets |= {segment for segment in parts.path.split("/")[2:] if segment}
    for secret in sorted((s for s in secrets if len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
