"""The slutrapport's use cases: read it, write its sections, and fastställa it.

The projektledare (or an administrator) writes the text sections; each is
versioned (If-Match in the API), and a save on a stale copy is refused with
a Swedish sentence. The beställare, the styrgrupp (the roles that decide the
project's gates) or an administrator fastställer the report: the whole
report, drafted parts included, is then frozen as it reads that day, and
every later change to a section or a lesson is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlmodel import Session, select

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.events.reports import (
    ApprovedReport,
    FinalReportApproved,
    FinalReportSectionSaved,
    SectionText,
)
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.reports.slutrapport import (
    SECTION_HEADINGS,
    Approval,
    FinalReport,
    SectionKey,
    TextSection,
    closing_phases,
)
from gatekeeper.errors import Conflict, NotFound, PermissionDenied
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import check_version, project_by_key
from gatekeeper.services.projects.leader import may_lead_in, require_leader
from gatekeeper.services.projects.standing import standing_in
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.services.reports.slutrapport_draft import draft_in, texts_in
from gatekeeper.store.projects.tables import Project, ProjectMember
from gatekeeper.store.reports.slutrapport_tables import FinalReportApproval, FinalReportSection

MAX_TEXT = 20_000
APPROVER_ROLES = frozenset({"bestallare"})  # besides the roles that decide the gates


@dataclass(frozen=True)
class FinalReportView:
    """The slutrapport as one person sees it, and what they may do with it."""

    report: FinalReport
    may_write: bool  # the projektledare or an administrator, while it is not fastställd
    may_approve: bool  # beställare, styrgrupp or an administrator, while not fastställd
    closing: bool  # the project is in its last phases: the report is due

    @property
    def approved(self) -> bool:
        return self.report.approval is not None


def final_report(ctx: Context, project_key: str, viewer: str) -> FinalReportView:
    """The slutrapport (drafted today, or as fastställd) as `viewer` (an e-mail) sees it."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        approval = _approval(session, project)
        if approval is not None:
            report = FinalReport.model_validate(approval.snapshot)
        else:
            report = draft_in(
                session=session, project=project, workflow=workflow, today=ctx.today()
            )
        open_ = approval is None
        return FinalReportView(
            report=report,
            may_write=open_ and may_lead_in(session=session, project=project, email=viewer),
            may_approve=open_ and _may_approve(session, project, workflow, viewer),
            closing=project.phase in closing_phases(workflow),
        )


def sections(ctx: Context, project_key: str) -> tuple[TextSection, ...]:
    """The six written sections, in order (version 0: never written)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return texts_in(session=session, project=project, names=_names(session, project))


def section(ctx: Context, project_key: str, key: str) -> TextSection:
    """One written section (with its version, the ETag of the API)."""
    wanted = section_key(key)
    return next(s for s in sections(ctx, project_key) if s.key is wanted)


def section_key(value: str) -> SectionKey:
    """The section `value` names, or NotFound (an address of a section that does not exist)."""
    try:
        return SectionKey(value)
    except ValueError:
        raise NotFound(
            f"Slutrapporten har inget avsnitt '{value}'. Avsnitten är: "
            + ", ".join(k.value for k in SectionKey)
            + "."
        ) from None


@audits_refusal(
    "final_report.save_section",
    object_type="final_report_section",
    object_id="{project_key}/{section}",
)
def save_section(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    section: str,
    text: str,
    expected_version: int | None = None,
) -> TextSection:
    """Write one section's text (projektledare or administrator); `expected_version` is the
    version the writer read (0: a section never written)."""
    key = section_key(section)
    heading = SECTION_HEADINGS[key]
    text = validation.text(
        text, field="text", label=f"Avsnittet {heading}", max_length=MAX_TEXT, required=False
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="skriva slutrapporten")
        refuse_if_approved(session=session, project=project)
        row = session.exec(
            select(FinalReportSection)
            .where(
                FinalReportSection.project_id == project.id,
                FinalReportSection.section == key.value,
            )
            .with_for_update()
        ).one_or_none()
        check_version(
            row.row_version if row else 0, expected_version, f"Avsnittet {heading} i slutrapporten"
        )
        before = SectionText(heading, row.text) if row else None
        event_id = f"{project.key}/{key.value}"
        if row is None:
            assert project.id is not None
            row = FinalReportSection(
                project_id=project.id,
                section=key.value,
                text=text,
                updated_by=str(actor),
                updated_at=now,
            )
            session.add(row)
            session.flush()
            change.record(
                session,
                FinalReportSectionSaved(
                    object_id=event_id, before=None, after=SectionText(heading, text)
                ),
                by=actor,
                at=now,
                project=project,
            )
        elif row.text != text:
            row.text = text
            change.record(
                session,
                FinalReportSectionSaved(
                    object_id=event_id, before=before, after=SectionText(heading, text)
                ),
                by=actor,
                at=now,
                project=project,
                row=row,
            )
        texts = texts_in(session=session, project=project, names=_names(session, project))
        return texts[list(SectionKey).index(key)]


@audits_refusal("final_report.approve", object_type="final_report", object_id="{project_key}")
def approve(ctx: Context, actor: Actor, *, project_key: str) -> FinalReport:
    """Fastställ the slutrapport (beställare, styrgrupp or administrator): it is frozen as it
    reads today, and no section or lesson changes after."""
    now = ctx.clock.now()
    today = ctx.today()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        workflow = project_workflow(session=session, project=project)
        if actor.kind is not ActorKind.SYSTEM and not _may_approve(
            session, project, workflow, actor.id
        ):
            raise PermissionDenied(
                f"Bara beställaren, styrgruppen eller en administratör kan fastställa "
                f"slutrapporten för {project.name}."
            )
        refuse_if_approved(session=session, project=project)
        name = _names(session, project).get(actor.id) or actor.name or actor.id
        report = draft_in(session=session, project=project, workflow=workflow, today=today)
        report = report.model_copy(
            update={"approval": Approval(approved_on=today, approved_by=name, approved_at=now)}
        )
        snapshot = report.model_dump(mode="json")
        digest = hashlib.sha256(
            json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        assert project.id is not None
        session.add(
            FinalReportApproval(
                project_id=project.id,
                approved_on=today,
                approved_at=now,
                approved_by=actor.id,
                approved_by_name=name,
                snapshot=snapshot,
                snapshot_hash=digest,
            )
        )
        session.flush()
        change.record(
            session,
            FinalReportApproved(
                object_id=project.key,
                after=ApprovedReport(
                    approved_on=today.isoformat(), approved_by=name, snapshot_hash=digest
                ),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return report


def refuse_if_approved(*, session: Session, project: Project) -> None:
    """Refuse a change to a slutrapport (or its lessons) that has been fastställd."""
    approval = _approval(session, project)
    if approval is not None:
        raise Conflict(
            f"Slutrapporten för {project.name} fastställdes {approval.approved_on.isoformat()} "
            f"av {approval.approved_by_name} och kan inte längre ändras."
        )


def is_approved_in(*, session: Session, project: Project) -> bool:
    """Whether the project's slutrapport is fastställd (and so frozen)."""
    return _approval(session, project) is not None


def _approval(session: Session, project: Project) -> FinalReportApproval | None:
    return session.exec(
        select(FinalReportApproval).where(FinalReportApproval.project_id == project.id)
    ).one_or_none()


def _may_approve(session: Session, project: Project, workflow: Workflow, email: str) -> bool:
    standing = standing_in(session=session, project=project, email=email)
    if standing.is_admin:
        return True
    deciders = {g.approval.deciders for g in workflow.gates if g.approval}
    return bool(standing.roles & (APPROVER_ROLES | deciders))


def _names(session: Session, project: Project) -> dict[str, str]:
    return {
        m.email: m.name
        for m in session.exec(
            select(ProjectMember).where(ProjectMember.project_id == project.id)
        ).all()
    }
