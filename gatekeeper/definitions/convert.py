"""From plain definition data to the frozen core objects, and the content hash.

The same functions serve YAML files (after `source` made them plain data) and
definition snapshots stored in the database as JSON: `to_workflow` and
`to_checklist` take a plain dict, check it against the document model and
build `Workflow` / `ChecklistTemplate`. `content_hash` fingerprints plain
data so that a project can record exactly which definition it runs on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import time
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gatekeeper.core.checklist import ChecklistTemplate, ItemTemplate
from gatekeeper.core.deadline import RelativeDeadline
from gatekeeper.core.phase_model import ApprovalPolicy, Gate, Phase, Role, Workflow
from gatekeeper.core.reminders.policy import (
    Cadence,
    CalendarPolicy,
    EscalationStep,
    FollowUpMeeting,
    RecurringMeeting,
    ReminderPolicy,
    VotePolicy,
)
from gatekeeper.definitions.documents import (
    ChecklistDocument,
    GateDocument,
    RemindersDocument,
    WorkflowDocument,
)
from gatekeeper.definitions.locator import NO_POSITION, Locator
from gatekeeper.definitions.messages import validation_problems
from gatekeeper.errors import DefinitionError, DefinitionProblem

M = TypeVar("M", bound=BaseModel)

# The role that manages a project's members when the workflow does not say (`manages_members`).
MEMBER_MANAGER_BY_DEFAULT = "projektledare"


def canonical_json(data: Any) -> str:
    """Plain data as canonical JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: Any) -> str:
    """sha256 (hex) of the canonical JSON of plain data."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def parse_document(
    model: type[M],
    data: Mapping[str, Any],
    *,
    path: str,
    locator: Locator = NO_POSITION,
) -> M | list[DefinitionProblem]:
    """Validate plain data against a document model: the model, or its problems."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        return validation_problems(error, model=model, data=data, path=path, locator=locator)


def to_workflow(document: Mapping[str, Any], *, content_hash: str) -> Workflow:
    """Build a `Workflow` from plain data; raise `DefinitionError` if it is malformed."""
    parsed = parse_document(WorkflowDocument, document, path=_snapshot_name(document))
    if isinstance(parsed, list):
        raise DefinitionError(parsed)
    return workflow_from_document(parsed, content_hash=content_hash)


def to_checklist(document: Mapping[str, Any], *, content_hash: str) -> ChecklistTemplate:
    """Build a `ChecklistTemplate` from plain data; raise `DefinitionError` if malformed."""
    parsed = parse_document(ChecklistDocument, document, path=_snapshot_name(document))
    if isinstance(parsed, list):
        raise DefinitionError(parsed)
    return checklist_from_document(parsed, content_hash=content_hash)


def workflow_from_document(document: WorkflowDocument, *, content_hash: str) -> Workflow:
    """The core `Workflow` of a validated document."""
    return Workflow(
        id=document.id,
        version=document.version,
        name=document.name,
        description=document.description,
        initial=document.initial,
        phases=tuple(
            Phase(id=p.id, name=p.name, final=p.final, description=p.description)
            for p in document.phases
        ),
        gates=tuple(_gate(gate) for gate in document.gates),
        roles=tuple(
            Role(
                id=r.id,
                name=r.name,
                description=r.description,
                max_members=r.max_members,
                manages_members=(
                    r.manages_members
                    if r.manages_members is not None
                    else r.id == MEMBER_MANAGER_BY_DEFAULT
                ),
            )
            for r in document.roles
        ),
        content_hash=content_hash,
        reminders=_in_country(
            ReminderPolicy() if document.reminders is None else reminder_policy(document.reminders),
            document.country,
        ),
        language=document.language,
    )


def _in_country(policy: ReminderPolicy, country: str) -> ReminderPolicy:
    """The policy with the business calendar of the workflow's `country`."""
    return replace(policy, calendar=replace(policy.calendar, country=country))


def reminder_policy(document: RemindersDocument) -> ReminderPolicy:
    """The core `ReminderPolicy` of a validated `reminders:` section."""
    calendar = document.calendar
    cadence: list[Cadence] = []
    for meeting in document.cadence:
        if meeting.every is not None:
            cadence.append(
                RecurringMeeting(
                    id=meeting.id,
                    name=meeting.name,
                    roles=tuple(meeting.roles),
                    every_months=meeting.every.months,
                    every_weeks=meeting.every.weeks,
                    phases=tuple(meeting.phases),
                    notice_days=tuple(meeting.notice_days),
                )
            )
        else:
            assert meeting.after_phase is not None
            cadence.append(
                FollowUpMeeting(
                    id=meeting.id,
                    name=meeting.name,
                    roles=tuple(meeting.roles),
                    after_phase=meeting.after_phase,
                    months=tuple(meeting.months),
                    notice_days=tuple(meeting.notice_days),
                )
            )
    return ReminderPolicy(
        before_deadline=tuple(document.before_deadline),
        escalation=tuple(EscalationStep(s.after_days, s.notify) for s in document.escalation),
        escalate_optional=document.escalate_optional,
        votes=VotePolicy(
            request=document.votes.request,
            remind_after_days=tuple(document.votes.remind_after_days),
        ),
        calendar=CalendarPolicy(
            business_days=calendar.business_days,
            send_time=time.fromisoformat(calendar.send_time),
            quiet_start=time.fromisoformat(calendar.quiet_hours.start),
            quiet_end=time.fromisoformat(calendar.quiet_hours.end),
            time_zone=calendar.time_zone,
        ),
        cadence=tuple(cadence),
    )


def checklist_from_document(document: ChecklistDocument, *, content_hash: str) -> ChecklistTemplate:
    """The core `ChecklistTemplate` of a validated document."""
    return ChecklistTemplate(
        id=document.id,
        version=document.version,
        name=document.name,
        description=document.description,
        items=tuple(
            ItemTemplate(
                id=item.id,
                text=item.text,
                category=item.category,
                responsible=item.responsible,
                mandatory=item.mandatory,
                evidence_required=item.evidence,
                due=RelativeDeadline.parse(item.due) if item.due is not None else None,
                guidance=item.guidance,
                may_tick=_may_tick(item.may_tick, document.may_tick),
            )
            for item in document.items
        ),
        content_hash=content_hash,
    )


def _may_tick(own: list[str] | None, checklist: list[str] | None) -> tuple[str, ...] | None:
    """The roles that may tick an item: its own list, else the checklist's, else None
    (the default rule of `core.checklist.tick_roles`)."""
    chosen = own if own is not None else checklist
    return tuple(chosen) if chosen is not None else None


def _gate(gate: GateDocument) -> Gate:
    approval = gate.approval
    return Gate(
        id=gate.id,
        name=gate.name,
        source=gate.source,
        dest=gate.dest,
        description=gate.description,
        checklists=tuple(gate.checklists),
        unit_checklists=tuple(gate.unit_checklists),
        criteria=tuple(gate.criteria),
        handover_to=gate.handover_to,
        passed_by=gate.passed_by,
        approval=None
        if approval is None
        else ApprovalPolicy(
            deciders=approval.deciders,
            quorum=approval.quorum,
            required_roles=tuple(approval.required_roles),
            requester_may_approve=approval.requester_may_approve,
            vote_valid_days=approval.vote_valid_days,
            substitutes=approval.substitutes,
            requested_by=tuple(approval.requested_by),
        ),
    )


def _snapshot_name(document: Mapping[str, Any]) -> str:
    if not isinstance(document, Mapping):
        return "<stored definition>"
    kind, ident, version = (document.get(key) for key in ("kind", "id", "version"))
    if isinstance(kind, str) and isinstance(ident, str):
        return f"<stored {kind} {ident} v{version}>"
    return "<stored definition>"


__all__ = [
    "canonical_json",
    "checklist_from_document",
    "content_hash",
    "parse_document",
    "reminder_policy",
    "to_checklist",
    "to_workflow",
    "workflow_from_document",
]
