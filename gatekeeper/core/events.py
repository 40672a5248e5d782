"""Event names: the stable words other tools and the audit log rely on.

Every change a service makes is recorded under one of these names, in the
audit log and (later) in the webhook outbox. The values never change once
released; add new members instead.
"""

from __future__ import annotations

from enum import StrEnum


class EventName(StrEnum):
    """What happened, in past tense."""

    DEFINITION_REGISTERED = "definition.registered"
    PROJECT_CREATED = "project.created"
    PROJECT_UPDATED = "project.updated"
    MEMBER_ADDED = "member.added"
    MEMBER_REMOVED = "member.removed"
    GATE_TARGET_CHANGED = "gate.target_changed"
    PHASE_CHANGED = "phase.changed"
    CHECKLIST_ITEM_UPDATED = "checklist.item.updated"
    RISK_CREATED = "risk.created"
    RISK_UPDATED = "risk.updated"
    ACTIVITY_CREATED = "activity.created"
    ACTIVITY_UPDATED = "activity.updated"
    DECISION_RECORDED = "decision.recorded"


EVENT_DESCRIPTIONS: dict[EventName, str] = {
    EventName.DEFINITION_REGISTERED: "A workflow or checklist version was stored for use.",
    EventName.PROJECT_CREATED: "A project was started on a workflow version.",
    EventName.PROJECT_UPDATED: "A project's name, description or organisation changed.",
    EventName.MEMBER_ADDED: "A person was given a role in a project.",
    EventName.MEMBER_REMOVED: "A person's role in a project was taken away.",
    EventName.GATE_TARGET_CHANGED: "A gate's target date was set or moved (deadlines follow).",
    EventName.PHASE_CHANGED: "A project passed a gate into a new phase.",
    EventName.CHECKLIST_ITEM_UPDATED: "A checklist item was ticked, unticked or set N/A.",
    EventName.RISK_CREATED: "A risk was recorded.",
    EventName.RISK_UPDATED: "A risk's scores, mitigation, owner or status changed.",
    EventName.ACTIVITY_CREATED: "An activity was added to the aktivitetsplan.",
    EventName.ACTIVITY_UPDATED: "An activity's dates, owner or status changed.",
    EventName.DECISION_RECORDED: "A named decision (e.g. finansiering) was recorded on a project.",
}
