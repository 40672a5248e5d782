"""A project at its end, shaped like seed 004: for the slutrapport's tests.

The IBIC project of tests/factories walked through all four gates at dates
chosen so that plan vs actual has something to show: förstudien 20 days early,
the beslut om genomförande first a no-go, then go 7 days late, go-live on the
day, the driftöverlämning with one item handed over on the restlista. Risks,
activities and lessons as seed 004 writes them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ActivityStatus, ItemStatus, RiskStatus
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.services.projects import risk as risks
from tests.factories import BESTALLARE, PROJEKTLEDARE, approve_gate, start_ibic, tick_gate

KEY = "ibic-alingsas"
JONAS = Actor.user("jonas.berg@alingsas.se", "Jonas Berg")
HANDED_OVER = "Hinns inte före överlämningen: förvaltningen tar över."


def _on(ctx: Context, day: date) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC))


def closing_project(ctx: Context) -> None:
    """The IBIC project in uppföljning, with its record as the slutrapport reads it."""
    start_ibic(ctx)
    tick_gate(ctx, KEY, "forstudie-klar")
    _on(ctx, date(2026, 11, 25))
    approve_gate(ctx, KEY, "forstudie-klar")  # planned 2026-12-15: 20 days early
    tick_gate(ctx, KEY, "beslut-om-genomforande")
    _on(ctx, date(2027, 2, 10))
    approve_gate(ctx, KEY, "beslut-om-genomforande", outcome=Outcome.NO_GO)
    for key, title in (
        ("projektdirektiv", "Projektdirektiv fastställt"),
        ("finansiering", "Finansiering beslutad av vård- och omsorgsnämnden"),
    ):
        decisions.record_named_decision(
            ctx, BESTALLARE, project_key=KEY, key=key, title=title, decided_on=date(2027, 2, 1)
        )
    _on(ctx, date(2027, 2, 22))
    approve_gate(ctx, KEY, "beslut-om-genomforande")  # planned 2027-02-15: 7 days late
    tick_gate(ctx, KEY, "go-live")
    _on(ctx, date(2027, 9, 1))
    approve_gate(ctx, KEY, "go-live")  # on the day
    _on(ctx, date(2027, 12, 3))
    decisions.record_named_decision(
        ctx,
        BESTALLARE,
        project_key=KEY,
        key="forvaltningsuppdrag",
        title="Förvaltningsuppdrag till Vård- och omsorgsförvaltningen",
        decided_on=date(2027, 11, 20),
    )
    tick_gate(ctx, KEY, "driftoverlamning-godkand")
    optional = next(
        i
        for i in gates.gate_readiness(ctx, KEY, "driftoverlamning-godkand").items
        if not i.row.mandatory
    )
    checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="driftoverlamning-godkand",
        checklist_id=optional.checklist_id,
        item_id=optional.row.item_id,
        status=ItemStatus.OPEN,
        comment=HANDED_OVER,
    )
    approve_gate(ctx, KEY, "driftoverlamning-godkand")  # planned 2027-12-01: 2 days late
    _record(ctx)


def _record(ctx: Context) -> None:
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Kommunerna enas inte om villkor vid vidareutbildning",
        probability=3,
        consequence=2,
        owner="Malin Holmberg",
        mitigation="Fortsatt dialog mellan socialchefer och HR-chefer.",
    )
    handled = risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Medfinansiering i timmar: svårt för verksamheten att delta",
        probability=3,
        consequence=3,
    )
    assert handled.id is not None
    risks.update_risk(
        ctx, PROJEKTLEDARE, project_key=KEY, risk_id=handled.id, status=RiskStatus.CLOSED
    )
    activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Gemensam kompetensbank",
        responsible="Malin Holmberg",
        status=ActivityStatus.POSTPONED,
        postponed_to=date(2028, 3, 1),
        comment="Ej prioriterat av styrgruppen.",
    )
    activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Utbildning av ombud",
        status=ActivityStatus.DONE,
    )
