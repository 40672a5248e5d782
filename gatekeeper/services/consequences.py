"""What follows from a change: the one place that says which consequences an event has.

The recorder (`change.record`) hands every change of a project here
(`expect`) and, once just before the transaction commits, asks what follows
(`follow`). Each event kind that has consequences has one reaction below:

- reminders: an event re-plans only the reminders of its subject (a reopened
  item its own, a moved gate date its gate's items, a requested review the
  reviews, a phase change the gates it brings back into reach and the meetings
  whose cadence follows the phase, a new lap the items of its loop) or cancels
  them (a ticked item, a cast vote, a settled condition, the items of the gates a
  phase change left behind); a kommunikationsplan row re-plans the plan's
  reminders. An item without a deadline has none: its tick is no reminder
  work. The changes of one transaction are re-planned together, once per
  project.
- lapses: a gate date moved past a go, or an item it relied on unticked,
  lapses that go; the `DecisionLapsed` events come back to the recorder as
  follow-ups, with the decision row whose version it bumps.

Webhook deliveries need no reaction: the recorder adds the outbox rows of
every event it records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm.util import identity_key
from sqlmodel import Session

from gatekeeper.core.events import gates as gate_events
from gatekeeper.core.events import projects as project_events
from gatekeeper.core.events import registers as register_events
from gatekeeper.core.events.base import Event
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.lapse import lapse_if_relied_on
from gatekeeper.services.reminders import planning
from gatekeeper.services.reminders import scope as scopes
from gatekeeper.services.reminders.scope import EVERYTHING, Scope
from gatekeeper.store.projects.tables import ChecklistItem, Project

_PENDING = "gatekeeper.pending_changes"


@dataclass(frozen=True)
class Change:
    """One recorded change of a project, waiting for its consequences."""

    event: Event
    project: Project
    at: datetime
    by: str


@dataclass(frozen=True)
class FollowUp:
    """A change that follows from another, for the recorder to record."""

    event: Event
    project: Project
    at: datetime
    by: str
    row: Any = None  # the row it changed, whose version the recorder bumps


@dataclass(frozen=True)
class _Forget:
    subject_type: str
    subject_id: str
    recipient: str | None = None


@dataclass
class _Consequences:
    """What the changes of one project in one transaction bring, gathered."""

    project: Project
    at: datetime
    replan: Scope = field(default_factory=Scope)
    forget: list[_Forget] = field(default_factory=list)
    left_behind: frozenset[str] = frozenset()  # gates whose items are reminded no more
    follow_ups: list[FollowUp] = field(default_factory=list)


def expect(session: Session, change: Change) -> None:
    """Note a recorded change whose consequences follow before the commit."""
    session.info.setdefault(_PENDING, []).append(change)


def follow(session: Session) -> list[FollowUp]:
    """Apply the consequences of the changes noted so far; the changes they bring."""
    changes: list[Change] = session.info.pop(_PENDING, [])
    gathered: dict[int, _Consequences] = {}
    for change in changes:
        assert change.project.id is not None
        found = gathered.setdefault(
            change.project.id, _Consequences(project=change.project, at=change.at)
        )
        found.at = max(found.at, change.at)
        reaction = _REACTIONS.get(type(change.event))
        if reaction is not None:
            reaction(session, change, found)
    follow_ups: list[FollowUp] = []
    for found in gathered.values():
        project_id = found.project.id
        assert project_id is not None
        # A subject forgotten whole needs no forgetting per recipient (a deciding vote
        # stops its voter's reminders and the review's: one UPDATE, the review's).
        whole = {(f.subject_type, f.subject_id) for f in found.forget if f.recipient is None}
        for forget in dict.fromkeys(found.forget):
            if forget.recipient is not None and (forget.subject_type, forget.subject_id) in whole:
                continue
            planning.forget(
                session=session,
                project_id=project_id,
                subject_type=forget.subject_type,
                subject_id=forget.subject_id,
                recipient_email=forget.recipient,
                now=found.at,
            )
        if found.left_behind:
            planning.forget_gates(
                session=session, project_id=project_id, gate_ids=found.left_behind, now=found.at
            )
        if found.replan:
            planning.replan(
                session=session, project=found.project, now=found.at, scope=found.replan
            )
        follow_ups.extend(found.follow_ups)
    return follow_ups


# -- reactions, one per event kind that has consequences ------------------------------


def _replan_everything(session: Session, change: Change, out: _Consequences) -> None:
    out.replan |= EVERYTHING


def _gate_target_changed(session: Session, change: Change, out: _Consequences) -> None:
    event = change.event
    assert isinstance(event, project_events.GateTargetChanged)
    _lapse(
        session,
        change,
        out,
        gate_id=event.gate_id,
        new_target=date.fromisoformat(event.after.target_date),
    )
    out.replan |= Scope(gates=frozenset({event.gate_id}))


def _checklist_item_updated(session: Session, change: Change, out: _Consequences) -> None:
    event = change.event
    assert isinstance(event, project_events.ChecklistItemUpdated)
    was, now = ItemStatus(event.before.status), ItemStatus(event.after.status)
    if was is ItemStatus.DONE and now is not ItemStatus.DONE:
        _lapse(session, change, out, gate_id=event.gate_id, unticked_item=event.checklist_item)
    if not _may_be_reminded(session, event.item_row):
        return
    if now is ItemStatus.OPEN and was is not ItemStatus.OPEN:  # reopened: reminders come back
        out.replan |= Scope(items=frozenset({event.item_row}))
    elif was is ItemStatus.OPEN and now is not ItemStatus.OPEN:
        out.forget.append(_Forget("checklist_item", str(event.item_row)))


def _may_be_reminded(session: Session, item_row: int) -> bool:
    """Whether a checklist item may have reminders, asked of the row the use case holds
    (no statement): one without a deadline never has any (`plan_items` reminds of
    deadlines only, and an item's deadline offset is set once, when it is made), so
    ticking or reopening it is no reminder work. An item not held is assumed to."""
    held = session.identity_map.get(identity_key(ChecklistItem, item_row))
    return not isinstance(held, ChecklistItem) or held.due_offset_days is not None


def _checklist_item_decided(session: Session, change: Change, out: _Consequences) -> None:
    """A decision moved the item: no lapse (the decision is the cause), reminders follow."""
    event = change.event
    assert isinstance(event, project_events.ChecklistItemDecided)
    if event.after.status == ItemStatus.OPEN and event.before != event.after:
        out.replan |= Scope(items=frozenset({event.item_row}))


def _lap_started(session: Session, change: Change, out: _Consequences) -> None:
    """A new lap: the loop's items are open again and reminded on the new lap's dates
    (lap 1's reminders, keyed by lap 1's deadlines, are cancelled, never re-sent)."""
    event = change.event
    assert isinstance(event, project_events.LapStarted)
    out.replan |= Scope(gates=frozenset(event.after.gates))


def _review_requested(session: Session, change: Change, out: _Consequences) -> None:
    out.replan |= Scope(reviews=True)


def _review_closed(session: Session, change: Change, out: _Consequences) -> None:
    event = change.event
    assert isinstance(event, gate_events.ReviewWithdrawn | gate_events.GateDecided)
    out.forget.append(_Forget("review", str(event.review_row)))


def _seat_answered(session: Session, change: Change, out: _Consequences) -> None:
    """A vote cast or jäv declared: that person's vote reminders of the review stop."""
    event = change.event
    if isinstance(event, gate_events.VoteCast):
        out.forget.append(_Forget("review", str(event.review_row), recipient=event.voter))
    elif isinstance(event, gate_events.ConflictDeclared):
        out.forget.append(_Forget("review", str(event.review_row), recipient=event.after.member))


def _condition_settled(session: Session, change: Change, out: _Consequences) -> None:
    event = change.event
    assert isinstance(event, gate_events.ConditionClosed | gate_events.ConditionWaived)
    out.forget.append(_Forget("condition", str(event.condition_row)))


def _gate_decided(session: Session, change: Change, out: _Consequences) -> None:
    event = change.event
    assert isinstance(event, gate_events.GateDecided)
    _review_closed(session, change, out)
    if event.after.outcome == Outcome.CONDITIONAL_GO:  # its conditions are new subjects
        out.replan |= Scope(conditions=True)


def _phase_changed(session: Session, change: Change, out: _Consequences) -> None:
    event = change.event
    assert isinstance(event, gate_events.PhaseChanged)
    workflow = project_workflow(session=session, project=change.project)
    before, after = event.before.phase, event.after.phase
    out.replan |= scopes.of_phase_change(workflow, before, after)
    out.left_behind |= scopes.out_of_reach(workflow, before, after)


def _communication_changed(session: Session, change: Change, out: _Consequences) -> None:
    """A kommunikationsplan row added or revised: the plan's reminders are brought in step
    (a genomförd or inställd row, or one whose ansvarig is no member, has none: cancelled)."""
    out.replan |= Scope(communications=True)


_Reaction = Callable[[Session, Change, _Consequences], None]

_REACTIONS: dict[type[Event], _Reaction] = {
    project_events.ProjectCreated: _replan_everything,
    project_events.MemberAdded: _replan_everything,
    project_events.MemberRemoved: _replan_everything,
    project_events.GateTargetChanged: _gate_target_changed,
    project_events.ChecklistItemUpdated: _checklist_item_updated,
    project_events.ChecklistItemDecided: _checklist_item_decided,
    project_events.LapStarted: _lap_started,
    gate_events.ReviewRequested: _review_requested,
    gate_events.ReviewWithdrawn: _review_closed,
    gate_events.ConflictDeclared: _seat_answered,
    gate_events.VoteCast: _seat_answered,
    gate_events.GateDecided: _gate_decided,
    gate_events.ConditionClosed: _condition_settled,
    gate_events.ConditionWaived: _condition_settled,
    gate_events.PhaseChanged: _phase_changed,
    gate_events.ProjectPaused: _replan_everything,
    gate_events.ProjectResumed: _replan_everything,
    gate_events.ProjectTerminated: _replan_everything,
    register_events.CommunicationCreated: _communication_changed,
    register_events.CommunicationUpdated: _communication_changed,
}


# -- helpers ------------------------------------------------------------------------


def _lapse(session: Session, change: Change, out: _Consequences, **why: Any) -> None:
    lapsed = lapse_if_relied_on(session=session, project=change.project, at=change.at, **why)
    if lapsed is not None:
        out.follow_ups.append(
            FollowUp(lapsed.event, change.project, change.at, change.by, row=lapsed.decision)
        )
