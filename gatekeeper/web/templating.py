"""The Jinja2 environment of the web pages: autoescaping, Swedish date filters."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def datum(value: date | datetime | None) -> str:
    """'25 november 2026' (a datetime is shown in Swedish time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(STOCKHOLM).date()
    return f"{value.day} {MONTHS_SV[value.month - 1]} {value.year}"


def isodatum(value: str | datetime | None) -> str:
    """'2026-11-25 10:00' in Swedish time, from a datetime or an ISO string."""
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gatekeeper.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["datum"] = datum
    env.filters["isodatum"] = isodatum
    return env
