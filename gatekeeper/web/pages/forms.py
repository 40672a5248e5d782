"""Posted forms on pages: what went wrong, a field's text, and the status of a refusal.

A page that refuses a form shows itself again with an error summary that links
to the fields concerned (`FormProblem`) and answers with the status the API
would give for the same error: `refusal_status` reads the one error table in
`gatekeeper.web.problem`, so a stale form is 412 and a conflict 409 everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData

from gatekeeper.errors import GatekeeperError
from gatekeeper.web.problem import status_of


@dataclass
class FormProblem:
    """What went wrong with a posted form: the messages and the fields they concern."""

    errors: list[tuple[str, str]] = field(default_factory=list)  # (message, field id)
    values: dict[str, str] = field(default_factory=dict)  # what was posted, shown again
    form: str = ""  # which form on the page, e.g. item-<c>-<i>, vote, add-unit
    rows: list[str] = field(default_factory=list)  # an import's bad rows


def form_text(form: FormData, name: str, *, strip: bool = False) -> str:
    """A text field of the form ("" when it is missing or a file)."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.strip() if strip else value


def refusal_status(error: GatekeeperError) -> int:
    """The status a page answers with when it shows a refused form again."""
    return status_of(error)
