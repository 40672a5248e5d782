"""The read of the register pages: the kommunikationsplan, the intressentanalys, the
people to choose as ansvarig, and whether the viewer may edit.

One read transaction gathers both registers (each page shows one of them, and
the other's count in its navigation), the members' names (in Swedish order)
and whether the viewer is the projektledare or an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.followup.communication import list_communications_in
from gatekeeper.services.followup.stakeholder import list_stakeholders_in
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.leader import may_lead_in
from gatekeeper.store.followup.register_tables import Communication, Stakeholder
from gatekeeper.store.projects.tables import Project, ProjectMember


@dataclass(frozen=True)
class RegisterView:
    """What the register pages show one viewer."""

    project: Project
    today: date
    member_names: tuple[str, ...]
    may_edit: bool
    communications: tuple[Communication, ...]  # date order, without tidpunkt last
    stakeholders: tuple[Stakeholder, ...]  # greatest påverkan first

    def communication(self, row_id: int) -> Communication:
        """One kommunikationsplan row of the project (NotFound when it is not the project's)."""
        for row in self.communications:
            if row.id == row_id:
                return row
        raise NotFound(f"Raden {row_id} finns inte i kommunikationsplanen för {self.project.name}.")

    def stakeholder(self, row_id: int) -> Stakeholder:
        """One intressent of the project (NotFound when it is not the project's)."""
        for row in self.stakeholders:
            if row.id == row_id:
                return row
        raise NotFound(f"Intressenten {row_id} finns inte i projektet {self.project.name}.")


def register_view(ctx: Context, project_key: str, viewer: str) -> RegisterView:
    """The project's registers as `viewer` (an e-mail address) sees them."""
    today = ctx.today()
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        names = session.exec(
            select(ProjectMember.name).where(ProjectMember.project_id == project.id)
        ).all()
        return RegisterView(
            project=project,
            today=today,
            member_names=tuple(sorted(set(names), key=swedish_sort_key)),
            may_edit=may_lead_in(session=session, project=project, email=viewer),
            communications=tuple(list_communications_in(session=session, project=project)),
            stakeholders=tuple(list_stakeholders_in(session=session, project=project)),
        )
