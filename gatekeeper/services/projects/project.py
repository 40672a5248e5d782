"""Projects: start one on a workflow version, give people roles, plan gate dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import GateTarget as GateTargetDate
from gatekeeper.core.events.projects import (
    GateTargetChanged,
    MemberAdded,
    MemberAddedState,
    MemberEntry,
    MemberRemoved,
    ProjectCreated,
    ProjectDetails,
    ProjectStarted,
    ProjectUpdated,
)
from gatekeeper.core.phase_model import Workflow
from gatekeeper.errors import Conflict, NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.projects.definition_snapshot import ensure_snapshot
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    PhaseChange,
    Project,
    ProjectMember,
)


def _details(project: Project) -> ProjectDetails:
    return ProjectDetails(
        name=project.name, organisation=project.organisation, description=project.description
    )


@dataclass(frozen=True)
class MemberSpec:
    """A person to give a role when a project starts."""

    name: str
    email: str
    role: str
    substitute_for: str | None = None


def create_project(
    ctx: Context,
    actor: Actor,
    *,
    key: str,
    name: str,
    workflow_id: str,
    workflow_version: int | None = None,
    organisation: str = "",
    description: str = "",
    started_on: date | None = None,
    gate_targets: Mapping[str, date] | None = None,
    members: Sequence[MemberSpec] = (),
) -> Project:
    """Start a project in the workflow's initial phase with all its gate checklists."""
    key = validation.project_key(key)
    name = validation.text(name, field="name", label="Projektnamnet", max_length=300)
    organisation = validation.text(
        organisation, field="organisation", label="Organisationen", max_length=300, required=False
    )
    definition = ctx.catalog.workflow_definition(workflow_id, workflow_version)
    workflow = definition.workflow
    targets = dict(gate_targets or {})
    for gate_id in targets:
        _gate_or_invalid(workflow, gate_id, field="gate_targets")
    for member in members:
        _role_or_invalid(workflow, member.role)
    now = ctx.clock.now()

    with ctx.db.write() as session:
        if session.exec(select(Project.id).where(Project.key == key)).first() is not None:
            raise Conflict(f"Det finns redan ett projekt med nyckeln '{key}'.")
        ensure_snapshot(
            session=session,
            kind="workflow",
            definition_id=workflow.id,
            version=workflow.version,
            content_hash=workflow.content_hash,
            document=definition.document,
            actor=actor,
            at=now,
        )
        project = Project(
            key=key,
            name=name,
            organisation=organisation,
            description=description.strip(),
            workflow_id=workflow.id,
            workflow_version=workflow.version,
            workflow_hash=workflow.content_hash,
            phase=workflow.initial,
            started_on=started_on or ctx.today(),
            created_at=now,
            updated_at=now,
        )
        session.add(project)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(f"Det finns redan ett projekt med nyckeln '{key}'.") from None
        assert project.id is not None
        session.add(
            PhaseChange(project_id=project.id, to_phase=workflow.initial, at=now, actor=str(actor))
        )
        _copy_checklists(ctx, session=session, project=project, workflow=workflow, actor=actor)
        for gate_id, target in targets.items():
            session.add(GateTarget(project_id=project.id, gate_id=gate_id, target_date=target))
        for member in members:
            session.add(
                ProjectMember(
                    project_id=project.id,
                    name=validation.text(member.name, field="name", label="Namnet", max_length=200),
                    email=validation.email(member.email),
                    role=member.role,
                    substitute_for=(
                        validation.email(member.substitute_for, field="substitute_for")
                        if member.substitute_for
                        else None
                    ),
                    added_at=now,
                )
            )
        change.record(
            session,
            ProjectCreated(
                object_id=key,
                after=ProjectStarted(
                    key=key,
                    name=name,
                    organisation=organisation,
                    workflow=f"{workflow.id}@{workflow.version}",
                    phase=workflow.initial,
                    started_on=project.started_on.isoformat(),
                    gate_targets={gate: day.isoformat() for gate, day in targets.items()},
                    members=tuple(
                        MemberEntry(name=m.name, email=m.email, role=m.role) for m in members
                    ),
                ),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return project


def _copy_checklists(
    ctx: Context, *, session: Session, project: Project, workflow: Workflow, actor: Actor
) -> None:
    """Copy every gate's checklist templates into the project, item by item."""
    assert project.id is not None
    for gate in workflow.gates:
        for checklist_id in gate.checklists:
            template_definition = ctx.catalog.checklist_definition(checklist_id)
            template = template_definition.checklist
            ensure_snapshot(
                session=session,
                kind="checklist",
                definition_id=template.id,
                version=template.version,
                content_hash=template.content_hash,
                document=template_definition.document,
                actor=actor,
                at=project.created_at,
            )
            instance = ChecklistInstance(
                project_id=project.id,
                gate_id=gate.id,
                checklist_id=template.id,
                checklist_version=template.version,
                checklist_hash=template.content_hash,
                name=template.name,
            )
            session.add(instance)
            session.flush()
            assert instance.id is not None
            for position, item in enumerate(template.items):
                session.add(
                    ChecklistItem(
                        instance_id=instance.id,
                        project_id=project.id,
                        item_id=item.id,
                        position=position,
                        text=item.text,
                        category=item.category,
                        responsible=item.responsible,
                        mandatory=item.mandatory,
                        evidence_required=item.evidence_required,
                        due_offset_days=item.due.days if item.due else None,
                        guidance=item.guidance,
                    )
                )


def _gate_or_invalid(workflow: Workflow, gate_id: str, *, field: str) -> None:
    try:
        workflow.gate(gate_id)
    except KeyError:
        known = ", ".join(gate.id for gate in workflow.gates)
        raise ValidationFailed(
            f"Grinden '{gate_id}' finns inte i fasmodellen {workflow.name}; "
            f"kända grindar: {known}.",
            field=field,
        ) from None


def _role_or_invalid(workflow: Workflow, role: str) -> None:
    if role not in workflow.role_ids():
        known = ", ".join(sorted(workflow.role_ids()))
        raise ValidationFailed(
            f"Rollen '{role}' finns inte i fasmodellen {workflow.name}; kända roller: {known}.",
            field="role",
        )


def add_member(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    name: str,
    email: str,
    role: str,
    substitute_for: str | None = None,
) -> ProjectMember:
    """Give a person a role in the project (as ersättare for `substitute_for`, if given)."""
    name = validation.text(name, field="name", label="Namnet", max_length=200)
    email = validation.email(email)
    if substitute_for is not None:
        substitute_for = validation.email(substitute_for, field="substitute_for")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        _role_or_invalid(project_workflow(session=session, project=project), role)
        assert project.id is not None
        duplicate = session.exec(
            select(ProjectMember.id).where(
                ProjectMember.project_id == project.id,
                ProjectMember.email == email,
                ProjectMember.role == role,
            )
        ).first()
        if duplicate is not None:
            raise Conflict(f"{email} har redan rollen {role} i projektet.")
        if substitute_for is not None:
            principal = session.exec(
                select(ProjectMember.id).where(
                    ProjectMember.project_id == project.id,
                    ProjectMember.email == substitute_for,
                    ProjectMember.role == role,
                    col(ProjectMember.substitute_for).is_(None),
                )
            ).first()
            if principal is None:
                raise ValidationFailed(
                    f"{substitute_for} har inte rollen {role} i projektet; en ersättare "
                    "ersätter en ordinarie ledamot med samma roll.",
                    field="substitute_for",
                )
        member = ProjectMember(
            project_id=project.id,
            name=name,
            email=email,
            role=role,
            substitute_for=substitute_for,
            added_at=now,
        )
        session.add(member)
        session.flush()
        change.record(
            session,
            MemberAdded(
                object_id=f"{email}:{role}",
                after=MemberAddedState(
                    name=name, email=email, role=role, substitute_for=substitute_for
                ),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return member


def set_gate_target(
    ctx: Context, actor: Actor, *, project_key: str, gate_id: str, target_date: date
) -> GateTarget:
    """Set or move a gate's target date; every relative deadline follows it."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        _gate_or_invalid(
            project_workflow(session=session, project=project), gate_id, field="gate_id"
        )
        assert project.id is not None
        target = session.exec(
            select(GateTarget)
            .where(GateTarget.project_id == project.id, GateTarget.gate_id == gate_id)
            .with_for_update()
        ).one_or_none()
        before = GateTargetDate(target.target_date.isoformat()) if target else None
        if target is None:
            target = GateTarget(project_id=project.id, gate_id=gate_id, target_date=target_date)
            session.add(target)
            session.flush()
        else:
            target.target_date = target_date
        change.record(
            session,
            GateTargetChanged(
                object_id=f"{project_key}/{gate_id}",
                gate_id=gate_id,
                before=before,
                after=GateTargetDate(target_date.isoformat()),
            ),
            by=actor,
            at=now,
            project=project,
            row=target if before is not None else None,
        )
        return target


@dataclass(frozen=True)
class ProjectOverview:
    """A project with what a reader needs next to it."""

    project: Project
    workflow: Workflow
    members: tuple[ProjectMember, ...]
    gate_targets: dict[str, date]
    history: tuple[PhaseChange, ...]


def list_projects(ctx: Context, visible_to: Principal | None = None) -> list[Project]:
    """Every project (or those `visible_to` may see), newest first."""
    with ctx.db.read() as session:
        statement = select(Project).order_by(col(Project.created_at).desc(), col(Project.id).desc())
        if visible_to is not None and not visible_to.is_admin:
            statement = statement.where(
                col(Project.id).in_(
                    select(ProjectMember.project_id).where(ProjectMember.email == visible_to.email)
                )
            )
        if visible_to is not None and visible_to.projects is not None:
            statement = statement.where(col(Project.key).in_(sorted(visible_to.projects)))
        return list(session.exec(statement).all())


def update_project(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    name: str | None = None,
    organisation: str | None = None,
    description: str | None = None,
    expected_version: int | None = None,
) -> Project:
    """Rename or re-describe a project; only given fields change."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        check_version(project.row_version, expected_version, f"Projektet {project.name}")
        before = _details(project)
        if name is not None:
            project.name = validation.text(
                name, field="name", label="Projektnamnet", max_length=300
            )
        if organisation is not None:
            project.organisation = validation.text(
                organisation,
                field="organisation",
                label="Organisationen",
                max_length=300,
                required=False,
            )
        if description is not None:
            project.description = description.strip()
        after = _details(project)
        if after == before:
            return project
        change.record(
            session,
            ProjectUpdated(object_id=project.key, before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=project,
        )
        return project


def remove_member(ctx: Context, actor: Actor, *, project_key: str, email: str, role: str) -> None:
    """Take a role away from a person in the project."""
    email = validation.email(email)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        member = session.exec(
            select(ProjectMember).where(
                ProjectMember.project_id == project.id,
                ProjectMember.email == email,
                ProjectMember.role == role,
            )
        ).one_or_none()
        if member is None:
            raise NotFound(f"{email} har inte rollen {role} i projektet {project.name}.")
        session.delete(member)
        session.flush()
        change.record(
            session,
            MemberRemoved(
                object_id=f"{email}:{role}",
                before=MemberEntry(name=member.name, email=email, role=role),
            ),
            by=actor,
            at=now,
            project=project,
        )


def project_overview(ctx: Context, project_key: str) -> ProjectOverview:
    """One project with its workflow, members, gate dates and phase history."""
    with ctx.db.read() as session:
        return overview_in(
            session=session, project=project_by_key(session=session, key=project_key)
        )


def overview_in(*, session: Session, project: Project) -> ProjectOverview:
    """`project_overview` inside the caller's transaction."""
    workflow = project_workflow(session=session, project=project)
    members = session.exec(
        select(ProjectMember)
        .where(ProjectMember.project_id == project.id)
        .order_by(col(ProjectMember.role), col(ProjectMember.name))
    ).all()
    targets = session.exec(select(GateTarget).where(GateTarget.project_id == project.id)).all()
    history = session.exec(
        select(PhaseChange)
        .where(PhaseChange.project_id == project.id)
        .order_by(col(PhaseChange.at), col(PhaseChange.id))
    ).all()
    return ProjectOverview(
        project=project,
        workflow=workflow,
        members=tuple(members),
        gate_targets={target.gate_id: target.target_date for target in targets},
        history=tuple(history),
    )
