"""The read of the risk and aktivitetsplan pages: the lists, the people, and who may edit.

`work_view` gathers, in one read transaction, the project's risks (highest
score first), its aktivitetsplan (date order), the names of its members (the
choices for ansvarig, which is stored as a name, as the seeds write it) and
whether the viewer may change them (the projektledare or an administrator).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.activity import list_activities_in
from gatekeeper.services.projects.leader import may_lead_in
from gatekeeper.services.projects.risk import list_risks_in
from gatekeeper.store.projects.tables import Activity, Project, ProjectMember, Risk


@dataclass(frozen=True)
class WorkView:
    """What the risk and aktivitetsplan pages show one viewer."""

    project: Project
    today: date
    member_names: tuple[str, ...]  # each member once, in Swedish order
    may_edit: bool
    risks: tuple[Risk, ...]  # highest score first
    activities: tuple[Activity, ...]  # date order, undated last

    def risk(self, risk_id: int) -> Risk:
        """One risk of the project (NotFound when it is not the project's)."""
        for risk in self.risks:
            if risk.id == risk_id:
                return risk
        raise NotFound(f"Risken {risk_id} finns inte i projektet {self.project.name}.")

    def activity(self, activity_id: int) -> Activity:
        """One activity of the project (NotFound when it is not the project's)."""
        for activity in self.activities:
            if activity.id == activity_id:
                return activity
        raise NotFound(f"Aktiviteten {activity_id} finns inte i projektet {self.project.name}.")


def work_view(ctx: Context, project_key: str, viewer: str) -> WorkView:
    """The project's risks and aktivitetsplan as `viewer` (an e-mail address) sees them."""
    today = ctx.today()
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        names = session.exec(
            select(ProjectMember.name).where(ProjectMember.project_id == project.id)
        ).all()
        return WorkView(
            project=project,
            today=today,
            member_names=tuple(sorted(set(names), key=swedish_sort_key)),
            may_edit=may_lead_in(session=session, project=project, email=viewer),
            risks=tuple(list_risks_in(session=session, project=project)),
            activities=tuple(list_activities_in(session=session, project=project)),
        )
