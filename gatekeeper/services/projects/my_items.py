"""Mina punkter: the open checklist items that are the signed-in person's, across projects.

An item is theirs when they hold its responsible role in its project (as a member in
their own right). A projektledare may widen the list to every open item of the
projects they lead (`everything`). The items are those of the gates still ahead of
each project and of its restlista, sorted by deadline: late first, undated last.
One read transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.checklist import MANAGER_ROLE
from gatekeeper.core.phase_model import Workflow
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.projects.deadline import DeadlineLine, in_order, load_lines, roles_of
from gatekeeper.store.projects.tables import Project, ProjectMember


@dataclass(frozen=True)
class MyItems:
    """The lines of Mina punkter, and what the page offers around them."""

    lines: tuple[DeadlineLine, ...]
    today: date
    leads: bool  # the person is projektledare somewhere: "alla öppna punkter" is offered
    everything: bool  # the list holds every open item of the projects they lead

    @property
    def late(self) -> int:
        return sum(1 for line in self.lines if line.late)


def my_items(ctx: Context, principal: Principal, *, everything: bool = False) -> MyItems:
    """The open items whose responsible role `principal` holds in their project; with
    `everything`, also every open item of the projects where they are projektledare."""
    today = ctx.today()
    with ctx.db.read() as session:
        statement = select(Project).where(
            col(Project.id).in_(
                select(ProjectMember.project_id).where(ProjectMember.email == principal.email)
            )
        )
        if principal.projects is not None:
            statement = statement.where(col(Project.key).in_(sorted(principal.projects)))
        projects: list[tuple[Project, Workflow]] = []
        for project in session.exec(statement.order_by(col(Project.id))).all():
            try:
                projects.append((project, project_workflow(session=session, project=project)))
            except NotFound:  # a project whose definition is missing is left out
                continue
        roles = roles_of(session, principal.email, (p.id for p, _ in projects if p.id))
        led = {pid for pid, held in roles.items() if MANAGER_ROLE in held}
        lines = load_lines(session, projects, today=today, roles=roles, open_only=True)
    widened = everything and bool(led)
    keys = {p.key for p, _ in projects if p.id in led}
    chosen = [line for line in lines if line.mine or (widened and line.project_key in keys)]
    return MyItems(lines=tuple(in_order(chosen)), today=today, leads=bool(led), everything=widened)
