"""Value types of the YAML documents that check themselves: clock times, time zones,
languages and countries, each refused with a sentence the author can act on.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from gatekeeper.core.reminders.business_calendar import COUNTRIES, is_time_zone
from gatekeeper.core.wording import LANGUAGES

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def definition_error(message: str) -> PydanticCustomError:
    """An error whose message is shown to the author exactly as written."""
    return PydanticCustomError("definition", "{message}", {"message": message})


def _check_clock_time(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the str schema reports the wrong type
    match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", value, flags=re.ASCII)
    if match is None:
        raise definition_error(f"'{value}' is not a time of day; write HH:MM such as 08:00")
    return value


def _check_time_zone(value: Any) -> Any:
    if isinstance(value, str) and not is_time_zone(value):
        raise definition_error(
            f"'{value}' is not an IANA time zone; write one such as Europe/Stockholm"
        )
    return value


def _check_language(value: Any) -> Any:
    if isinstance(value, str) and value not in LANGUAGES:
        raise definition_error(
            f"'{value}' is not a language gatekeeper writes; write {', '.join(LANGUAGES)}"
        )
    return value


def _check_country(value: Any) -> Any:
    if isinstance(value, str) and value not in COUNTRIES:
        raise definition_error(
            f"'{value}' is not a country with a business calendar; write {' or '.join(COUNTRIES)}"
        )
    return value


ClockTime = Annotated[
    str,
    BeforeValidator(_check_clock_time),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN}),
]
TimeZoneName = Annotated[str, BeforeValidator(_check_time_zone)]
LanguageCode = Annotated[
    str, BeforeValidator(_check_language), WithJsonSchema({"enum": list(LANGUAGES)})
]
CountryCode = Annotated[
    str, BeforeValidator(_check_country), WithJsonSchema({"enum": list(COUNTRIES)})
]
