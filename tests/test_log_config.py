"""Structured logs: GATEKEEPER_LOG_FORMAT=json makes every log line one JSON object
with time, level, logger and message (and the access log's fields), text stays text."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

from gatekeeper.log_config import JsonFormatter, log_config

SCRIPT = """
import logging, logging.config
from gatekeeper.log_config import log_config
logging.config.dictConfig(log_config("info", "{fmt}"))
scheduler = logging.getLogger("gatekeeper.scheduler")
scheduler.info("vm:1 runs the scheduled jobs", extra={{"worker": "vm:1"}})
scheduler.debug("not at info")
logging.getLogger("uvicorn.access").info(
    '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/api/v1/health", "1.1", 200
)
"""


def logged(fmt: str) -> list[str]:
    """The lines a process configured by log_config writes to standard error."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(fmt=fmt)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stderr.splitlines()


def test_json_logs_are_one_object_a_line() -> None:
    lines = logged("json")

    assert len(lines) == 2  # the debug line is below the level
    first, access = (json.loads(line) for line in lines)
    assert {key: first[key] for key in ("level", "logger", "message", "worker")} == {
        "level": "info",
        "logger": "gatekeeper.scheduler",
        "message": "vm:1 runs the scheduled jobs",
        "worker": "vm:1",
    }
    assert first["time"].endswith("+00:00")
    assert {key: access[key] for key in ("logger", "method", "path", "status")} == {
        "logger": "uvicorn.access",
        "method": "GET",
        "path": "/api/v1/health",
        "status": 200,
    }


def test_text_logs_stay_text() -> None:
    lines = logged("text")

    assert len(lines) == 2
    assert "INFO gatekeeper.scheduler: vm:1 runs the scheduled jobs" in lines[0]
    assert not lines[0].startswith("{")


def test_an_exception_is_one_line_with_its_traceback() -> None:
    try:
        raise ValueError("trasig")
    except ValueError:
        error = sys.exc_info()
    record = logging.makeLogRecord(
        {"name": "gatekeeper.web", "levelname": "ERROR", "msg": "failed", "exc_info": error}
    )
    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert "ValueError: trasig" in json.loads(line)["exception"]


def test_the_config_names_every_logger_once() -> None:
    config = log_config("warning", "json")

    assert set(config["loggers"]) == {"uvicorn", "uvicorn.access", "uvicorn.error", "gatekeeper"}
    assert config["loggers"]["gatekeeper"]["level"] == "WARNING"
