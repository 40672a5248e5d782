"""How `gatekeeper serve` writes its logs: plain text lines, or one JSON object a line.

`log_config(level, format)` is the `logging.config.dictConfig` mapping handed to
uvicorn (which applies it in every worker process): uvicorn's own loggers (its
error log and the access log, whose paths `web/redaction` strips of
credentials) and gatekeeper's (`gatekeeper.*`) write to standard error at
`level`. With `format="json"` each record is one line a log shipper reads
without patterns: `time` (UTC, ISO 8601), `level`, `logger`, `message`, the
process id, the access log's fields (`client`, `method`, `path`, `status`)
when it is an access record, any `extra` fields a call passed (such as the
dispatcher's `worker`), and `exception` with the traceback text.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# LogRecord's own attributes: whatever else a record carries came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}
_ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            entry.update(zip(_ACCESS_FIELDS, record.args, strict=False))
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_config(level: str, log_format: LogFormat) -> dict[str, Any]:
    """The dictConfig for uvicorn and gatekeeper's loggers at `level` in `log_format`."""
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"} if log_format == "json" else {"format": TEXT_FORMAT}
    )
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"gatekeeper": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "gatekeeper",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            name: {"handlers": ["stderr"], "level": upper, "propagate": False}
            for name in ("uvicorn", "uvicorn.access", "gatekeeper")
        }
        | {"uvicorn.error": {"level": upper}},  # through "uvicorn"'s handler
    }
