"""What the risk and aktivitetsplan forms share: reading numbers and dates, and refusing.

A form field that is not a number or a date is refused here with the field
named, in the same words as the use case would; everything else is the use
case's to judge. `refusal` turns a refused change into the `FormProblem` the
page shows again: an error summary linking to the field, the posted values
kept (or, for a stale form, the record as it is now), and the status the API
would answer (`refusal_status`: 412 for a stale form, 403, 409…).
"""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

from gatekeeper.errors import GatekeeperError, StaleVersion, ValidationFailed
from gatekeeper.web.bounds import iso_day
from gatekeeper.web.i18n import N_
from gatekeeper.web.pages.forms import FormProblem, form_text

BAD_DATE = "Ange %(label)s som ÅÅÅÅ-MM-DD, t.ex. 2027-03-01."
# A diarienummer form (of a gate decision or a named decision) posted on a stale page.
STALE_DECISION = N_(
    "Beslutet har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se diarienumret som det är nu och försök igen."
)


def form_values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The posted text of each field (stripped), to show again if the form is refused."""
    return {name: form_text(form, name, strip=True) for name in names}


def form_fields(form: str, names: tuple[str, ...]) -> dict[str, str]:
    """Field name → the id of its control in the form `form` (e.g. add-risk-title)."""
    return {name: f"{form}-{name}" for name in names}


def form_score(value: str, *, field: str, label: str) -> int:
    """A 1–4 figure from a select; anything else is refused with the field named."""
    if not value.isdigit():
        raise ValidationFailed(f"{label} bedöms på en skala 1–4.", field=field)
    return int(value)


def form_date(value: str, *, field: str, label: str) -> date | None:
    """An ISO date from a date field ("" is no date)."""
    if not value:
        return None
    try:
        return iso_day(value)
    except ValueError:
        raise ValidationFailed(BAD_DATE % {"label": label}, field=field) from None


def form_version(form: FormData) -> int | None:
    """The row version the edit form was rendered with."""
    version = form_text(form, "row_version")
    return int(version) if version.isdigit() else None


def refusal(
    error: GatekeeperError,
    *,
    form: str,
    fields: dict[str, str],
    values: dict[str, str],
    stale_message: str,
) -> FormProblem:
    """The problem a refused form shows: the message next to the field it concerns."""
    if isinstance(error, StaleVersion):
        return FormProblem([(stale_message, next(iter(fields.values())))], {}, form)
    target = fields.get(getattr(error, "field", None) or "", next(iter(fields.values())))
    return FormProblem([(error.message, target)], values, form)
