"""The "Mål och nytta" pages: goals by kind, the nyttoregister, measurements and charts.

`GET /projects/{key}/goals` shows the effektmål, projektmål, delmål and
nyttor with the latest value against nuläge and målvärde, the next mätpunkt
and a chart (SVG drawn here, no JavaScript) with a table beside it, and for
the projektledare or an administrator a form to add a goal or a nytta.
`GET /projects/{key}/goals/{goal_key}` shows one goal with every
measurement against the previous one, its edit form and the form to record a
measurement. Each form posts to one use case (`services/followup`); a
refusal shows the page again with the field marked and nothing saved, a
stale edit answers 412, and anyone else is refused 403 by the use case.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gatekeeper.core.followup.goal import GOAL_KIND_SV, GoalKind, number_text
from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.followup import goal as goals
from gatekeeper.services.followup import measurement as measurements
from gatekeeper.services.followup.goal_fields import GoalFields, parse_points
from gatekeeper.services.followup.goal_view import goals_view
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.pages.projects.work_form import (
    form_date,
    form_fields,
    form_values,
    form_version,
    refusal,
)
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

GOAL_ADDED = N_("Målet är registrerat: %(title)s")
GOAL_SAVED = N_("Målet är sparat: %(title)s")
MEASUREMENT_ADDED = N_("Mätningen är registrerad: %(value)s den %(date)s")
STALE_GOAL = N_(
    "Målet har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur målet ser ut nu och gör din ändring igen."
)
BAD_KIND = "Välj effektmål, projektmål, delmål eller nytta."
BAD_DATE_MEASURED = "Ange mätdatumet som ÅÅÅÅ-MM-DD, t.ex. 2027-03-31."

GOAL_NAMES = (
    "kind",
    "title",
    "parent",
    "purpose",
    "indicator",
    "method",
    "unit",
    "numeric",
    "baseline",
    "baseline_on",
    "target",
    "target_on",
    "responsible",
    "organisation",
    "measure_points",
)
MEASUREMENT_NAMES = ("measured_on", "value", "source", "comment")


def goals_url(project_key: str, goal_key: str | None = None) -> str:
    """The goals page (or one goal's page) of a project."""
    url = f"/projects/{quote(project_key, safe='')}/goals"
    return url if goal_key is None else f"{url}/{quote(goal_key, safe='')}"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    *,
    goal_key: str | None = None,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    view = goals_view(ctx, project_key, page.principal.email)
    common: dict[str, Any] = {
        "view": view,
        "project": view.project,
        "problem": problem or FormProblem(),
        "kinds": [(kind.value, page.gettext(GOAL_KIND_SV[kind])) for kind in GoalKind],
        "kind_words": {kind.value: GOAL_KIND_SV[kind] for kind in GoalKind},
        "number": _signed,
        "today": view.today,
    }
    if goal_key is None:
        common["parents"] = _parents(page, view.parents())
        return page.render("goals.html", status_code=status_code, **common)
    entry = view.entry(goal_key)
    common["parents"] = _parents(page, view.parents(goal_key))
    return page.render("goal.html", status_code=status_code, entry=entry, **common)


def _parents(page: Page, parents: tuple[Any, ...]) -> list[tuple[str, str]]:
    return [("", page.gettext(N_("Inget (målet står för sig)")))] + [
        (goal.key, goal.title) for goal in parents
    ]


def _signed(value: float | None) -> str:
    """A change as +3,5 / −2 / ±0 (empty for none)."""
    if value is None:
        return ""
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + number_text(abs(value))


def _refused(
    page: Page,
    ctx: Context,
    project_key: str,
    error: GatekeeperError,
    *,
    form: str,
    names: tuple[str, ...],
    values: dict[str, str],
    goal_key: str | None = None,
) -> HTMLResponse:
    problem = refusal(
        error,
        form=form,
        fields=form_fields(form, names),
        values=values,
        stale_message=page.gettext(STALE_GOAL),
    )
    return _render(
        page,
        ctx,
        project_key,
        goal_key=goal_key,
        problem=problem,
        status_code=refusal_status(error),
    )


def _goal_fields(values: dict[str, str], form: FormData) -> GoalFields:
    try:
        kind = GoalKind(values["kind"])
    except ValueError:
        raise ValidationFailed(BAD_KIND, field="kind") from None
    return GoalFields(
        kind=kind,
        title=values["title"],
        purpose=values["purpose"],
        indicator=values["indicator"],
        method=values["method"],
        unit=values["unit"],
        numeric=form.get("numeric") == "yes",
        baseline=values["baseline"],
        baseline_on=form_date(values["baseline_on"], field="baseline_on", label="nulägets datum"),
        target=values["target"],
        target_on=form_date(values["target_on"], field="target_on", label="tidpunkten"),
        responsible=values["responsible"],
        organisation=values["organisation"],
        measure_points=parse_points(values["measure_points"]),
    )


@router.get("/projects/{project_key}/goals", response_class=HTMLResponse)
def goals_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> Response:
    return _render(page, ctx, access.project_key)


@router.get("/projects/{project_key}/goals/{goal_key}", response_class=HTMLResponse)
def goal_page(page: PageDep, ctx: ContextDep, access: WebProjectReader, goal_key: str) -> Response:
    return _render(page, ctx, access.project_key, goal_key=goal_key)


@router.post("/projects/{project_key}/goals", response_class=HTMLResponse)
def add_goal(page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard) -> Response:
    values = form_values(form, GOAL_NAMES)
    try:
        goal, _ = goals.add_goal(
            ctx,
            access.actor,
            project_key=access.project_key,
            fields=_goal_fields(values, form),
            parent=values["parent"] or None,
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(
            page, ctx, access.project_key, error, form="add-goal", names=GOAL_NAMES, values=values
        )
    page.flash(page.gettext(GOAL_ADDED, title=goal.title), kind="success")
    return page.redirect(goals_url(access.project_key, goal.key))


@router.post("/projects/{project_key}/goals/{goal_key}", response_class=HTMLResponse)
def edit_goal(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, goal_key: str
) -> Response:
    values = form_values(form, GOAL_NAMES)
    try:
        fields = _goal_fields(values, form)
        goal, _ = goals.update_goal(
            ctx,
            access.actor,
            project_key=access.project_key,
            key=goal_key,
            changes={name: getattr(fields, name) for name in GoalFields.__dataclass_fields__},
            parent=values["parent"] or None,
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            form="edit-goal",
            names=GOAL_NAMES,
            values=values,
            goal_key=goal_key,
        )
    page.flash(page.gettext(GOAL_SAVED, title=goal.title), kind="success")
    return page.redirect(goals_url(access.project_key, goal.key))


@router.post("/projects/{project_key}/goals/{goal_key}/measurements", response_class=HTMLResponse)
def add_measurement(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, goal_key: str
) -> Response:
    values = form_values(form, MEASUREMENT_NAMES)
    try:
        measured_on = form_date(values["measured_on"], field="measured_on", label="mätdatumet")
        if measured_on is None:
            raise ValidationFailed(BAD_DATE_MEASURED, field="measured_on")
        measurement = measurements.record_measurement(
            ctx,
            access.actor,
            project_key=access.project_key,
            goal=goal_key,
            measured_on=measured_on,
            value=values["value"],
            source=values["source"],
            comment=values["comment"],
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        if isinstance(error, ValidationFailed) and error.field == "goal":
            raise NotFound(error.message) from None
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            form="add-measurement",
            names=MEASUREMENT_NAMES,
            values=values,
            goal_key=goal_key,
        )
    page.flash(
        page.gettext(
            MEASUREMENT_ADDED, value=measurement.value, date=measurement.measured_on.isoformat()
        ),
        kind="success",
    )
    return page.redirect(goals_url(access.project_key, goal_key) + "#measurements-heading")
