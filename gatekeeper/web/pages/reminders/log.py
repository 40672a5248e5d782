"""The "Försök igen" form of the project page's Påminnelser section.

The section (`services/reminders/log.reminder_section_in`) lists the
reminders still to go out (soonest first), the failed ones with their last
error, and how many failed in all. The projektledare (or
an administrator) gets a "Försök igen" button per failed reminder, which puts
it back in the queue (`services.reminder_log.requeue`) and comes back to the
section with a message; anyone else is refused by the use case (403 page).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import Conflict
from gatekeeper.services.reminders import log as reminder_log
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

REQUEUED = N_("Påminnelsen skickas igen: %(title)s")


@router.post("/projects/{project_key}/reminders/{reminder_id}/requeue", response_class=HTMLResponse)
def requeue(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, reminder_id: RowId
) -> Response:
    back = f"/projects/{quote(access.project_key, safe='')}#reminders-heading"
    try:
        reminder = reminder_log.requeue(
            ctx, access.actor, project_key=access.project_key, reminder_id=reminder_id
        )
    except Conflict as error:  # already requeued (by someone else): say so, change nothing
        page.flash(error.message, kind="error")
        return page.redirect(back)
    page.flash(page.gettext(REQUEUED, title=reminder.title), kind="success")
    return page.redirect(back)
