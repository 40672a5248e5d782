"""Delprojekt: link a project under another, and read a project's delprojekt.

A delprojekt is a project of its own (its own workflow, checklists,
projektledare and driftöverlämning) that is part of a parent project, and
names the förvaltning it hands over to (`receiving_unit`, mottagande
förvaltning). Administrators and the parent's projektledare link a project
under it (at creation or afterwards); moving it away from a parent, or
unlinking it, needs the old parent's projektledare too. A link that would
make a project its own ancestor, or names a project that does not exist (or
that the person cannot see), is refused with the field `parent` named.
The parent's gates may require its delprojekt to have handed over
(criterion `subprojects_handed_over`, fed by `states_in`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.events.subprojects import ParentLink, ProjectParentSet
from gatekeeper.core.status import ProjectStatus
from gatekeeper.core.subproject import SubprojectState, creates_cycle, handed_over
from gatekeeper.errors import NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import check_version, project_by_key
from gatekeeper.services.projects.leader import LEADER_ROLE, may_lead_in
from gatekeeper.services.projects.standing import standing_in
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.projects.tables import Project, ProjectMember

_LINK_LOCK = 17_0007  # PostgreSQL advisory lock: one re-linking at a time, so no two make a cycle


@dataclass(frozen=True)
class Subproject:
    """A delprojekt as its parent's page lists it."""

    key: str
    name: str
    phase_name: str
    status: ProjectStatus
    leaders: tuple[str, ...]  # the projektledare's names (ansvarig)
    receiving_unit: str
    handed_over: bool


def _one_linking_at_a_time(session: Session) -> None:
    """On PostgreSQL, one re-linking at a time (a transaction-scoped advisory lock), so two
    crosswise links cannot both pass the cycle check. Taken before the project row is
    locked: setting `parent_id` takes a key-share lock on the parent's row, which the other
    linking may hold, and waiting for it while holding this lock would deadlock. SQLite
    has one writer at a time anyway. Taking it twice in one transaction is harmless."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LINK_LOCK})


def _link(session: Session, project: Project) -> ParentLink:
    parent = session.get(Project, project.parent_id) if project.parent_id else None
    return ParentLink(parent=parent.key if parent else None, receiving_unit=project.receiving_unit)


def _parent_or_invalid(session: Session, key: str, actor: Actor) -> Project:
    unknown = ValidationFailed(
        f"Det finns inget projekt med nyckeln '{key}' att göra projektet till delprojekt av.",
        field="parent",
    )
    parent = session.exec(select(Project).where(Project.key == key)).one_or_none()
    if parent is None:
        raise unknown
    if actor.kind is not ActorKind.SYSTEM:
        standing = standing_in(session=session, project=parent, email=actor.id)
        if not standing.is_admin and not standing.roles:
            raise unknown  # a project the person cannot see is, to them, unknown
    return parent


def _require_lead(session: Session, project: Project, actor: Actor) -> None:
    if actor.kind is ActorKind.SYSTEM:
        return
    if not may_lead_in(session=session, project=project, email=actor.id):
        raise PermissionDenied(
            f"Bara projektledaren för {project.name} eller en administratör kan ändra "
            f"vilka delprojekt det har."
        )


def link_in(
    *,
    session: Session,
    project: Project,
    parent_key: str | None,
    receiving_unit: str | None,
    actor: Actor,
    at: datetime,
    bump: bool = True,
) -> None:
    """Put `project` under `parent_key` (None: under none) inside the caller's transaction.

    `project` is locked by the caller. Records `ProjectParentSet` if anything
    changed (`bump`: the project's version with it; not at creation).
    """
    if receiving_unit is not None:
        receiving_unit = validation.text(
            receiving_unit,
            field="receiving_unit",
            label="Mottagande förvaltning",
            max_length=300,
            required=False,
        )
    _one_linking_at_a_time(session)
    before = _link(session, project)
    old = session.get(Project, project.parent_id) if project.parent_id else None
    new = _parent_or_invalid(session, parent_key, actor) if parent_key else None
    assert project.id is not None
    if new is not None and new.id != project.parent_id:
        parent_of = {
            id_: parent_id
            for id_, parent_id in session.exec(select(Project.id, Project.parent_id)).all()
            if id_ is not None
        }
        if creates_cycle(project.id, new.id, parent_of):
            raise ValidationFailed(
                f"{new.name} kan inte vara överordnat projekt till {project.name}: "
                f"{new.name} är redan {project.name} själv eller ett av dess delprojekt.",
                field="parent",
            )
    moved = (new.id if new else None) != project.parent_id
    if moved:
        for involved in (old, new):
            if involved is not None:
                _require_lead(session, involved, actor)
    elif (
        receiving_unit is not None
        and receiving_unit != project.receiving_unit
        and actor.kind is not ActorKind.SYSTEM
        # The förvaltning alone: the delprojekt's own projektledare may name it too.
        and not any(
            may_lead_in(session=session, project=p, email=actor.id)
            for p in (project, old)
            if p is not None
        )
    ):
        _require_lead(session, old or project, actor)
    project.parent_id = new.id if new else None
    if receiving_unit is not None:
        project.receiving_unit = receiving_unit
    after = _link(session, project)
    if after == before:
        return
    change.record(
        session,
        ProjectParentSet(object_id=project.key, before=before, after=after),
        by=actor,
        at=at,
        project=project,
        row=project if bump else None,
    )


@audits_refusal("project.parent_set", object_type="project")
def set_parent(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    parent_key: str | None,
    receiving_unit: str | None = None,
    expected_version: int | None = None,
) -> Family:
    """Make the project a delprojekt of `parent_key` (None: of none), and/or name the
    förvaltning it hands over to; the project's family as it is then."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        _one_linking_at_a_time(session)  # before any row lock: see there
        project = project_by_key(session=session, key=project_key, lock=True)
        _require_visible(session, project, actor)
        check_version(project.row_version, expected_version, f"Projektet {project.name}")
        link_in(
            session=session,
            project=project,
            parent_key=parent_key,
            receiving_unit=receiving_unit,
            actor=actor,
            at=now,
        )
        return Family(
            project=project,
            parent=parent_in(session=session, project=project),
            subprojects=tuple(subprojects_in(session=session, project=project)),
        )


@audits_refusal("project.parent_set", object_type="project")
def unlink(ctx: Context, actor: Actor, *, project_key: str, parent_key: str) -> Family:
    """Make `project_key` a project of its own again (it must be a delprojekt of
    `parent_key`)."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        _one_linking_at_a_time(session)  # before any row lock: see there
        project = project_by_key(session=session, key=project_key, lock=True)
        _require_visible(session, project, actor)
        parent = parent_in(session=session, project=project)
        if parent is None or parent.key != parent_key:
            raise NotFound(f"{project.name} är inget delprojekt i projektet '{parent_key}'.")
        link_in(
            session=session,
            project=project,
            parent_key=None,
            receiving_unit=None,
            actor=actor,
            at=now,
        )
        return Family(project=project, parent=None, subprojects=())


def _require_visible(session: Session, project: Project, actor: Actor) -> None:
    """A project the person is no member of (and no administrator) is not found, to them."""
    if actor.kind is ActorKind.SYSTEM:
        return
    standing = standing_in(session=session, project=project, email=actor.id)
    if not standing.is_admin and not standing.roles:
        raise NotFound(f"Projektet '{project.key}' finns inte.")


def parent_in(*, session: Session, project: Project) -> Project | None:
    """The project this one is a delprojekt of, if any."""
    return session.get(Project, project.parent_id) if project.parent_id else None


def subprojects_in(*, session: Session, project: Project) -> list[Subproject]:
    """The project's delprojekt in name order, with phase, ansvarig and handover."""
    children = session.exec(select(Project).where(Project.parent_id == project.id)).all()
    leaders: dict[int, list[str]] = {}
    if children:
        for project_id, name in session.exec(
            select(ProjectMember.project_id, ProjectMember.name)
            .where(
                col(ProjectMember.project_id).in_([c.id for c in children]),
                ProjectMember.role == LEADER_ROLE,
                col(ProjectMember.substitute_for).is_(None),
            )
            .order_by(col(ProjectMember.id))
        ).all():
            leaders.setdefault(project_id, []).append(name)
    out: list[Subproject] = []
    for child in children:
        workflow = project_workflow(session=session, project=child)
        out.append(
            Subproject(
                key=child.key,
                name=child.name,
                phase_name=workflow.phase(child.phase).name,
                status=child.status,
                leaders=tuple(leaders.get(child.id or 0, ())),
                receiving_unit=child.receiving_unit,
                handed_over=handed_over(workflow, child.phase),
            )
        )
    return sorted(out, key=lambda sub: swedish_sort_key(sub.name))


def states_in(*, session: Session, project: Project) -> tuple[SubprojectState, ...]:
    """The project's delprojekt as the criterion `subprojects_handed_over` sees them."""
    return tuple(
        SubprojectState(
            key=sub.key, name=sub.name, phase_name=sub.phase_name, handed_over=sub.handed_over
        )
        for sub in subprojects_in(session=session, project=project)
    )


def link_choices_in(*, session: Session, project: Project, email: str) -> tuple[Project, ...]:
    """The projects `email` may see that could become delprojekt of `project`: not the
    project itself, none of its ancestors, none already under it (in name order)."""
    standing = standing_in(session=session, project=project, email=email)
    statement = select(Project)
    if not standing.is_admin:
        statement = statement.where(
            col(Project.id).in_(
                select(ProjectMember.project_id).where(ProjectMember.email == email)
            )
        )
    ancestors: set[int] = set()
    node: Project | None = project
    while node is not None and node.id not in ancestors:
        ancestors.add(node.id or 0)
        node = parent_in(session=session, project=node)
    choices = [
        p
        for p in session.exec(statement).all()
        if p.id not in ancestors and p.parent_id != project.id
    ]
    return tuple(sorted(choices, key=lambda p: swedish_sort_key(p.name)))


@dataclass(frozen=True)
class Family:
    """A project with its parent and its delprojekt (the API's read)."""

    project: Project
    parent: Project | None
    subprojects: tuple[Subproject, ...]


def family(ctx: Context, project_key: str) -> Family:
    """The project's parent and delprojekt, in one read transaction."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return Family(
            project=project,
            parent=parent_in(session=session, project=project),
            subprojects=tuple(subprojects_in(session=session, project=project)),
        )
