"""The risk page of a project: the risks by score, and the forms to add and edit them.

`GET /projects/{key}/risks` lists the risks highest score first (sannolikhet ×
konsekvens, 1–4 each) and, for the projektledare or an administrator, a form
to add one; `GET /projects/{key}/risks/{id}` shows one risk with its edit form
(titel, beskrivning, sannolikhet, konsekvens, åtgärd, ansvarig chosen among
the project's members, status: open, closed or accepted). Each form posts to
its page's address and calls one use case (`services.projects.risk`); a
refusal shows the page again with the field marked and nothing saved, a stale
edit answers 412 with the risk as it is now, and anyone else is refused 403
by the use case. Works without JavaScript.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.status import RiskStatus
from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.services.projects.work_view import work_view
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.labels import RISK as RISK_LABELS
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.pages.projects.project import BAND_WORDS, CONSEQUENCE, PROBABILITY, band
from gatekeeper.web.pages.projects.work_form import (
    form_fields,
    form_score,
    form_values,
    form_version,
    refusal,
)
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

RISK_ADDED = N_("Risken är registrerad: %(title)s")
RISK_SAVED = N_("Risken är sparad: %(title)s")
STALE_RISK = N_(
    "Risken har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur risken ser ut nu och gör din ändring igen."
)
BAD_STATUS = "Välj Öppen, Hanterad eller Accepterad."
NO_OWNER = N_("Ingen vald")

NAMES = ("title", "description", "probability", "consequence", "mitigation", "owner", "status")


def risks_url(project_key: str, risk_id: int | None = None) -> str:
    """The risk page (or one risk's page) of a project."""
    url = f"/projects/{quote(project_key, safe='')}/risks"
    return url if risk_id is None else f"{url}/{risk_id}"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    *,
    risk_id: int | None = None,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    view = work_view(ctx, project_key, page.principal.email)
    common: dict[str, Any] = {
        "view": view,
        "project": view.project,
        "problem": problem or FormProblem(),
        "band": band,
        "band_words": BAND_WORDS,
        "probability_words": PROBABILITY,
        "consequence_words": CONSEQUENCE,
        "probabilities": _scores(page, PROBABILITY),
        "consequences": _scores(page, CONSEQUENCE),
        "statuses": [(s.value, page.gettext(RISK_LABELS[s.value])) for s in RiskStatus],
    }
    risk = view.risk(risk_id) if risk_id is not None else None
    common["owners"] = owner_choices(page, view.member_names, risk.owner if risk else "")
    if risk is None:
        return page.render("risks.html", status_code=status_code, **common)
    return page.render("risk.html", status_code=status_code, risk=risk, **common)


def _refused(
    page: Page,
    ctx: Context,
    project_key: str,
    error: GatekeeperError,
    *,
    form: str,
    values: dict[str, str],
    risk_id: int | None = None,
) -> HTMLResponse:
    """The page again with the refused form's fields marked (`form`: add-risk or edit-risk)."""
    problem = refusal(
        error,
        form=form,
        fields=form_fields(form, NAMES),
        values=values,
        stale_message=page.gettext(STALE_RISK),
    )
    return _render(
        page, ctx, project_key, risk_id=risk_id, problem=problem, status_code=refusal_status(error)
    )


def owner_choices(page: Page, names: tuple[str, ...], current: str) -> list[tuple[str, str]]:
    """Ansvarig as a choice among the members' names (and the stored name if it is no member's)."""
    choices = [("", page.gettext(NO_OWNER)), *((name, name) for name in names)]
    if current and current not in names:
        choices.append((current, current))
    return choices


def _scores(page: Page, words: dict[int, str]) -> list[tuple[int, str]]:
    return [(n, f"{n} – {page.gettext(word)}") for n, word in words.items()]


@router.get("/projects/{project_key}/risks", response_class=HTMLResponse)
def risks_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> Response:
    return _render(page, ctx, access.project_key)


@router.get("/projects/{project_key}/risks/{risk_id}", response_class=HTMLResponse)
def risk_page(page: PageDep, ctx: ContextDep, access: WebProjectReader, risk_id: RowId) -> Response:
    return _render(page, ctx, access.project_key, risk_id=risk_id)


@router.post("/projects/{project_key}/risks", response_class=HTMLResponse)
def add_risk(page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard) -> Response:
    values = form_values(form, NAMES)
    try:
        risk = risks.add_risk(
            ctx,
            access.actor,
            project_key=access.project_key,
            title=values["title"],
            description=values["description"],
            probability=form_score(
                values["probability"], field="probability", label="Sannolikheten"
            ),
            consequence=form_score(
                values["consequence"], field="consequence", label="Konsekvensen"
            ),
            mitigation=values["mitigation"],
            owner=values["owner"],
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(page, ctx, access.project_key, error, form="add-risk", values=values)
    page.flash(page.gettext(RISK_ADDED, title=risk.title), kind="success")
    return page.redirect(risks_url(access.project_key) + f"#risk-{risk.id}")


@router.post("/projects/{project_key}/risks/{risk_id}", response_class=HTMLResponse)
def edit_risk(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, risk_id: RowId
) -> Response:
    values = form_values(form, NAMES)
    try:
        try:
            status = RiskStatus(values["status"])
        except ValueError:
            raise ValidationFailed(BAD_STATUS, field="status") from None
        risk = risks.update_risk(
            ctx,
            access.actor,
            project_key=access.project_key,
            risk_id=risk_id,
            title=values["title"],
            description=values["description"],
            probability=form_score(
                values["probability"], field="probability", label="Sannolikheten"
            ),
            consequence=form_score(
                values["consequence"], field="consequence", label="Konsekvensen"
            ),
            mitigation=values["mitigation"],
            owner=values["owner"],
            status=status,
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(
            page, ctx, access.project_key, error, form="edit-risk", values=values, risk_id=risk_id
        )
    page.flash(page.gettext(RISK_SAVED, title=risk.title), kind="success")
    return page.redirect(risks_url(access.project_key) + f"#risk-{risk.id}")
