"""Meeting reminders: notices before the styrgrupp's recurring meetings and the
follow-up meetings after handover, planned `HORIZON_DAYS` ahead.
"""

from __future__ import annotations

from datetime import timedelta

from gatekeeper.core.reminders.planner import FORGET_AFTER, HORIZON_DAYS, Planner, unique
from gatekeeper.core.reminders.policy import meetings_between
from gatekeeper.core.wording import date_da, date_en, date_sv


def plan_meetings(planner: Planner) -> None:
    """Notices before each recurring or follow-up meeting in the planning window."""
    today = planner.today()
    project = planner.project
    notice = {c.id: c.notice_days for c in planner.policy.cadence}
    for meeting in meetings_between(
        planner.policy,
        started_on=project.started_on,
        phase_entries=project.phase_entries,
        current_phase=project.phase,
        start=today - FORGET_AFTER,
        end=today + timedelta(days=HORIZON_DAYS),
        final_phases=project.final_phases,
    ):
        people = unique(p for role in meeting.roles for p in planner.role(role))
        for days in notice[meeting.cadence_id]:
            for person in people:
                due_at = planner.on_day(meeting.on - timedelta(days=days), person)
                on = meeting.on.isoformat()
                planner.add(
                    planner.make(
                        key=f"meeting:{project.key}:{meeting.cadence_id}:{on}:-{days}:"
                        f"{person.email}",
                        kind="meeting",
                        person=person,
                        subject=("meeting", f"{meeting.cadence_id}:{on}"),
                        title=f"{meeting.name} {date_sv(meeting.on)}",
                        lines=[
                            f"{meeting.name} i projektet {project.name} hålls "
                            f"{date_sv(meeting.on)}.",
                        ],
                        title_en=f"{meeting.name} {date_en(meeting.on)}",
                        lines_en=[
                            f"{meeting.name} in the project {project.name} is held on "
                            f"{date_en(meeting.on)}.",
                        ],
                        title_da=f"{meeting.name} {date_da(meeting.on)}",
                        lines_da=[
                            f"{meeting.name} i projektet {project.name} afholdes den "
                            f"{date_da(meeting.on)}.",
                        ],
                        link=f"/projects/{project.key}",
                        due_at=due_at,
                        late=planner.missed(due_at, person),
                        meeting_on=on,
                        cadence_id=meeting.cadence_id,
                        level=-days,
                    )
                )
