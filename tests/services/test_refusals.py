"""A refused change leaves exactly one trace, a `change.refused` audit event, and changes
nothing else: risks, the aktivitetsplan, members, gate dates, review requests and
diarienummer, each tried by someone who may not (the referensgrupp, a styrgrupp
member). Services, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.errors import PermissionDenied
from gatekeeper.services import onboarding
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import register
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects import named_decision as named_decisions
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import risk as risks
from tests.factories import AT_ONCE, PROJEKTLEDARE, STYRGRUPP, approve_gate, start_ibic, tick_gate

KEY = "ibic-alingsas"
REFERENSGRUPP = Actor.user("eva.sjoberg@alingsas.se", "Eva Sjöberg")
LARS = Principal(email=STYRGRUPP.id, name=STYRGRUPP.name, is_admin=False, can_write=True)


@pytest.fixture
def ibic(ctx: Context) -> Context:
    """IBIC with a referensgrupp member, a risk, an activity and a named decision."""
    start_ibic(ctx)
    members.add_member(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        name=REFERENSGRUPP.name,
        email=REFERENSGRUPP.id,
        role="referensgrupp",
    )
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Verksamheten hinner inte utbilda alla ombud före go-live",
        probability=3,
        consequence=3,
    )
    activities.add_activity(
        ctx, PROJEKTLEDARE, project_key=KEY, title="Utbildning av ombud", responsible="Jonas Berg"
    )
    named_decisions.record_named_decision(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        key="finansiering",
        title="Finansiering beslutad av vård- och omsorgsnämnden",
        decided_on=date(2026, 10, 20),
    )
    return ctx


def _state(ctx: Context) -> dict[str, Any]:
    """What a refused change must leave as it was."""
    overview = overviews.project_overview(ctx, KEY)
    return {
        "phase": overview.project.phase,
        "members": sorted((m.email, m.role) for m in overview.members),
        "targets": overview.gate_targets,
        "risks": [
            (r.title, r.probability, r.status, r.row_version) for r in risks.list_risks(ctx, KEY)
        ],
        "activities": [
            (a.title, a.status, a.row_version) for a in activities.list_activities(ctx, KEY)
        ],
        "named": [
            (d.key, d.reference, d.row_version)
            for d in named_decisions.list_named_decisions(ctx, KEY)
        ],
        "reviews": [(v.review.gate_id, v.review.status) for v in review_views.reviews_of(ctx, KEY)],
        "register": [(e.decision.id, e.decision.reference) for e in register.register(ctx, KEY)],
    }


def _all_events(ctx: Context) -> list[Any]:
    events: list[Any] = []
    while True:
        page = audit_log.list_events(ctx, after_seq=events[-1].seq if events else 0, limit=500)
        if not page:
            return events
        events += page


def _refused_once(
    ctx: Context, attempt: Callable[[], object], *, action: str, kind: str, object_id: str
) -> str:
    """Run `attempt`, which must be refused; the reason recorded in its one audit event."""
    before_events = _all_events(ctx)
    before = _state(ctx)
    with pytest.raises(PermissionDenied) as refused:
        attempt()
    after_events = _all_events(ctx)
    assert _state(ctx) == before
    assert len(after_events) == len(before_events) + 1
    event = after_events[-1]
    assert (event.action, event.object_type, event.object_id) == ("change.refused", kind, object_id)
    assert event.actor.startswith("user:")
    assert event.after == {"action": action, "reason": refused.value.message}
    assert event.project_id is not None
    return refused.value.message


def _risk_id(ctx: Context) -> int:
    risk_id = risks.list_risks(ctx, KEY)[0].id
    assert risk_id is not None
    return risk_id


def test_the_referensgrupp_may_not_record_or_change_a_risk(ibic: Context) -> None:
    reason = _refused_once(
        ibic,
        lambda: risks.add_risk(
            ibic,
            REFERENSGRUPP,
            project_key=KEY,
            title="Leverantören levererar sent",
            probability=2,
            consequence=3,
        ),
        action="risk.create",
        kind="project",
        object_id=KEY,
    )
    assert "projektledaren" in reason
    risk_id = _risk_id(ibic)
    _refused_once(
        ibic,
        lambda: risks.update_risk(
            ibic, REFERENSGRUPP, project_key=KEY, risk_id=risk_id, probability=1
        ),
        action="risk.update",
        kind="risk",
        object_id=str(risk_id),
    )


def test_a_styrgrupp_member_may_not_change_the_aktivitetsplan(ibic: Context) -> None:
    _refused_once(
        ibic,
        lambda: activities.add_activity(ibic, STYRGRUPP, project_key=KEY, title="Kick-off"),
        action="activity.create",
        kind="project",
        object_id=KEY,
    )
    activity_id = activities.list_activities(ibic, KEY)[0].id
    _refused_once(
        ibic,
        lambda: activities.update_activity(
            ibic, STYRGRUPP, project_key=KEY, activity_id=activity_id, title="Utbildning"
        ),
        action="activity.update",
        kind="activity",
        object_id=str(activity_id),
    )


def test_a_styrgrupp_member_may_not_add_change_or_remove_members(ibic: Context) -> None:
    _refused_once(
        ibic,
        lambda: onboarding.add_member(
            ibic,
            LARS,
            project_key=KEY,
            name="Sara Holm",
            email="sara.holm@alingsas.se",
            role="styrgrupp",
            letters=None,
            base_url="https://gatekeeper.alingsas.se",
        ),
        action="member.add",
        kind="member",
        object_id="sara.holm@alingsas.se:styrgrupp",
    )
    _refused_once(
        ibic,
        lambda: members.change_role(
            ibic,
            LARS.actor(),
            project_key=KEY,
            email=REFERENSGRUPP.id,
            role="referensgrupp",
            new_role="styrgrupp",
            manager=LARS,
        ),
        action="member.change_role",
        kind="member",
        object_id=f"{REFERENSGRUPP.id}:referensgrupp",
    )
    _refused_once(
        ibic,
        lambda: members.remove_member(
            ibic,
            LARS.actor(),
            project_key=KEY,
            email=REFERENSGRUPP.id,
            role="referensgrupp",
            manager=LARS,
        ),
        action="member.remove",
        kind="member",
        object_id=f"{REFERENSGRUPP.id}:referensgrupp",
    )


def test_a_styrgrupp_member_may_not_move_a_gate_date(ibic: Context) -> None:
    _refused_once(
        ibic,
        lambda: gate_dates.set_gate_target(
            ibic, STYRGRUPP, project_key=KEY, gate_id="go-live", target_date=date(2027, 10, 1)
        ),
        action="gate.move_date",
        kind="gate",
        object_id=f"{KEY}/go-live",
    )


def test_the_referensgrupp_and_the_styrgrupp_may_not_ask_for_a_review(ibic: Context) -> None:
    tick_gate(ibic, KEY, "forstudie-klar")
    for who in (REFERENSGRUPP, STYRGRUPP):
        reason = _refused_once(
            ibic,
            lambda who=who: reviews.request_review(  # type: ignore[misc]
                ibic, who, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE
            ),
            action="review.request",
            kind="gate",
            object_id=f"{KEY}/forstudie-klar",
        )
        assert "Projektledare" in reason and who.name in reason
    review = reviews.request_review(
        ibic, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE
    )
    assert review.requested_by == PROJEKTLEDARE.id


def test_a_styrgrupp_member_may_not_register_a_diarienummer(ibic: Context) -> None:
    decision = approve_gate(ibic, KEY, "forstudie-klar", override="Nämnden har beslutat.")
    _refused_once(
        ibic,
        lambda: register.set_reference(
            ibic, STYRGRUPP, project_key=KEY, decision_id=decision.id or 0, reference="Dnr 1"
        ),
        action="decision.set_reference",
        kind="decision",
        object_id=str(decision.id),
    )
    _refused_once(
        ibic,
        lambda: named_decisions.set_named_decision_reference(
            ibic, STYRGRUPP, project_key=KEY, key="finansiering", reference="Dnr 2021.158 VON"
        ),
        action="decision.set_reference",
        kind="decision",
        object_id=f"{KEY}/finansiering",
    )
