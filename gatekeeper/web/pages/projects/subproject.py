"""Linking delprojekt from the parent's project page.

`POST /projects/{key}/subprojects` makes the chosen project (`child`) a
delprojekt of this one, handing over to `receiving_unit`;
`POST /projects/{key}/subprojects/{child}/unlink` makes it a project of its
own again. Both call `services.projects.subproject.set_parent` (the same as
`PUT /api/v1/projects/{child}/parent`). A refused link (a cycle, an unknown
project) shows the project page again with the form's field marked and
nothing saved; anyone but the projektledare of the projects involved or an
administrator is refused 403 by the use case.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import GatekeeperError, PermissionDenied
from gatekeeper.services.projects import subproject as subprojects
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.pages.forms import refusal_status
from gatekeeper.web.pages.projects.project import render_project
from gatekeeper.web.pages.projects.work_form import form_values, refusal
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

LINKED = N_("%(child)s är nu delprojekt i %(parent)s.")
UNLINKED = N_("%(child)s är inte längre delprojekt i %(parent)s.")
STALE = N_("Projektet har ändrats av någon annan. Ingenting har sparats: försök igen.")
_FORM = "add-subproject"
_FIELDS = {
    "child": f"{_FORM}-child",
    "parent": f"{_FORM}-child",
    "receiving_unit": f"{_FORM}-receiving_unit",
}


def _back(project_key: str) -> str:
    return f"/projects/{quote(project_key, safe='')}#subprojects-heading"


@router.post("/projects/{project_key}/subprojects", response_class=HTMLResponse)
def link_subproject(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard
) -> Response:
    values = form_values(form, ("child", "receiving_unit"))
    try:
        family = subprojects.set_parent(
            ctx,
            access.actor,
            project_key=values["child"],
            parent_key=access.project_key,
            receiving_unit=values["receiving_unit"],
        )
    except PermissionDenied:
        raise
    except GatekeeperError as error:  # an unknown child is the form's field too
        problem = refusal(
            error, form=_FORM, fields=_FIELDS, values=values, stale_message=page.gettext(STALE)
        )
        return render_project(page, ctx, access, problem=problem, status_code=refusal_status(error))
    parent = family.parent.name if family.parent else access.project_key
    page.flash(page.gettext(LINKED, child=family.project.name, parent=parent), kind="success")
    return page.redirect(_back(access.project_key))


@router.post("/projects/{project_key}/subprojects/{child_key}/unlink", response_class=HTMLResponse)
def unlink_subproject(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, child_key: str
) -> Response:
    family = subprojects.unlink(
        ctx, access.actor, project_key=child_key, parent_key=access.project_key
    )
    page.flash(
        page.gettext(UNLINKED, child=family.project.name, parent=access.project_key),
        kind="success",
    )
    return page.redirect(_back(access.project_key))
