"""Seats in a gate decision: the project's members with their roles, and a review's electorate.

Ordinary members (not ersättare) hold the roles the approval policy counts;
the electorate of a review is those seats under the gate's policy, less the
requester where separation of duties applies and the members who declared
jäv in the review.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from gatekeeper.core.phase_model import ApprovalPolicy
from gatekeeper.core.tally import Electorate, electorate
from gatekeeper.store.gates.tables import ConflictOfInterest, GateReview
from gatekeeper.store.projects.tables import Project, ProjectMember


def member_roles(*, session: Session, project: Project) -> dict[str, frozenset[str]]:
    """Ordinary members (not ersättare) and the roles each holds."""
    roles: dict[str, set[str]] = defaultdict(set)
    for member in session.exec(
        select(ProjectMember).where(
            ProjectMember.project_id == project.id, col(ProjectMember.substitute_for).is_(None)
        )
    ).all():
        roles[member.email].add(member.role)
    return {email: frozenset(held) for email, held in roles.items()}


# Built once: the ordinary members with their roles and any jäv they declared in the
# review, in one statement (only members hold seats, so only their jäv counts).
_SEATS = (
    core_select(col(ProjectMember.email), col(ProjectMember.role), col(ConflictOfInterest.reason))
    .outerjoin(
        ConflictOfInterest,
        and_(
            col(ConflictOfInterest.review_id) == bindparam("review_id"),
            col(ConflictOfInterest.member) == col(ProjectMember.email),
        ),
    )
    .where(
        col(ProjectMember.project_id) == bindparam("project_id"),
        col(ProjectMember.substitute_for).is_(None),
    )
)


def review_electorate(
    *, session: Session, project: Project, review: GateReview, policy: ApprovalPolicy
) -> Electorate:
    """The review's seats and the members excluded from them: one statement."""
    roles: dict[str, set[str]] = defaultdict(set)
    conflicts: dict[str, str] = {}
    for email, role, reason in session.execute(
        _SEATS, {"review_id": review.id, "project_id": project.id}
    ):
        roles[email].add(role)
        if reason is not None:
            conflicts[email] = reason
    return electorate(
        policy,
        {email: frozenset(held) for email, held in roles.items()},
        requester=review.requested_by,
        conflicts=conflicts,
    )


def member_emails(*, session: Session, project: Project) -> set[str]:
    return set(
        session.exec(
            select(ProjectMember.email).where(ProjectMember.project_id == project.id)
        ).all()
    )
