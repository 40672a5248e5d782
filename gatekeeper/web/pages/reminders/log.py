"""The project page's Påminnelser section, and its "Försök igen" form for failed reminders.

The section lists the reminders still to go out (soonest first), the failed
ones with their last error, and how many failed in all. The projektledare (or
an administrator) gets a "Försök igen" button per failed reminder, which puts
it back in the queue (`services.reminder_log.requeue`) and comes back to the
section with a message; anyone else is refused by the use case (403 page).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.status import ReminderStatus
from gatekeeper.errors import Conflict
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import log as reminder_log
from gatekeeper.store.reminders.tables import Reminder
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.schemas.reminders import RowId
from gatekeeper.web.sessions import WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

UPCOMING_SHOWN = 10
FAILED_SHOWN = 20
REQUEUED = N_("Påminnelsen skickas igen: %(title)s")


@dataclass(frozen=True)
class ReminderSection:
    """What the project page shows of its reminders."""

    upcoming: tuple[Reminder, ...]
    failed: tuple[Reminder, ...]
    failed_count: int
    may_requeue: bool


def reminder_section(ctx: Context, project_key: str, viewer: str) -> ReminderSection:
    """The section's content for `viewer` (an e-mail address)."""
    failed, _more = reminder_log.list_reminders(
        ctx, project_key, status=ReminderStatus.FAILED, limit=FAILED_SHOWN
    )
    return ReminderSection(
        upcoming=tuple(reminder_log.upcoming(ctx, project_key, limit=UPCOMING_SHOWN)),
        failed=tuple(failed),
        failed_count=reminder_log.status_counts(ctx, project_key)[ReminderStatus.FAILED],
        may_requeue=reminder_log.may_requeue(ctx, project_key, viewer),
    )


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
