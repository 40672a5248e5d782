"""Loading a project as the reminder planner sees it, for all its reminders or a scope.

Column-only Core selects (no ORM objects): the members, the open items with
a deadline of the gates still ahead, the open reviews with their seats, the
open conditions, the planned kommunikationsplan rows and the phase entries;
with a `Scope`, only what it covers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col

from gatekeeper.core.followup.register import CommunicationStatus
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.reminders import business_calendar as cal
from gatekeeper.core.reminders import plan as rp
from gatekeeper.core.status import ConditionStatus, ItemStatus, ReviewStatus
from gatekeeper.core.tally import electorate
from gatekeeper.services.reminders.plan_rows import item_subjects
from gatekeeper.services.reminders.scope import EVERYTHING, Scope, gates_ahead
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.followup.register_tables import Communication
from gatekeeper.store.gates.tables import (
    ConflictOfInterest,
    DecisionCondition,
    GateDecision,
    GateReview,
    ReviewVote,
)
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    PhaseChange,
    Project,
    ProjectMember,
)

# Built once: a re-planning runs on every phase change, and building a statement costs
# more than running it against a handful of rows.
_MEMBER_COLUMNS = (
    col(ProjectMember.email),
    col(ProjectMember.name),
    col(ProjectMember.role),
    col(ProjectMember.substitute_for),
    col(UserAccount.time_zone),
)
_MEMBERS = (
    core_select(*_MEMBER_COLUMNS)
    .select_from(ProjectMember)
    .outerjoin(UserAccount, col(UserAccount.email) == col(ProjectMember.email))
    .where(col(ProjectMember.project_id) == bindparam("project_id"))
    .order_by(col(ProjectMember.id))
)
_PHASE_ENTRIES = (
    core_select(col(PhaseChange.to_phase), col(PhaseChange.at))
    .where(col(PhaseChange.project_id) == bindparam("project_id"))
    .order_by(col(PhaseChange.at), col(PhaseChange.id))
)


# The open items with a deadline of the gates still ahead (and any restlista), with
# their gate's target date joined in, so items of a gate with no target date never
# leave the database; narrowed to a scope's items by the caller.
_OPEN_ITEMS = (
    core_select(
        col(ChecklistItem.id),
        col(ChecklistItem.item_id),
        col(ChecklistItem.text),
        col(ChecklistItem.responsible),
        col(ChecklistItem.due_offset_days),
        col(ChecklistItem.mandatory),
        col(ChecklistInstance.gate_id),
        col(ChecklistInstance.checklist_id),
        col(GateTarget.target_date),
    )
    .select_from(ChecklistItem)
    .join(ChecklistInstance, col(ChecklistInstance.id) == col(ChecklistItem.instance_id))
    .join(
        GateTarget,
        and_(
            col(GateTarget.project_id) == col(ChecklistInstance.project_id),
            col(GateTarget.gate_id) == col(ChecklistInstance.gate_id),
            col(GateTarget.lap) == bindparam("lap"),
        ),
    )
    .where(
        col(ChecklistItem.project_id) == bindparam("project_id"),
        col(ChecklistInstance.project_id) == bindparam("project_id"),
        col(ChecklistItem.status) == ItemStatus.OPEN,
        col(ChecklistItem.due_offset_days).is_not(None),
        or_(
            col(ChecklistInstance.gate_id).in_(bindparam("ahead", expanding=True)),
            col(ChecklistItem.restlista),
        ),
    )
    .order_by(col(ChecklistItem.id))
)
_OPEN_ITEM = _OPEN_ITEMS.where(col(ChecklistItem.id) == bindparam("item"))
_ITEM_COLUMNS = len(_OPEN_ITEM.selected_columns)
# A reopened item (the common re-planning) and the members, its recipients, in one
# select: a row per member, none when the item is not reminded at all (then no member
# is needed either).
_OPEN_ITEM_WITH_MEMBERS = (
    _OPEN_ITEM.add_columns(*_MEMBER_COLUMNS)
    .join(ProjectMember, col(ProjectMember.project_id) == col(ChecklistItem.project_id))
    .outerjoin(UserAccount, col(UserAccount.email) == col(ProjectMember.email))
    .order_by(None)
    .order_by(col(ProjectMember.id))
)


def load_state(
    *, session: Session, project: Project, workflow: Workflow, scope: Scope = EVERYTHING
) -> rp.ProjectState:
    """The project as the planner sees it: a handful of column-only Core selects.

    Only what `scope` needs is read: the members always (they are the
    recipients), the items of its items and gates, the open reviews, the open
    conditions and the phase entries (for meetings) only when it covers them.
    A scope of one item alone (a reopened item) reads it and the members in one.
    """
    parts = scope.parts
    assert project.id is not None
    pid = project.id
    session.flush()  # the caller's pending changes are what we plan from
    connection = session.connection()
    tz = cal.zone(workflow.reminders.calendar.time_zone)
    gate_names = {gate.id: gate.name for gate in workflow.gates}
    items: tuple[rp.OpenItem, ...] = ()
    if scope.single_item is None:
        member_rows: Sequence[Any] = connection.execute(_MEMBERS, {"project_id": pid}).all()
        if parts.items:
            items = _open_items(
                connection=connection,
                project=project,
                workflow=workflow,
                gate_names=gate_names,
                scope=scope,
            )
    else:
        rows = connection.execute(
            _OPEN_ITEM_WITH_MEMBERS,
            {
                "project_id": pid,
                "lap": project.lap,
                "ahead": sorted(gates_ahead(workflow, project.phase)),
                "item": scope.single_item,
            },
        ).all()
        member_rows = [row[_ITEM_COLUMNS:] for row in rows]
        items = tuple(_open_item(row[:_ITEM_COLUMNS], gate_names) for row in rows[:1])
    condition_rows = (
        []
        if not parts.conditions
        else connection.execute(
            core_select(
                col(DecisionCondition.id),
                col(DecisionCondition.text),
                col(DecisionCondition.owner),
                col(DecisionCondition.due_on),
                col(GateDecision.gate_id),
                col(UserAccount.time_zone),
                col(UserAccount.name),
            )
            .select_from(DecisionCondition)
            .join(GateDecision, col(GateDecision.id) == col(DecisionCondition.decision_id))
            .outerjoin(UserAccount, col(UserAccount.email) == col(DecisionCondition.owner))
            .where(
                col(DecisionCondition.project_id) == pid,
                col(DecisionCondition.status) == ConditionStatus.OPEN,
            )
            .order_by(col(DecisionCondition.id))
        ).all()
    )
    people: dict[str, rp.Person] = {}
    by_role: dict[str, list[rp.Person]] = defaultdict(list)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for email, name, _, _, zone in member_rows:
        people[email] = rp.Person(email=email, name=name, time_zone=zone or None)
    for email, _, role, substitute_for, _ in member_rows:
        if substitute_for is None:
            by_role[role].append(people[email])
            roles_of[email].add(role)
    for _, _, owner, _, _, zone, owner_name in condition_rows:
        # An owner who is no member is named by their account: a name, never the address.
        people.setdefault(owner, rp.Person(owner, owner_name or "", zone or None))
    return rp.ProjectState(
        key=project.key,
        name=project.name,
        status=project.status,
        phase=project.phase,
        final=workflow.phase(project.phase).final,
        started_on=project.started_on,
        policy=workflow.reminders,
        members={role: tuple(held) for role, held in by_role.items()},
        people=people,
        items=items,
        reviews=()
        if not parts.reviews
        else _open_reviews(
            connection=connection,
            project_id=pid,
            workflow=workflow,
            roles_of={email: frozenset(roles) for email, roles in roles_of.items()},
        ),
        conditions=tuple(
            rp.OpenCondition(
                id=id_ or 0,
                text=text,
                owner=owner,
                due_on=due_on,
                gate_name=gate_names.get(gate_id, gate_id),
            )
            for id_, text, owner, due_on, gate_id, _, _ in condition_rows
        ),
        communications=(
            _communications(
                connection=connection,
                project_id=pid,
                members=frozenset(row[0] for row in member_rows),
            )
            if parts.communications
            else ()
        ),
        phase_entries=(
            _phase_entries(connection=connection, project_id=pid, tz=tz) if parts.meetings else {}
        ),
        final_phases=frozenset(p.id for p in workflow.phases if p.final),
        role_names={role.id: role.name for role in workflow.roles},
        language=workflow.language,
    )


def _open_items(
    *,
    connection: Connection,
    project: Project,
    workflow: Workflow,
    gate_names: dict[str, str],
    scope: Scope,
) -> tuple[rp.OpenItem, ...]:
    """Open items with a deadline, of the gates still ahead (and any restlista),
    among the items and gates of `scope`.

    One select: the item's gate target is joined in, so items of a gate with
    no target date never leave the database.
    """
    ahead = sorted(gates_ahead(workflow, project.phase))
    assert project.id is not None
    statement = (
        _OPEN_ITEMS if scope.everything else _OPEN_ITEMS.where(item_subjects(scope, project.id))
    )
    rows = connection.execute(
        statement, {"project_id": project.id, "lap": project.lap, "ahead": ahead}
    ).all()
    return tuple(_open_item(row, gate_names) for row in rows)


def _open_item(row: Sequence[Any], gate_names: dict[str, str]) -> rp.OpenItem:
    """An item as the planner sees it, from a row of `_OPEN_ITEMS`."""
    id_, item_id, text, responsible, offset, mandatory, gate_id, checklist_id, target = row
    return rp.OpenItem(
        id=id_ or 0,
        gate_id=gate_id,
        gate_name=gate_names.get(gate_id, gate_id),
        checklist_id=checklist_id,
        item_id=item_id,
        text=text,
        responsible=responsible,
        due_on=target + timedelta(days=offset or 0),  # never None: filtered in the select
        mandatory=bool(mandatory),
    )


def _communications(
    *, connection: Connection, project_id: int, members: frozenset[str]
) -> tuple[rp.OpenCommunication, ...]:
    """Planerad kommunikationsplan rows with a tidpunkt whose ansvarig is a member."""
    rows = connection.execute(
        core_select(
            col(Communication.id),
            col(Communication.audience),
            col(Communication.channel),
            col(Communication.responsible_email),
            col(Communication.planned_on),
        )
        .where(
            col(Communication.project_id) == project_id,
            col(Communication.status) == CommunicationStatus.PLANNED,
            col(Communication.planned_on).is_not(None),
            col(Communication.responsible_email).is_not(None),
        )
        .order_by(col(Communication.id))
    ).all()
    return tuple(
        rp.OpenCommunication(
            id=id_ or 0,
            text=f"{audience} – {channel}" if channel else audience,
            owner=email,
            due_on=due_on,
        )
        for id_, audience, channel, email, due_on in rows
        if email in members and due_on is not None
    )


def _open_reviews(
    *,
    connection: Connection,
    project_id: int,
    workflow: Workflow,
    roles_of: dict[str, frozenset[str]],
) -> tuple[rp.OpenReview, ...]:
    reviews = connection.execute(
        core_select(
            col(GateReview.id),
            col(GateReview.gate_id),
            col(GateReview.requested_by),
            col(GateReview.requested_at),
        )
        .where(
            col(GateReview.project_id) == project_id,
            col(GateReview.status) == ReviewStatus.OPEN,
        )
        .order_by(col(GateReview.id))
    ).all()
    if not reviews:
        return ()
    ids = [id_ for id_, _, _, _ in reviews]
    voted: dict[int, set[str]] = defaultdict(set)
    for review_id, member in connection.execute(
        core_select(col(ReviewVote.review_id), col(ReviewVote.member)).where(
            col(ReviewVote.review_id).in_(ids)
        )
    ).all():
        voted[review_id].add(member)
    conflicts: dict[int, dict[str, str]] = defaultdict(dict)
    for review_id, member, reason in connection.execute(
        core_select(
            col(ConflictOfInterest.review_id),
            col(ConflictOfInterest.member),
            col(ConflictOfInterest.reason),
        ).where(col(ConflictOfInterest.review_id).in_(ids))
    ).all():
        conflicts[review_id][member] = reason
    out: list[rp.OpenReview] = []
    for id_, gate_id, requested_by, requested_at in reviews:
        review_id = id_ or 0
        gate = workflow.gate(gate_id)
        if gate.approval is None:
            continue
        seats = electorate(
            gate.approval,
            roles_of,
            requester=requested_by,
            conflicts=conflicts[review_id],
        ).seats
        out.append(
            rp.OpenReview(
                id=review_id,
                gate_id=gate.id,
                gate_name=gate.name,
                requested_at=requested_at,
                seats=tuple(seat.member for seat in seats),
                voted=frozenset(voted[review_id]),
                conflicted=frozenset(conflicts[review_id]),
            )
        )
    return tuple(out)


def _phase_entries(*, connection: Connection, project_id: int, tz: Any) -> dict[str, date]:
    """The local date the project last entered each phase."""
    entries: dict[str, date] = {}
    for phase, at in connection.execute(_PHASE_ENTRIES, {"project_id": project_id}).all():
        entries[phase] = at.astimezone(tz).date()
    return entries
