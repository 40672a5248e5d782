"""Who may call every mutating endpoint of the API: a matrix of endpoint × caller.

Every POST, PUT, PATCH and DELETE under /api/v1 must have a row here; the rows
are checked against the app's routes, so a new endpoint without one fails.
Each row arranges what the call needs (a review, a decision, a token…) through
the use cases and gives a minimal valid body. The callers:

- anonymous: no token → 401;
- outsider: a write token of someone who is not a member → 404 on project
  routes (the project does not exist for them), allowed elsewhere;
- reader: the member who may do it, with a read token → 403;
- writer: the same member with a write token → allowed;
- admin: an administrator with a write token who holds no role in the project
  → allowed by the access layer. Some use cases then refuse by the member's
  role (an admin casts no vote); the row names that refusal, and the test
  checks it is the use case's sentence, not the access layer's.

Admin-only endpoints answer 403 to everyone but the admin. "Allowed" means a
2xx here: every row is arranged so that the call succeeds. A refusal changes
nothing (the audit log gets at most the refusal itself), so the refused callers
of one endpoint take turns on one arrangement; each allowed caller has a
database of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.followup.goal import GoalKind
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import TokenScope
from gatekeeper.errors import Conflict
from gatekeeper.services.access import account as accounts
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.audit import webhook_subscription
from gatekeeper.services.context import Context
from gatekeeper.services.followup import communication as communications
from gatekeeper.services.followup import goal as goals
from gatekeeper.services.followup import measurement as measurements
from gatekeeper.services.followup import stakeholder as stakeholders
from gatekeeper.services.followup.goal_fields import GoalFields
from gatekeeper.services.gates import late_vote as late_votes
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import register as decision_register
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.meetings import meeting as meetings
from gatekeeper.services.meetings import protocol as protocols
from gatekeeper.services.meetings import sending
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects import named_decision as named_decisions
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.web.app import API_PREFIX
from tests.apps import app_for
from tests.factories import (
    ADMIN,
    AT_ONCE,
    PROJEKTLEDARE,
    STYRGRUPP,
    STYRGRUPP_2,
    api_client,
    approve_gate,
    start_ibic,
)

KEY = "ibic-alingsas"
P = f"{API_PREFIX}/projects/{{project_key}}"
ANITA = "anita.lindqvist@alingsas.se"  # projektledare
LARS = "lars.carlsson@alingsas.se"  # styrgrupp
OUTSIDER = "kalle.nilsson@boras.se"
SARA = "sara.holm@alingsas.se"  # a third styrgrupp seat, left to vote after the decision
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
CALLERS = ("anonymous", "outsider", "reader", "writer", "admin")
MOTIVATION = "Underlaget är genomgånget på styrgruppsmötet."
OVERRIDE = "Nämnden har redan beslutat om införandet (§53 dnr 2021.158 VON)."

Body = dict[str, Any] | None
Arrange = Callable[[Context, str], tuple[str, Body]]  # (ctx, caller's e-mail) -> path, body


@dataclass(frozen=True)
class Row:
    """One mutating endpoint: how to call it, and who may."""

    method: str
    route: str  # the route's path as the app declares it
    member: str  # the member who may do it (the reader and writer callers)
    arrange: Arrange
    project: bool = True  # under /projects/{project_key}
    admin_only: bool = False
    admin_refusal: str | None = None  # the use case's refusal of an admin without a role
    reader_refusal: str = "Tokenet får bara läsa"
    multipart: bool = False  # the body's values are sent as uploaded files
    # what the member and an admin get when the shipped workflows leave no way to succeed
    # (every shipped gate has an approval policy, so none can be passed directly)
    refused_anyway: tuple[int, str] | None = None


# --- arrangements: each returns the concrete path and a minimal valid body --------------


def _project_path(route: str, **ids: object) -> str:
    return route.format(project_key=KEY, **ids)


def _review(ctx: Context) -> int:
    review = reviews.request_review(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE
    )
    assert review.id is not None
    return review.id


def _conditional_go(ctx: Context) -> int:
    review_id = _review(ctx)
    condition = voting.ConditionSpec("Nulägesanalysen kompletteras", ANITA, date(2026, 12, 18))
    for voter, outcome in ((STYRGRUPP, Outcome.CONDITIONAL_GO), (STYRGRUPP_2, Outcome.GO)):
        result = voting.cast_vote(
            ctx,
            voter,
            project_key=KEY,
            review_id=review_id,
            outcome=outcome,
            motivation=MOTIVATION,
            override_motivation=OVERRIDE,
            conditions=[condition] if outcome is Outcome.CONDITIONAL_GO else [],
        )
    assert result.decision is not None and result.decision.id is not None
    (open_condition,) = decision_register.open_conditions(ctx, KEY)
    assert open_condition.id is not None
    return open_condition.id


def _token_of(ctx: Context, email: str) -> str:
    with contextlib.suppress(Conflict):  # the anonymous caller's target has no account yet
        accounts.create_user(ctx, ADMIN, email=email, name=email)
    made = accounts.create_token(
        ctx, ADMIN, owner_email=email, name="Att återkalla", scope=TokenScope.WRITE
    )
    return made.token.public_id


def arrange_create_project(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"key": "ibic-lerum", "name": "Införande av IBIC i Lerum", "workflow_id": "inforande"}
    return f"{API_PREFIX}/projects", body


def arrange_update_project(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P), {"description": "IBIC införs i hela förvaltningen."}


def arrange_add_member(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"name": "Eva Ek", "email": "eva.ek@alingsas.se", "role": "ombud"}
    return _project_path(P + "/members"), body


def arrange_remove_member(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/members/jonas.berg@alingsas.se/forvaltningsledare"), None


def arrange_change_role(ctx: Context, caller: str) -> tuple[str, Body]:
    path = _project_path(P + "/members/jonas.berg@alingsas.se/forvaltningsledare")
    return path, {"role": "projektgrupp"}


def arrange_gate_target(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/gates/forstudie-klar/target"), {"target_date": "2026-12-20"}


def arrange_pass(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/gates/forstudie-klar/pass"), {"motivation": MOTIVATION}


def arrange_item(ctx: Context, caller: str) -> tuple[str, Body]:
    item = gates.gate_readiness(ctx, KEY, "forstudie-klar").items[0]
    path = f"{P}/gates/forstudie-klar/items/{item.checklist_id}/{item.row.item_id}"
    return _project_path(path), {"status": "done", "evidence": "https://intranat.alingsas.se/a"}


def arrange_webhook(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/webhooks"), {"url": "https://intranat.alingsas.se/hooks/gk"}


def arrange_delete_webhook(ctx: Context, caller: str) -> tuple[str, Body]:
    made = webhook_subscription.subscribe(
        ctx, PROJEKTLEDARE, project_key=KEY, url="https://intranat.alingsas.se/hooks/gk"
    )
    return _project_path(P + "/webhooks/{id}", id=made.subscription.id), None


def arrange_resend_delivery(ctx: Context, caller: str) -> tuple[str, Body]:
    from sqlmodel import select

    from gatekeeper.core.status import DeliveryStatus
    from gatekeeper.services.projects import risk as risks
    from gatekeeper.store.audit.webhook_tables import WebhookDelivery

    made = webhook_subscription.subscribe(
        ctx, PROJEKTLEDARE, project_key=KEY, url="https://intranat.alingsas.se/hooks/gk"
    )
    risks.add_risk(
        ctx, PROJEKTLEDARE, project_key=KEY, title="Sen leverans", probability=2, consequence=2
    )
    with ctx.db.write() as session:
        [delivery] = session.exec(
            select(WebhookDelivery).where(
                WebhookDelivery.subscription_id == made.subscription.id,
                WebhookDelivery.status == DeliveryStatus.PENDING,
            )
        ).all()[-1:]
        delivery.status = DeliveryStatus.DEAD  # as the dispatcher leaves it after its last try
        session.add(delivery)
    return _project_path(
        P + "/webhooks/{s}/deliveries/{d}/resend", s=made.subscription.id, d=delivery.id
    ), None


def arrange_risk(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"title": "Verksamheten hinner inte utbilda", "probability": 3, "consequence": 2}
    return _project_path(P + "/risks"), body


def arrange_update_risk(ctx: Context, caller: str) -> tuple[str, Body]:
    risk = risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Nyckelperson slutar",
        probability=2,
        consequence=3,
    )
    return _project_path(P + "/risks/{id}", id=risk.id), {"probability": 1}


def arrange_section(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/final-report/sections/ekonomi"), {"text": "Budget 1,2 mnkr."}


def arrange_approve_report(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/final-report/approve"), None


def arrange_lesson(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"lesson": "Börja alla projekt med en förstudie", "category": "styrning"}
    return _project_path(P + "/lessons"), body


def arrange_update_lesson(ctx: Context, caller: str) -> tuple[str, Body]:
    from gatekeeper.services.reports import lesson as lessons

    row = lessons.add_lesson(
        ctx, PROJEKTLEDARE, project_key=KEY, lesson="Digitala möten sparar tid", category="teknik"
    )
    return _project_path(P + "/lessons/{id}", id=row.id), {"category": "samverkan"}


TRAINED = GoalFields(
    kind=GoalKind.EFFEKTMAL,
    title="Alla som arbetar med IBIC har gått utbildningen",
    indicator="Andel anställda som gått utbildningen",
    unit="%",
    baseline="0",
    target="90",
)


def arrange_goal(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"kind": "projektmal", "title": "Genomförandeplaner enligt IBIC", "target": "95"}
    return _project_path(P + "/goals"), body


def _trained_goal(ctx: Context) -> str:
    goals.add_goal(ctx, PROJEKTLEDARE, project_key=KEY, fields=TRAINED, key="utbildade")
    return "utbildade"


def arrange_update_goal(ctx: Context, caller: str) -> tuple[str, Body]:
    key = _trained_goal(ctx)
    return _project_path(P + "/goals/{key}", key=key), {"target": "95"}


def arrange_measurement(ctx: Context, caller: str) -> tuple[str, Body]:
    key = _trained_goal(ctx)
    body = {"goal": key, "measured_on": "2026-11-02", "value": "38"}
    return _project_path(P + "/measurements"), body


def arrange_update_measurement(ctx: Context, caller: str) -> tuple[str, Body]:
    key = _trained_goal(ctx)
    row = measurements.record_measurement(
        ctx, PROJEKTLEDARE, project_key=KEY, goal=key, measured_on=date(2026, 11, 2), value="38"
    )
    return _project_path(P + "/measurements/{id}", id=row.id), {"value": "40"}


def arrange_meeting(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"starts_on": "2026-12-10", "time": "13:00", "place": "Stadshuset, rum Mjörn"}
    return _project_path(P + "/meetings"), body


def _drafted_meeting(ctx: Context) -> int:
    meeting = meetings.create_meeting(
        ctx, PROJEKTLEDARE, project_key=KEY, starts_at=datetime(2026, 11, 24, 12, tzinfo=UTC)
    )
    assert meeting.id is not None
    return meeting.id


def _held_meeting(ctx: Context) -> int:
    meeting_id = _drafted_meeting(ctx)
    sending.send_kallelse(ctx, PROJEKTLEDARE, project_key=KEY, meeting_id=meeting_id)
    protocols.record_protocol(
        ctx, PROJEKTLEDARE, project_key=KEY, meeting_id=meeting_id, present=["Anita Lindqvist"]
    )
    return meeting_id


def arrange_update_meeting(ctx: Context, caller: str) -> tuple[str, Body]:
    meeting_id = _drafted_meeting(ctx)
    return _project_path(P + "/meetings/{id}", id=meeting_id), {"place": "Rådhuset"}


def arrange_send_meeting(ctx: Context, caller: str) -> tuple[str, Body]:
    meeting_id = _drafted_meeting(ctx)
    return _project_path(P + "/meetings/{id}/send", id=meeting_id), None


def arrange_protocol(ctx: Context, caller: str) -> tuple[str, Body]:
    meeting_id = _drafted_meeting(ctx)
    sending.send_kallelse(ctx, PROJEKTLEDARE, project_key=KEY, meeting_id=meeting_id)
    body = {"present": ["Anita Lindqvist", "Lars Carlsson"]}
    return _project_path(P + "/meetings/{id}/protocol", id=meeting_id), body


def arrange_justering(ctx: Context, caller: str) -> tuple[str, Body]:
    meeting_id = _held_meeting(ctx)
    return _project_path(P + "/meetings/{id}/justering", id=meeting_id), None


def arrange_activity(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/activities"), {"title": "Utbildning av ombud"}


def arrange_update_activity(ctx: Context, caller: str) -> tuple[str, Body]:
    activity = activities.add_activity(ctx, PROJEKTLEDARE, project_key=KEY, title="Utbildning")
    return _project_path(P + "/activities/{id}", id=activity.id), {"status": "in_progress"}


def arrange_communication(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/communications"), {"audience": "Fackliga organisationer"}


def arrange_update_communication(ctx: Context, caller: str) -> tuple[str, Body]:
    row = communications.add_communication(
        ctx, PROJEKTLEDARE, project_key=KEY, audience="Enhetschefer"
    )
    return _project_path(P + "/communications/{id}", id=row.id), {"status": "done"}


def arrange_stakeholder(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/stakeholders"), {"name": "Brukare", "influence": "medium"}


def arrange_update_stakeholder(ctx: Context, caller: str) -> tuple[str, Body]:
    row = stakeholders.add_stakeholder(ctx, PROJEKTLEDARE, project_key=KEY, name="SKR")
    return _project_path(P + "/stakeholders/{id}", id=row.id), {"influence": "high"}


def arrange_parent(ctx: Context, caller: str) -> tuple[str, Body]:
    with contextlib.suppress(Conflict):  # Anita leads it too: she may link under it
        start_ibic(ctx, key="ibic-vastra-gotaland")
    return _project_path(P + "/parent"), {"parent": "ibic-vastra-gotaland"}


def arrange_named_decision(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"key": "finansiering", "title": "Finansiering beslutad", "decided_on": "2026-10-20"}
    return _project_path(P + "/named-decisions"), body


def arrange_review(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/reviews"), {"gate_id": "forstudie-klar"}


def arrange_vote(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"outcome": "go", "motivation": MOTIVATION, "override_motivation": OVERRIDE}
    return _project_path(P + "/reviews/{id}/votes", id=_review(ctx)), body


def arrange_conflict(ctx: Context, caller: str) -> tuple[str, Body]:
    body = {"reason": "Make arbetar hos leverantören"}
    return _project_path(P + "/reviews/{id}/conflicts", id=_review(ctx)), body


def arrange_withdraw(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/reviews/{id}/withdraw", id=_review(ctx)), None


def arrange_settle(ctx: Context, caller: str) -> tuple[str, Body]:
    path = _project_path(P + "/conditions/{id}/settle", id=_conditional_go(ctx))
    return path, {"status": "closed", "note": "Statistiken är inlagd."}


def arrange_resume(ctx: Context, caller: str) -> tuple[str, Body]:
    approve_gate(ctx, KEY, "forstudie-klar", outcome=Outcome.HOLD)
    return _project_path(P + "/resume"), {"motivation": "Finansieringen är klar."}


def arrange_reference(ctx: Context, caller: str) -> tuple[str, Body]:
    decision = approve_gate(ctx, KEY, "forstudie-klar", override=OVERRIDE)
    path = _project_path(P + "/decisions/{id}/reference", id=decision.id)
    return path, {"reference": "Dnr 2026.158 VON"}


def arrange_named_reference(ctx: Context, caller: str) -> tuple[str, Body]:
    named_decisions.record_named_decision(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        key="finansiering",
        title="Finansiering beslutad av vård- och omsorgsnämnden",
        decided_on=date(2026, 10, 20),
    )
    path = _project_path(P + "/named-decisions/finansiering")
    return path, {"reference": "Dnr 2021.158 VON"}


def _decided_with_a_seat_left(ctx: Context) -> GateDecision:
    members.add_member(ctx, ADMIN, project_key=KEY, name="Sara Holm", email=SARA, role="styrgrupp")
    return approve_gate(ctx, KEY, "forstudie-klar", override=OVERRIDE)  # 2 of 3 decide


def arrange_late_vote(ctx: Context, caller: str) -> tuple[str, Body]:
    decision = _decided_with_a_seat_left(ctx)
    path = _project_path(P + "/reviews/{id}/late-votes", id=decision.review_id)
    return path, {"outcome": "no_go", "motivation": MOTIVATION}


def arrange_reservation(ctx: Context, caller: str) -> tuple[str, Body]:
    decision = _decided_with_a_seat_left(ctx)
    late_votes.cast_late_vote(
        ctx,
        Actor.user(SARA, "Sara Holm"),
        project_key=KEY,
        review_id=decision.review_id,
        outcome=Outcome.NO_GO,
        motivation=MOTIVATION,
    )
    path = _project_path(P + "/decisions/{id}/reservations", id=decision.id)
    return path, {"text": "Utbildningen hinns inte före driftstart."}


def arrange_token(ctx: Context, caller: str) -> tuple[str, Body]:
    return f"{API_PREFIX}/tokens", {"name": "Teams-bot", "scope": "write"}


def arrange_revoke_token(ctx: Context, caller: str) -> tuple[str, Body]:
    return f"{API_PREFIX}/tokens/{_token_of(ctx, caller)}", None


def arrange_requeue(ctx: Context, caller: str) -> tuple[str, Body]:
    from gatekeeper.core.status import ReminderStatus
    from tests.services.test_inbox import add_reminder

    failed = add_reminder(ctx, KEY, status=ReminderStatus.FAILED, attempts=8)
    return _project_path(P + "/reminders/{id}/requeue", id=failed.id), None


def arrange_inbox_read(ctx: Context, caller: str) -> tuple[str, Body]:
    from tests.services.test_inbox import add_message

    message = add_message(ctx, KEY, email=caller)
    return f"{API_PREFIX}/me/inbox/{message.id}/read", None


def arrange_inbox_read_all(ctx: Context, caller: str) -> tuple[str, Body]:
    return f"{API_PREFIX}/me/inbox/read-all", None


def arrange_settings(ctx: Context, caller: str) -> tuple[str, Body]:
    return f"{API_PREFIX}/me/settings", {"time_zone": "Europe/Helsinki", "email_digest": True}


def arrange_calendar_feed(ctx: Context, caller: str) -> tuple[str, Body]:
    return f"{API_PREFIX}/me/calendar-feeds", {}


def arrange_revoke_calendar_feed(ctx: Context, caller: str) -> tuple[str, Body]:
    from gatekeeper.core.actor import Actor
    from gatekeeper.services.reminders import calendar_feed as calendar_feeds

    with contextlib.suppress(Conflict):  # the anonymous caller's target has no account yet
        accounts.create_user(ctx, ADMIN, email=caller, name=caller)
    made = calendar_feeds.create_feed(ctx, Actor.user(caller), email=caller)
    return f"{API_PREFIX}/me/calendar-feeds/{made.view.feed.id}", None


def _rollout(ctx: Context) -> None:
    """A wave and a kommun with one förvaltning in the IBIC project."""
    from gatekeeper.services.rollout import unit as units
    from gatekeeper.services.rollout import wave as waves

    waves.create_wave(
        ctx, PROJEKTLEDARE, project_key=KEY, key="vag-1", name="Våg 1", go_live_on=date(2027, 3, 1)
    )
    waves.create_wave(
        ctx, PROJEKTLEDARE, project_key=KEY, key="vag-2", name="Våg 2", go_live_on=date(2027, 5, 3)
    )
    units.add_unit(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        key="alingsas",
        name="Alingsås kommun",
        kind="kommun",
        wave_key="vag-1",
    )
    units.add_unit(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        key="alingsas-vo",
        name="Vård och omsorg",
        kind="forvaltning",
        parent_key="alingsas",
    )


def arrange_wave_review(ctx: Context, caller: str) -> tuple[str, Body]:
    from gatekeeper.services.projects import named_decision as decisions

    approve_gate(ctx, KEY, "forstudie-klar", override=OVERRIDE)
    for key in ("projektdirektiv", "finansiering"):
        decisions.record_named_decision(
            ctx, PROJEKTLEDARE, project_key=KEY, key=key, title=key, decided_on=date(2026, 11, 2)
        )
    approve_gate(ctx, KEY, "beslut-om-genomforande", override=OVERRIDE)
    _rollout(ctx)
    return _project_path(P + "/waves/vag-1/reviews"), {"message": "Go/no-go för våg 1."}


def arrange_required_units(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    return _project_path(P + "/waves/vag-1/required-units"), {"unit_keys": ["alingsas"]}


def arrange_wave(ctx: Context, caller: str) -> tuple[str, Body]:
    return _project_path(P + "/waves"), {
        "key": "vag-1",
        "name": "Våg 1",
        "go_live_on": "2027-03-01",
    }


def arrange_update_wave(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    return _project_path(P + "/waves/vag-1"), {"go_live_on": "2027-03-15"}


def arrange_unit(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    body = {
        "key": "alingsas-hemtjanst",
        "name": "Hemtjänst",
        "kind": "enhet",
        "parent_key": "alingsas-vo",
    }
    return _project_path(P + "/units"), body


def arrange_update_unit(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    return _project_path(P + "/units/alingsas-vo"), {"responsible_email": "jonas.berg@alingsas.se"}


def arrange_move_unit(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    body = {"wave_key": "vag-2", "motivation": "Utbildningen hinns inte med före driftstart."}
    return _project_path(P + "/units/alingsas-vo/move"), body


def arrange_remove_unit(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    return _project_path(P + "/units/alingsas-vo"), None


def arrange_import_units(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    csv_text = (
        "nyckel;namn;typ;överordnad\nalingsas-ifo;Individ- och familjeomsorg;förvaltning;alingsas\n"
    )
    return _project_path(P + "/units/import"), {"file": csv_text}


def arrange_unit_item(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    return _project_path(P + "/units/alingsas-vo/items/behorigheter"), {"status": "done"}


def arrange_bulk_tick(ctx: Context, caller: str) -> tuple[str, Body]:
    _rollout(ctx)
    body = {"unit_keys": ["alingsas", "alingsas-vo"], "status": "done"}
    return _project_path(P + "/unit-items/behorigheter/bulk"), body


ROWS = (
    Row(
        "POST",
        f"{API_PREFIX}/projects",
        ANITA,
        arrange_create_project,
        project=False,
        admin_only=True,
    ),
    Row("PATCH", P, ANITA, arrange_update_project),
    Row("POST", P + "/members", ANITA, arrange_add_member),
    Row("PATCH", P + "/members/{email}/{role}", ANITA, arrange_change_role),
    Row("DELETE", P + "/members/{email}/{role}", ANITA, arrange_remove_member),
    Row("PUT", P + "/gates/{gate_id}/target", ANITA, arrange_gate_target),
    Row(
        "POST",
        P + "/gates/{gate_id}/pass",
        ANITA,
        arrange_pass,
        refused_anyway=(409, "begär en granskning"),
    ),
    Row("PATCH", P + "/gates/{gate_id}/items/{checklist_id}/{item_id}", ANITA, arrange_item),
    Row("POST", P + "/webhooks", ANITA, arrange_webhook),
    Row("DELETE", P + "/webhooks/{subscription_id}", ANITA, arrange_delete_webhook),
    Row(
        "POST",
        P + "/webhooks/{subscription_id}/deliveries/{delivery_id}/resend",
        ANITA,
        arrange_resend_delivery,
    ),
    Row("POST", P + "/risks", ANITA, arrange_risk),
    Row("PATCH", P + "/risks/{risk_id}", ANITA, arrange_update_risk),
    Row("POST", P + "/activities", ANITA, arrange_activity),
    Row("PUT", P + "/final-report/sections/{section}", ANITA, arrange_section),
    Row("POST", P + "/final-report/approve", LARS, arrange_approve_report),
    Row("POST", P + "/lessons", ANITA, arrange_lesson),
    Row("PATCH", P + "/lessons/{lesson_id}", ANITA, arrange_update_lesson),
    Row("PATCH", P + "/activities/{activity_id}", ANITA, arrange_update_activity),
    Row("POST", P + "/goals", ANITA, arrange_goal),
    Row("PATCH", P + "/goals/{goal_key}", ANITA, arrange_update_goal),
    Row("POST", P + "/measurements", ANITA, arrange_measurement),
    Row("PATCH", P + "/measurements/{measurement_id}", ANITA, arrange_update_measurement),
    Row("POST", P + "/meetings", ANITA, arrange_meeting),
    Row("PATCH", P + "/meetings/{meeting_id}", ANITA, arrange_update_meeting),
    Row("POST", P + "/meetings/{meeting_id}/send", ANITA, arrange_send_meeting),
    Row("PUT", P + "/meetings/{meeting_id}/protocol", ANITA, arrange_protocol),
    Row(
        "POST",
        P + "/meetings/{meeting_id}/justering",
        LARS,
        arrange_justering,
        admin_refusal="Bara mötets justerare och ordförande justerar protokollet.",
    ),
    Row("POST", P + "/communications", ANITA, arrange_communication),
    Row("PATCH", P + "/communications/{row_id}", ANITA, arrange_update_communication),
    Row("POST", P + "/stakeholders", ANITA, arrange_stakeholder),
    Row("PATCH", P + "/stakeholders/{row_id}", ANITA, arrange_update_stakeholder),
    Row("PUT", P + "/parent", ANITA, arrange_parent),
    Row("POST", P + "/named-decisions", ANITA, arrange_named_decision),
    Row("POST", P + "/reviews", ANITA, arrange_review),  # the projektledare, or an admin
    Row(
        "POST",
        P + "/reviews/{review_id}/votes",
        LARS,
        arrange_vote,
        admin_refusal="Rösten tas inte emot",
    ),
    Row(
        "POST",
        P + "/reviews/{review_id}/conflicts",
        LARS,
        arrange_conflict,
        admin_refusal="är inte ledamot",
    ),
    Row(
        "POST",
        P + "/reviews/{review_id}/withdraw",
        ANITA,
        arrange_withdraw,
        admin_refusal="Bara den som begärde granskningen",
    ),
    Row(
        "POST",
        P + "/conditions/{condition_id}/settle",
        ANITA,
        arrange_settle,
        admin_refusal="Villkoret stängs av sin ansvarige",
    ),
    Row(
        "POST",
        P + "/resume",
        LARS,
        arrange_resume,
        admin_refusal="Bara en beslutande ledamot",
    ),
    Row("PUT", P + "/decisions/{decision_id}/reference", ANITA, arrange_reference),
    Row("PATCH", P + "/named-decisions/{decision_key}", ANITA, arrange_named_reference),
    Row(
        "POST",
        P + "/reviews/{review_id}/late-votes",
        SARA,
        arrange_late_vote,
        admin_refusal="Rösten tas inte emot",
    ),
    Row(
        "POST",
        P + "/decisions/{decision_id}/reservations",
        SARA,
        arrange_reservation,
        admin_refusal="röstade emot beslutet",
    ),
    Row(
        "POST",
        f"{API_PREFIX}/tokens",
        ANITA,
        arrange_token,
        project=False,
        reader_refusal="kan inte skapa ett token med skrivrätt",
    ),
    Row(
        "DELETE",
        f"{API_PREFIX}/tokens/{{public_id}}",
        ANITA,
        arrange_revoke_token,
        project=False,
        reader_refusal="kan bara återkalla sig självt",
    ),
    Row("POST", P + "/reminders/{reminder_id}/requeue", ANITA, arrange_requeue),
    Row("POST", P + "/waves", ANITA, arrange_wave),
    Row("PATCH", P + "/waves/{wave_key}", ANITA, arrange_update_wave),
    Row(
        "POST",
        P + "/waves/{wave_key}/reviews",
        ANITA,
        arrange_wave_review,
    ),
    Row("PUT", P + "/waves/{wave_key}/required-units", ANITA, arrange_required_units),
    Row("POST", P + "/units", ANITA, arrange_unit),
    Row("PATCH", P + "/units/{unit_key}", ANITA, arrange_update_unit),
    Row("POST", P + "/units/{unit_key}/move", ANITA, arrange_move_unit),
    Row("DELETE", P + "/units/{unit_key}", ANITA, arrange_remove_unit),
    Row("POST", P + "/units/import", ANITA, arrange_import_units, multipart=True),
    Row("PATCH", P + "/units/{unit_key}/items/{item_id}", ANITA, arrange_unit_item),
    Row("POST", P + "/unit-items/{item_id}/bulk", ANITA, arrange_bulk_tick),
    Row(
        "POST",
        f"{API_PREFIX}/me/inbox/{{message_id}}/read",
        ANITA,
        arrange_inbox_read,
        project=False,
    ),
    Row("POST", f"{API_PREFIX}/me/inbox/read-all", ANITA, arrange_inbox_read_all, project=False),
    Row("PUT", f"{API_PREFIX}/me/settings", ANITA, arrange_settings, project=False),
    Row("POST", f"{API_PREFIX}/me/calendar-feeds", ANITA, arrange_calendar_feed, project=False),
    Row(
        "DELETE",
        f"{API_PREFIX}/me/calendar-feeds/{{feed_id}}",
        ANITA,
        arrange_revoke_calendar_feed,
        project=False,
    ),
)


def test_every_mutating_endpoint_has_a_row(ctx: Context) -> None:
    app = app_for(ctx)
    endpoints = {
        (method, route.path)
        for route in iter_route_contexts(app.routes)
        if route.path and route.path.startswith(API_PREFIX + "/")
        for method in (route.methods or set()) & MUTATING
    }
    rows = {(row.method, row.route) for row in ROWS}

    assert endpoints - rows == set(), "mutating endpoints without a row in the access matrix"
    assert rows - endpoints == set(), "rows of endpoints that no longer exist"
    assert len(rows) == len(ROWS), "two rows for one endpoint"


# --- the matrix -------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """2xx when `status` is None; else that status with `detail` in the problem's text."""

    status: int | None = None
    detail: str = ""


def expected(row: Row, caller: str) -> Expect:
    if caller == "anonymous":
        return Expect(401, "kräver ett token")
    if row.admin_only:
        return Expect() if caller == "admin" else Expect(403, "kräver en administratör")
    if caller == "outsider":
        return Expect(404, f"Projektet '{KEY}' finns inte") if row.project else Expect()
    if caller == "reader":
        return Expect(403, row.reader_refusal)
    if caller == "admin" and row.admin_refusal is not None:
        return Expect(403, row.admin_refusal)
    if row.refused_anyway is not None:
        return Expect(*row.refused_anyway)
    return Expect()


def client_of(ctx: Context, row: Row, caller: str) -> tuple[TestClient, str]:
    """A client for the caller and the e-mail it acts as."""
    if caller == "anonymous":
        return TestClient(app_for(ctx)), row.member
    if caller == "outsider":
        return api_client(ctx, OUTSIDER), OUTSIDER
    if caller == "admin":
        return api_client(ctx, ADMIN.id, admin=True), ADMIN.id
    scope = "read" if caller == "reader" else "write"
    return api_client(ctx, row.member, scope=scope), row.member


def call(client: TestClient, row: Row, path: str, body: Body) -> Any:
    if row.multipart:
        files = {
            name: (f"{name}.csv", str(value).encode(), "text/csv")
            for name, value in (body or {}).items()
        }
        return client.request(row.method, path, files=files)
    return client.request(row.method, path, json=body)


def refused(row: Row) -> tuple[str, ...]:
    return tuple(caller for caller in CALLERS if expected(row, caller).status is not None)


# Every (endpoint, caller) that must succeed: the callers `refused` leaves.
ALLOWED = [(row, caller) for row in ROWS for caller in CALLERS if caller not in refused(row)]


def _last_event(ctx: Context) -> int:
    with ctx.db.read() as session:
        return session.exec(select(func.max(AuditEvent.seq))).one() or 0


# The refused callers share one arrangement, made as the row's member: a refused
# outsider or admin meets the access layer or the use case's role check before
# anything it could have arranged as itself would matter.
@pytest.mark.parametrize("row", ROWS, ids=[f"{row.method} {row.route}" for row in ROWS])
def test_refused_callers_get_their_status_and_change_nothing(ctx: Context, row: Row) -> None:
    start_ibic(ctx)
    clients = {caller: client_of(ctx, row, caller)[0] for caller in refused(row)}
    path, body = row.arrange(ctx, row.member)
    before = _last_event(ctx)

    for caller, client in clients.items():
        response = call(client, row, path, body)

        expect = expected(row, caller)
        assert response.status_code == expect.status, (caller, response.text)
        assert response.headers["content-type"] == "application/problem+json", caller
        assert expect.detail in response.json()["detail"], (caller, response.json())
    recorded = [event.action for event in audit_log.list_events(ctx, after_seq=before)]
    assert all(action.endswith("refused") for action in recorded), recorded  # refusals only


@pytest.mark.parametrize(
    ("row", "caller"),
    ALLOWED,
    ids=[f"{row.method} {row.route}-{caller}" for row, caller in ALLOWED],
)
def test_allowed_callers_succeed(ctx: Context, row: Row, caller: str) -> None:
    start_ibic(ctx)
    client, email = client_of(ctx, row, caller)
    path, body = row.arrange(ctx, email)

    response = call(client, row, path, body)

    assert 200 <= response.status_code < 300, response.text
