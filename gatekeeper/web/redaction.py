"""Credentials out of the logs: request paths and URLs as they may be written down.

Two of gatekeeper's addresses carry a credential in the path: a calendar feed
(`/calendar/<token>.ics`, fetched without login) and a password link
(`/password/<token>`). A query may carry one too (`?token=…`, `?key=…`), and
a URL its user and password (`https://user:secret@host/`). `redact` replaces
each with `[redacted]`; `AccessLogRedaction` does so in every line of the
server's access log (uvicorn's `uvicorn.access` logger, whose third argument
is the path with its query), and the error handlers log paths through
`redact` too.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
ACCESS_LOGGER = "uvicorn.access"
_PATH_SECRETS = (
    (re.compile(r"(/calendar/)[^/?#]+(\.ics)"), rf"\1{REDACTED}\2"),
    (re.compile(r"(/password/)(?!forgotten(?:[/?#]|$))[^/?#]+"), rf"\1{REDACTED}"),
)
_QUERY_SECRET = re.compile(
    r"([?&](?:token|key|secret|password|passwd|api_key|apikey|access_token|sig|signature)=)"
    r"[^&#\s\"]*",
    re.I,
)
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/@\s\"]+@", re.I)


def redact(text: str) -> str:
    """`text` (a path, a URL, a log line) with every credential we know of replaced."""
    for pattern, replacement in _PATH_SECRETS:
        text = pattern.sub(replacement, text)
    text = _QUERY_SECRET.sub(rf"\1{REDACTED}", text)
    return _USERINFO.sub(rf"\1{REDACTED}@", text)


class AccessLogRedaction(logging.Filter):
    """Rewrites the path of an access log record (and any text argument) through `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str) and not record.args:
            record.msg = redact(record.msg)
        return True


def install_access_log_redaction() -> None:
    """Put the filter on the access logger once (a server may build several apps)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, AccessLogRedaction) for f in logger.filters):
        logger.addFilter(AccessLogRedaction())
