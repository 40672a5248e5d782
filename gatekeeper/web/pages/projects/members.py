"""The members page (`/projects/{key}/members`): who holds which role, and their ersättare.

Everyone who sees the project reads the list (names and role labels). Admins
and the projektledare (the roles the workflow lets manage members) also get
the forms: add a member (name, e-mail, role, optionally ersättare for a
member), change a role, remove. Adding someone without an account makes one
and sends an invitation to set a password (`services/onboarding`). A refused
form shows the page again with the field marked; others are refused with 403
by the use case.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import GatekeeperError
from gatekeeper.services import onboarding
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects.member_view import members_view
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep, PostboxDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

ADDED_INVITED = N_(
    "%(name)s är tillagd. En inbjudan med en länk för att välja lösenord är skickad."
)
ADDED_NOT_SENT = N_(
    "%(name)s är tillagd, men inbjudan kunde inte skickas med e-post. Be personen använda "
    "”Glömt lösenordet?” på inloggningssidan."
)
ADDED = N_("%(name)s är tillagd.")
CHANGED = N_("Rollen är ändrad.")
REMOVED = N_("%(name)s har inte längre rollen %(role)s.")
ADD_FIELDS = {
    "name": "member-name",
    "email": "member-email",
    "role": "member-role",
    "substitute_for": "member-substitute",
}


def members_url(project_key: str) -> str:
    return f"/projects/{project_key}/members"


def _render(
    page: Page,
    ctx: ContextDep,
    project_key: str,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    view = members_view(ctx, page.principal, project_key)
    return page.render(
        "members.html",
        status_code=status_code,
        view=view,
        project=view.project,
        problem=problem or FormProblem(),
    )


@router.get("/projects/{project_key}/members", response_class=HTMLResponse)
def members_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> HTMLResponse:
    return _render(page, ctx, access.project_key)


@router.post("/projects/{project_key}/members", response_class=HTMLResponse)
def add_member(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectWriter,
    postbox: PostboxDep,
    form: FormGuard,
) -> Response:
    values = {name: form_text(form, name, strip=True) for name in ADD_FIELDS}
    try:
        done = onboarding.add_member(
            ctx,
            access.principal,
            project_key=access.project_key,
            name=values["name"],
            email=values["email"],
            role=values["role"],
            substitute_for=values["substitute_for"] or None,
            letters=postbox.letters,
            base_url=postbox.base_url,
        )
    except GatekeeperError as error:
        if refusal_status(error) == 403:
            raise
        field = ADD_FIELDS.get(getattr(error, "field", None) or "", "member-email")
        problem = FormProblem([(error.message, field)], values, "add-member")
        return _render(page, ctx, access.project_key, problem, refusal_status(error))
    message = ADDED_INVITED if done.invitation_sent else ADDED_NOT_SENT if done.invited else ADDED
    page.flash(page.gettext(message, name=done.member.name), kind="success")
    return page.redirect(members_url(access.project_key))


@router.post("/projects/{project_key}/members/role", response_class=HTMLResponse)
def change_role(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard
) -> Response:
    email, role = form_text(form, "email"), form_text(form, "role")
    new_role = form_text(form, "new_role")
    try:
        members.change_role(
            ctx,
            access.actor,
            project_key=access.project_key,
            email=email,
            role=role,
            new_role=new_role,
            manager=access.principal,
        )
    except GatekeeperError as error:
        if refusal_status(error) == 403:
            raise
        target = f"role-{email}-{role}"
        problem = FormProblem([(error.message, target)], {"new_role": new_role}, target)
        return _render(page, ctx, access.project_key, problem, refusal_status(error))
    page.flash(page.gettext(CHANGED), kind="success")
    return page.redirect(members_url(access.project_key))


@router.post("/projects/{project_key}/members/remove", response_class=HTMLResponse)
def remove_member(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard
) -> Response:
    email, role = form_text(form, "email"), form_text(form, "role")
    name, role_name = form_text(form, "name"), form_text(form, "role_name")
    try:
        members.remove_member(
            ctx,
            access.actor,
            project_key=access.project_key,
            email=email,
            role=role,
            manager=access.principal,
        )
    except GatekeeperError as error:
        if refusal_status(error) == 403:
            raise
        problem = FormProblem([(error.message, "members-table")], {}, "remove")
        return _render(page, ctx, access.project_key, problem, refusal_status(error))
    page.flash(page.gettext(REMOVED, name=name, role=role_name), kind="success")
    return page.redirect(members_url(access.project_key))
