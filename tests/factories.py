"""Seed-shaped test data: the Alingsås IBIC introduction and its people.

Built through the public use cases, so every row also has its audit event.
"""

from __future__ import annotations

import contextlib
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import project as projects
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.store.projects.tables import Project
from tests.replay import replayed

PROJEKTLEDARE = Actor.user("anita.lindqvist@alingsas.se", "Anita Lindqvist")
BESTALLARE = Actor.user("malin.holmberg@alingsas.se", "Malin Holmberg")
STYRGRUPP = Actor.user("lars.carlsson@alingsas.se", "Lars Carlsson")
STYRGRUPP_2 = Actor.user("aniko.szabo@alingsas.se", "Aniko Szabo")
ERSATTARE = Actor.user("per.ek@alingsas.se", "Per Ek")

IBIC_MEMBERS = (
    projects.MemberSpec("Anita Lindqvist", "anita.lindqvist@alingsas.se", "projektledare"),
    projects.MemberSpec("Malin Holmberg", "malin.holmberg@alingsas.se", "bestallare"),
    projects.MemberSpec("Lars Carlsson", "lars.carlsson@alingsas.se", "styrgrupp"),
    projects.MemberSpec("Aniko Szabo", "aniko.szabo@alingsas.se", "styrgrupp"),
    projects.MemberSpec("Jonas Berg", "jonas.berg@alingsas.se", "forvaltningsledare"),
    projects.MemberSpec(
        "Per Ek", "per.ek@alingsas.se", "styrgrupp", substitute_for="lars.carlsson@alingsas.se"
    ),
)

IBIC_TARGETS = {
    "forstudie-klar": date(2026, 12, 15),
    "beslut-om-genomforande": date(2027, 2, 15),
    "go-live": date(2027, 9, 1),
    "driftoverlamning-godkand": date(2027, 12, 1),
}


# A go that takes effect when decided (not on the gate's target date): what most
# tests of a decision's effect ask for.
AT_ONCE = {
    "effective_from": "immediately",
    "effective_motivation": "Styrgruppen vill att beslutet gäller direkt.",
}


def _start_ibic(ctx: Context, key: str = "ibic-alingsas") -> Project:
    """The IBIC introduction of Vård- och omsorgsförvaltningen, Alingsås kommun."""
    return projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=key,
        name="Införande av IBIC",
        workflow_id="inforande",
        organisation="Vård- och omsorgsförvaltningen, Alingsås kommun",
        description="Införa arbetssättet IBIC (Individens behov i centrum) under 2027.",
        started_on=date(2026, 9, 1),
        gate_targets=IBIC_TARGETS,
        members=IBIC_MEMBERS,
    )


def project_again(ctx: Context, first: Project) -> Project:
    with ctx.db.read() as session:
        return session.exec(select(Project).where(Project.key == first.key)).one()


# Through the use cases once per worker process; in a fresh database after that,
# the rows that first call wrote (tests/replay.py).
start_ibic = replayed(_start_ibic, reread=project_again)


def tick_gate(
    ctx: Context, key: str, gate_id: str, *, mandatory_only: bool = False, evidence: bool = True
) -> int:
    """Tick the gate's items (evidence where demanded unless told not to); how many."""
    count = 0
    for item in gates.gate_readiness(ctx, key, gate_id).items:
        if mandatory_only and not item.row.mandatory:
            continue
        checklists.update_item(
            ctx,
            PROJEKTLEDARE,
            project_key=key,
            gate_id=gate_id,
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=ItemStatus.DONE,
            evidence=(
                f"https://intranat.alingsas.se/ibic/{item.row.item_id}.pdf"
                if evidence and item.row.evidence_required
                else None
            ),
        )
        count += 1
    return count


def approve_gate(
    ctx: Context,
    key: str,
    gate_id: str,
    *,
    override: str | None = None,
    outcome: Outcome = Outcome.GO,
) -> GateDecision:
    """Every seat votes `outcome` until decided, in the gate's open review or a new one
    the projektledare asks for."""
    open_reviews = [
        view.review
        for view in review_views.reviews_of(ctx, key)
        if view.review.gate_id == gate_id and view.review.status == "open"
    ]
    review = (
        open_reviews[0]
        if open_reviews
        else reviews.request_review(ctx, PROJEKTLEDARE, project_key=key, gate_id=gate_id, **AT_ONCE)
    )
    assert review.id is not None
    for seat in review_views.review_seats(ctx, key, review.id).seats:
        result = voting.cast_vote(
            ctx,
            Actor.user(seat.member),
            project_key=key,
            review_id=review.id,
            outcome=outcome,
            motivation="Underlaget är genomgånget på styrgruppsmötet.",
            override_motivation=override,
        )
        if result.decision is not None:
            return result.decision
    raise AssertionError(f"{gate_id}: every seat voted {outcome} and nothing was decided")


ADMIN = Actor.user("registrator@alingsas.se", "Registrator Alingsås")


def bearer(
    ctx: Context,
    email: str,
    *,
    name: str = "",
    admin: bool = False,
    scope: str = "write",
    projects_: tuple[str, ...] = (),
) -> dict[str, str]:
    """An Authorization header for `email` (account made if missing)."""
    from gatekeeper.core.status import TokenScope
    from gatekeeper.errors import Conflict
    from gatekeeper.services.access import account as accounts

    with contextlib.suppress(Conflict):  # the account may exist already
        accounts.create_user(ctx, ADMIN, email=email, name=name or email, is_admin=admin)
    made = accounts.create_token(
        ctx,
        ADMIN,
        owner_email=email,
        name="test",
        scope=TokenScope(scope),
        projects=projects_,
    )
    return {"Authorization": f"Bearer {made.plaintext}"}


def api_client(ctx: Context, email: str = ADMIN.id, **options: object) -> TestClient:
    """A test client of the whole app, authenticated as `email` (an admin by default)."""
    from tests.apps import app_for

    options.setdefault("admin", email == ADMIN.id)
    client = TestClient(app_for(ctx))
    client.headers.update(bearer(ctx, email, **options))  # type: ignore[arg-type]
    return client
