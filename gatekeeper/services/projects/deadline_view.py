"""A project's deadline view: every checklist item of the gates ahead with its deadline.

Sorted by deadline (late first, undated last) or by gate, narrowed by the filters
the reader chose (late, mine, open, category, checklist: every chosen one must hold).
Items still to do are listed; done and not applicable ones are counted apart, for the
page to show collapsed. One read transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gatekeeper.core.access import Principal
from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.deadline import (
    DeadlineLine,
    LineFilter,
    SortKey,
    choose,
    in_order,
    load_lines,
    roles_of,
)
from gatekeeper.store.projects.tables import Project


@dataclass(frozen=True)
class DeadlineView:
    """What the deadline view of one project shows."""

    project: Project
    lines: tuple[DeadlineLine, ...]  # the chosen lines, in the chosen order
    total: int  # items of the gates ahead, before filtering
    late_total: int  # of those, late (before filtering)
    categories: tuple[str, ...]  # the categories to filter on, in Swedish order
    checklists: tuple[tuple[str, str], ...]  # (id, name) of the checklists to filter on
    chosen: LineFilter
    sort: SortKey
    today: date
    has_roles: bool  # the viewer holds a role in the project ("mine" can hold something)

    @property
    def to_do(self) -> tuple[DeadlineLine, ...]:
        return tuple(line for line in self.lines if line.status is ItemStatus.OPEN)

    @property
    def settled(self) -> tuple[DeadlineLine, ...]:
        """Done and not applicable: shown collapsed."""
        return tuple(line for line in self.lines if line.status is not ItemStatus.OPEN)

    @property
    def late(self) -> int:
        return sum(1 for line in self.lines if line.late)


def deadline_view(
    ctx: Context,
    principal: Principal,
    project_key: str,
    *,
    chosen: LineFilter | None = None,
    sort: SortKey = "deadline",
) -> DeadlineView:
    """The items of the gates ahead of `project_key` with their deadlines, as `principal`
    filters and sorts them (the caller has checked that they may see the project)."""
    chosen = chosen or LineFilter()
    today = ctx.today()
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        assert project.id is not None
        workflow = project_workflow(session=session, project=project)
        roles = roles_of(session, principal.email, [project.id])
        every = load_lines(session, [(project, workflow)], today=today, roles=roles)
    categories = sorted({line.category for line in every}, key=swedish_sort_key)
    checklists = dict.fromkeys(
        (line.checklist_id, line.checklist_name) for line in in_order(every, "gate")
    )
    return DeadlineView(
        project=project,
        lines=tuple(in_order(choose(every, chosen), sort)),
        total=len(every),
        late_total=sum(1 for line in every if line.late),
        categories=tuple(categories),
        checklists=tuple(checklists),
        chosen=chosen,
        sort=sort,
        today=today,
        has_roles=bool(roles.get(project.id)),
    )
