"""Projects: start one on a workflow version with its gate checklists, and re-describe it.

A project is an instance of a workflow version (the definition is snapshotted
when it starts); starting it copies every gate's checklist templates item by
item and may give gate dates and members from the outset. `gate_or_invalid`
and `role_or_invalid` are the checks the member and gate-date use cases share.
Members live in `member`, gate dates in `gate_date`, the read side in
`overview`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import (
    MemberEntry,
    ProjectCreated,
    ProjectDetails,
    ProjectStarted,
    ProjectUpdated,
)
from gatekeeper.core.phase_model import Workflow
from gatekeeper.errors import Conflict, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.projects.definition_snapshot import ensure_snapshot
from gatekeeper.services.projects.gate_order import refuse_out_of_order
from gatekeeper.services.projects.subproject import link_in
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
    parent_key: str | None = None,
    receiving_unit: str = "",
) -> Project:
    """Start a project in the workflow's initial phase with all its gate checklists
    (`parent_key`: as a delprojekt of that project, handing over to `receiving_unit`)."""
    key = validation.project_key(key)
    name = validation.text(name, field="name", label="Projektnamnet", max_length=300)
    organisation = validation.text(
        organisation, field="organisation", label="Organisationen", max_length=300, required=False
    )
    definition = ctx.catalog.workflow_definition(workflow_id, workflow_version)
    workflow = definition.workflow
    targets = dict(gate_targets or {})
    for gate_id in targets:
        gate_or_invalid(workflow, gate_id, field="gate_targets")
    for member in members:
        role_or_invalid(workflow, member.role)
    started_on = started_on or ctx.today()
    refuse_out_of_order(workflow, targets, started_on, field="gate_targets")
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
            started_on=started_on,
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
        if parent_key or receiving_unit:
            link_in(
                session=session,
                project=project,
                parent_key=parent_key,
                receiving_unit=receiving_unit,
                actor=actor,
                at=now,
                bump=False,
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
                        may_tick=list(item.may_tick) if item.may_tick is not None else None,
                    )
                )


def gate_or_invalid(workflow: Workflow, gate_id: str, *, field: str) -> None:
    """Refuse a gate id the workflow does not have (naming the ones it has)."""
    try:
        workflow.gate(gate_id)
    except KeyError:
        known = ", ".join(gate.id for gate in workflow.gates)
        raise ValidationFailed(
            f"Grinden '{gate_id}' finns inte i fasmodellen {workflow.name}; "
            f"kända grindar: {known}.",
            field=field,
        ) from None


def role_or_invalid(workflow: Workflow, role: str) -> None:
    """Refuse a role the workflow does not have (naming the ones it has)."""
    if role not in workflow.role_ids():
        known = ", ".join(sorted(workflow.role_ids()))
        raise ValidationFailed(
            f"Rollen '{role}' finns inte i fasmodellen {workflow.name}; kända roller: {known}.",
            field="role",
        )


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
