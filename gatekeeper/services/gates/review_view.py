"""Reading gate reviews: a project's reviews with their votes and declared jäv, and the seats.

Read use cases for pages and the API, each in one read transaction
(`reviews_in` inside the caller's): every review of a project, one review,
and who may vote in a review (and who is out of it, and why).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from gatekeeper.core.tally import Electorate
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.review import approval_of, review_in
from gatekeeper.services.gates.seat import review_electorate
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.gates.tables import ConflictOfInterest, GateReview, ReviewVote
from gatekeeper.store.projects.tables import Project


@dataclass(frozen=True)
class ReviewView:
    """An open or past review with its votes, for pages and the API."""

    review: GateReview
    votes: tuple[ReviewVote, ...]
    conflicts: tuple[ConflictOfInterest, ...]


def _view(session: Session, review: GateReview) -> ReviewView:
    return ReviewView(
        review=review,
        votes=tuple(
            session.exec(
                select(ReviewVote)
                .where(ReviewVote.review_id == review.id)
                .order_by(col(ReviewVote.cast_at), col(ReviewVote.id))
            ).all()
        ),
        conflicts=tuple(
            session.exec(
                select(ConflictOfInterest)
                .where(ConflictOfInterest.review_id == review.id)
                .order_by(col(ConflictOfInterest.declared_at), col(ConflictOfInterest.id))
            ).all()
        ),
    )


def reviews_of(ctx: Context, project_key: str) -> list[ReviewView]:
    """Every review of the project with its votes and conflicts, oldest first."""
    with ctx.db.read() as session:
        return reviews_in(session=session, project=project_by_key(session=session, key=project_key))


def reviews_in(*, session: Session, project: Project) -> list[ReviewView]:
    """`reviews_of` inside the caller's transaction."""
    reviews = session.exec(
        select(GateReview)
        .where(GateReview.project_id == project.id)
        .order_by(col(GateReview.requested_at), col(GateReview.id))
    ).all()
    return [_view(session, review) for review in reviews]


def review_view(ctx: Context, project_key: str, review_id: int) -> ReviewView:
    """One review of the project with its votes and declared conflicts."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return _view(session, review_in(session=session, project=project, review_id=review_id))


def review_seats(ctx: Context, project_key: str, review_id: int) -> Electorate:
    """Who may vote in a review (and who is out of it, and why)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        review = review_in(session=session, project=project, review_id=review_id)
        workflow = project_workflow(session=session, project=project)
        policy = approval_of(workflow.gate(review.gate_id))
        return review_electorate(session=session, project=project, review=review, policy=policy)
