"""The fields of a goal or nytta, checked once for the API and the forms.

Each check refuses with a Swedish sentence naming its field, before anything
is written: a text too long, a delmål above itself, a baseline or target that
is no number for a numeric indicator, a target date before the baseline date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from gatekeeper.core.followup.goal import GoalKind, number_text, parse_number
from gatekeeper.errors import ValidationFailed
from gatekeeper.services import validation

GOAL_KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,99}$"  # stated in the OpenAPI document
_KEY = re.compile(GOAL_KEY_PATTERN)
MAX_POINTS = 24


@dataclass(frozen=True)
class GoalFields:
    """Everything a person states about a goal or nytta (the key and parent aside)."""

    kind: GoalKind
    title: str
    purpose: str = ""
    indicator: str = ""
    method: str = ""
    unit: str = ""
    numeric: bool = True
    baseline: str = ""
    baseline_on: date | None = None
    target: str = ""
    target_on: date | None = None
    responsible: str = ""
    organisation: str = ""
    measure_points: tuple[date, ...] = ()


def checked(fields: GoalFields) -> GoalFields:
    """`fields` cleaned, or ValidationFailed naming the first field that is wrong."""
    try:
        kind = GoalKind(fields.kind)
    except ValueError:
        raise ValidationFailed(
            "Välj effektmål, projektmål, delmål eller nytta.", field="kind"
        ) from None
    label = "Nyttan" if kind is GoalKind.NYTTA else "Målet"
    out = replace(
        fields,
        kind=kind,
        title=validation.text(fields.title, field="title", label=label, max_length=500),
        purpose=_optional(fields.purpose, "purpose", "Syftet", 4000),
        indicator=_optional(fields.indicator, "indicator", "Mätetalet", 500),
        method=_optional(fields.method, "method", "Metoden", 4000),
        unit=_optional(fields.unit, "unit", "Enheten", 50),
        responsible=_optional(fields.responsible, "responsible", "Ansvarig", 200),
        organisation=_optional(fields.organisation, "organisation", "Organisationen", 300),
        baseline=_value(fields.baseline, "baseline", "Nuläget", numeric=fields.numeric),
        target=_value(fields.target, "target", "Målvärdet", numeric=fields.numeric),
        measure_points=tuple(sorted(set(fields.measure_points))),
    )
    if out.baseline_on and out.target_on and out.target_on < out.baseline_on:
        raise ValidationFailed(
            "Tidpunkten för målvärdet kan inte ligga före nulägets datum.", field="target_on"
        )
    if len(out.measure_points) > MAX_POINTS:
        raise ValidationFailed(f"Ange högst {MAX_POINTS} mätpunkter.", field="measure_points")
    return out


def _optional(value: str, field: str, label: str, max_length: int) -> str:
    return validation.text(value, field=field, label=label, max_length=max_length, required=False)


def _value(value: str, field: str, label: str, *, numeric: bool) -> str:
    cleaned = _optional(value, field, label, 200)
    if not cleaned or not numeric:
        return cleaned
    return measured_number(cleaned, field=field, label=label)


def measured_number(value: str, *, field: str, label: str) -> str:
    """A numeric indicator's value, normalised ("72,5"), or refused in words."""
    number = parse_number(value)
    if number is None:
        raise ValidationFailed(
            f"{label} ska vara ett tal, t.ex. 72 eller 72,5, eftersom mätetalet är numeriskt "
            f"(du skrev '{value}').",
            field=field,
        )
    return number_text(number)


def goal_key(value: str) -> str:
    """A goal key as criteria name it: a–z or a digit first, then a–z, digits, '-', '_'."""
    if not _KEY.match(value):
        raise ValidationFailed(
            "Nyckeln ska vara 1–100 tecken: små bokstäver a–z, siffror, '-' och '_', "
            "t.ex. dokumentation-ibic.",
            field="key",
        )
    return value


def key_from(title: str, taken: Iterable[str]) -> str:
    """A key made from the title (å, ä, ö as a, a, o), unique among `taken`."""
    plain = unicodedata.normalize("NFKD", title.casefold())
    ascii_only = "".join(c for c in plain if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:60].strip("-") or "mal"
    used = set(taken)
    key, n = slug, 2
    while key in used:
        key, n = f"{slug}-{n}", n + 1
    return key


def parse_points(text: str) -> tuple[date, ...]:
    """Mätpunkter written as ISO dates separated by commas, spaces or new lines."""
    points = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
                raise ValueError(part)
            points.append(date.fromisoformat(part))
        except ValueError:
            raise ValidationFailed(
                f"Mätpunkterna ska vara datum som ÅÅÅÅ-MM-DD, t.ex. 2028-03-01 (inte '{part}').",
                field="measure_points",
            ) from None
    return tuple(points)
