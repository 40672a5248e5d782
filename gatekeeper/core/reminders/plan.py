"""The reminder planner: from a project as it stands to the notices it should send.

Pure: `plan(project, now=...)` takes a `ProjectState` of plain values and
returns `PlannedReminder`s; the service `gatekeeper.services.reminders.planning`
loads the state and keeps the database rows in step by `key`. A key says
what a notice is about, the date it hangs on and to whom it goes
(`deadline:item:123:2026-12-09:-14:anita.lindqvist@alingsas.se`), so
planning an unchanged project twice gives the same keys and moving a date
gives new ones. Reminders whose send day went by before anyone planned them (a
project entered after the fact, a member added late) are returned with
`late=True`: an existing row may still go out, but a new one is logged as
missed and never sent, so a project imported late does not get a pile of old
mails. The boundary is the day: a reminder due today is sent even if its hour
has passed; one due yesterday or earlier is missed (`Planner.missed`). Those
more than `FORGET_AFTER` (30 days) old are left out altogether.
The inputs are in `project_state`, the workbench in `planner`, and each
family of reminders in its own module (`deadline_reminders`,
`vote_reminders`, `meeting_reminders`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gatekeeper.core.reminders.deadline_reminders import (
    plan_communications,
    plan_conditions,
    plan_items,
)
from gatekeeper.core.reminders.meeting_reminders import plan_meetings
from gatekeeper.core.reminders.planner import (
    FORGET_AFTER,
    HORIZON_DAYS,
    PlannedReminder,
    Planner,
    days_sv,
)
from gatekeeper.core.reminders.project_state import (
    OpenCommunication,
    OpenCondition,
    OpenItem,
    OpenReview,
    Person,
    ProjectState,
)
from gatekeeper.core.reminders.vote_reminders import plan_reviews
from gatekeeper.core.status import ProjectStatus


@dataclass(frozen=True)
class Parts:
    """Which kinds of notice to plan: a change re-plans only what it touches."""

    items: bool = True
    conditions: bool = True
    reviews: bool = True
    meetings: bool = True
    communications: bool = True


ALL_PARTS = Parts()


def plan(
    project: ProjectState, *, now: datetime, parts: Parts = ALL_PARTS
) -> list[PlannedReminder]:
    """Every reminder (of the kinds in `parts`) the project should have now, sorted by key.

    With fewer `parts` the state need only hold what those parts read (the
    items of a few gates, say): each part plans from its own fields alone.
    """
    if project.status is not ProjectStatus.ACTIVE or project.final:
        return []
    planner = Planner(project, now)
    if parts.items:
        plan_items(planner)
    if parts.conditions:
        plan_conditions(planner)
    if parts.communications:
        plan_communications(planner)
    if parts.reviews:
        plan_reviews(planner)
    if parts.meetings:
        plan_meetings(planner)
    return sorted(planner.out.values(), key=lambda r: r.key)


__all__ = [
    "FORGET_AFTER",
    "HORIZON_DAYS",
    "OpenCommunication",
    "OpenCondition",
    "OpenItem",
    "OpenReview",
    "Person",
    "PlannedReminder",
    "ProjectState",
    "days_sv",
    "plan",
]
