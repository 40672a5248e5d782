"""Small checks of user input shared by the use cases, each with a clear sentence."""

from __future__ import annotations

import re

from gatekeeper.errors import ValidationFailed

PROJECT_KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$"  # stated in the OpenAPI document
_KEY = re.compile(PROJECT_KEY_PATTERN)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def project_key(value: str) -> str:
    if not _KEY.match(value):
        raise ValidationFailed(
            "Projektnyckeln ska vara 3–64 tecken: små bokstäver a–z, siffror och bindestreck, "
            "t.ex. ibic-alingsas.",
            field="key",
        )
    return value


def text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    if "\x00" in value:  # PostgreSQL cannot store it; a form may still send it
        raise ValidationFailed(f"{label} innehåller ett otillåtet tecken (NUL).", field=field)
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationFailed(f"{label} får inte vara tom.", field=field)
    if len(cleaned) > max_length:
        raise ValidationFailed(f"{label} får vara högst {max_length} tecken.", field=field)
    return cleaned


def email(value: str, *, field: str = "email") -> str:
    cleaned = value.strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 320:
        raise ValidationFailed(f"'{value}' är ingen giltig e-postadress.", field=field)
    return cleaned


def score(value: int, *, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise ValidationFailed(f"{label} bedöms på en skala 1–4.", field=field)
    return value
