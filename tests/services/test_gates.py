"""Passing gates: criteria judged, refusals explained, overrides recorded, races settled."""

from __future__ import annotations

from datetime import date

import pytest

from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ItemStatus, ProjectStatus
from gatekeeper.errors import Conflict, NotFound, TransitionRefused, ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.projects.tables import Project
from tests.factories import (
    AT_ONCE,
    BESTALLARE,
    PROJEKTLEDARE,
    STYRGRUPP,
    STYRGRUPP_2,
    approve_gate,
    start_ibic,
    tick_gate,
)


def test_go_vote_on_failing_criteria_is_refused_with_every_failing_criterion(
    ctx: Context,
) -> None:
    project = start_ibic(ctx)
    review = reviews.request_review(
        ctx, PROJEKTLEDARE, project_key=project.key, gate_id="forstudie-klar", **AT_ONCE
    )
    assert review.id is not None
    readiness = gates.gate_readiness(ctx, project.key, "forstudie-klar")
    assert {r.kind for r in readiness.verdict.failed} == {
        "mandatory_items_done",
        "completion_share",
    }

    with pytest.raises(ValidationFailed) as refused:
        voting.cast_vote(
            ctx,
            STYRGRUPP,
            project_key=project.key,
            review_id=review.id,
            outcome=Outcome.GO,
            motivation="Klart",
        )

    assert refused.value.field == "override_motivation"
    assert "obligatoriska punkter är inte klara" in refused.value.message
    assert overviews.project_overview(ctx, project.key).project.phase == "forstudie"
    actions = [e.action for e in audit_log.list_events(ctx)]
    assert "phase.changed" not in actions and "gate.vote_cast" not in actions
    assert actions[-1] == "gate.vote_refused"


def test_ready_gate_moves_the_project_and_records_why(ctx: Context) -> None:
    project = start_ibic(ctx)
    tick_gate(ctx, project.key, "forstudie-klar")

    decision = approve_gate(ctx, project.key, "forstudie-klar")

    assert (decision.from_phase, decision.to_phase) == ("forstudie", "beslut")
    assert decision.criteria_passed and not decision.override
    overview = overviews.project_overview(ctx, project.key)
    assert overview.project.phase == "beslut"
    assert [h.to_phase for h in overview.history] == ["forstudie", "beslut"]
    event = audit_log.list_events(ctx, project_key=project.key)[-1]
    assert event.action == "phase.changed"
    assert event.before == {"phase": "forstudie"}
    assert event.after is not None and event.after["phase"] == "beslut"


def test_an_item_demanding_evidence_is_not_ticked_without_it(ctx: Context) -> None:
    project = start_ibic(ctx)
    item = next(
        i
        for i in gates.gate_readiness(ctx, project.key, "forstudie-klar").items
        if i.row.evidence_required
    )
    for evidence in (None, "", "   "):
        with pytest.raises(ValidationFailed, match="kräver underlag") as refused:
            checklists.update_item(
                ctx,
                PROJEKTLEDARE,
                project_key=project.key,
                gate_id="forstudie-klar",
                checklist_id=item.checklist_id,
                item_id=item.row.item_id,
                status=ItemStatus.DONE,
                evidence=evidence,
            )
        assert refused.value.field == "evidence"
    unchanged = next(
        i
        for i in gates.gate_readiness(ctx, project.key, "forstudie-klar").items
        if i.row.id == item.row.id
    )
    assert unchanged.row.status is ItemStatus.OPEN
    assert unchanged.row.row_version == item.row.row_version

    ticked = checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=project.key,
        gate_id="forstudie-klar",
        checklist_id=item.checklist_id,
        item_id=item.row.item_id,
        status=ItemStatus.DONE,
        evidence="Diarienummer KS 2026/0412, projektdirektiv",
    )
    assert ticked.status is ItemStatus.DONE
    # Removing the evidence of a ticked item is refused the same way.
    with pytest.raises(ValidationFailed, match="kräver underlag"):
        checklists.update_item(
            ctx,
            PROJEKTLEDARE,
            project_key=project.key,
            gate_id="forstudie-klar",
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=ItemStatus.DONE,
            evidence="",
        )


def test_high_open_risk_blocks_until_it_is_handled(ctx: Context) -> None:
    project = start_ibic(ctx)
    tick_gate(ctx, project.key, "forstudie-klar")
    risk = risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=project.key,
        title="Verksamheten hinner inte utbilda all personal före driftstart",
        probability=3,
        consequence=4,
        mitigation="Utbildningsplan per enhet, extra utbildningstillfällen",
        owner="Anita Lindqvist",
    )
    with pytest.raises(ValidationFailed, match="riskvärde över 9"):
        approve_gate(ctx, project.key, "forstudie-klar")

    assert risk.id is not None
    risks.update_risk(ctx, PROJEKTLEDARE, project_key=project.key, risk_id=risk.id, probability=2)
    # The open review's snapshot is refreshed when the next vote comes in.
    review = review_views.reviews_of(ctx, project.key)[-1].review
    assert review.id is not None
    decided = None
    for voter in (STYRGRUPP, STYRGRUPP_2):
        decided = voting.cast_vote(
            ctx,
            voter,
            project_key=project.key,
            review_id=review.id,
            outcome=Outcome.GO,
            motivation="Risken är hanterad.",
        ).decision
    assert decided is not None and decided.to_phase == "beslut"


def test_named_decisions_are_required_before_genomforande(ctx: Context) -> None:
    project = start_ibic(ctx)
    tick_gate(ctx, project.key, "forstudie-klar")
    approve_gate(ctx, project.key, "forstudie-klar")
    tick_gate(ctx, project.key, "beslut-om-genomforande")

    readiness = gates.gate_readiness(ctx, project.key, "beslut-om-genomforande")
    assert [r.kind for r in readiness.verdict.failed] == ["decisions_taken"]
    assert "projektdirektiv, finansiering" in readiness.verdict.failed[0].message_sv

    for key, title in (("projektdirektiv", "Projektdirektiv"), ("finansiering", "Finansiering")):
        decisions.record_named_decision(
            ctx,
            BESTALLARE,
            project_key=project.key,
            key=key,
            title=title,
            decided_on=date(2026, 11, 20),
            reference="Dnr 2021.158 VON",
        )
    decision = approve_gate(ctx, project.key, "beslut-om-genomforande")
    assert decision.to_phase == "genomforande"


def test_override_passes_a_failing_gate_and_is_kept(ctx: Context) -> None:
    project = start_ibic(ctx)
    with pytest.raises(ValidationFailed) as raised:
        approve_gate(ctx, project.key, "forstudie-klar", override="  ")
    assert raised.value.field == "override_motivation"

    decision = approve_gate(
        ctx,
        project.key,
        "forstudie-klar",
        override="Nämnden beslutade om införande 2023-04-27; förstudien kompletteras.",
    )
    assert decision.override and not decision.criteria_passed
    assert decision.record["overrides"][0].startswith("Nämnden")
    history = overviews.project_overview(ctx, project.key).history
    assert history[-1].override_motivation is not None
    event = next(e for e in audit_log.list_events(ctx) if e.action == "phase.changed")
    assert event.after is not None and event.after["override"].startswith("Nämnden")
    assert event.after["criteria_passed"] is False


def test_gate_that_does_not_leave_the_current_phase_is_refused(ctx: Context) -> None:
    project = start_ibic(ctx)
    with pytest.raises(TransitionRefused, match="står i fasen Förstudie"):
        reviews.request_review(
            ctx, PROJEKTLEDARE, project_key=project.key, gate_id="go-live", **AT_ONCE
        )
    with pytest.raises(NotFound, match="finns inte"):
        reviews.request_review(
            ctx, PROJEKTLEDARE, project_key=project.key, gate_id="go-liv", **AT_ONCE
        )


def test_gate_with_an_approval_policy_cannot_be_passed_directly(ctx: Context) -> None:
    project = start_ibic(ctx)
    tick_gate(ctx, project.key, "forstudie-klar")
    with pytest.raises(TransitionRefused, match="begär en granskning"):
        gates.pass_gate(
            ctx, STYRGRUPP, project_key=project.key, gate_id="forstudie-klar", motivation="Ok"
        )


def test_paused_project_cannot_be_changed(ctx: Context) -> None:
    project = start_ibic(ctx)
    with ctx.db.write() as session:
        row = session.get(Project, project.id)
        assert row is not None
        row.status = ProjectStatus.ON_HOLD
        session.add(row)
    with pytest.raises(Conflict, match="pausat"):
        tick_gate(ctx, project.key, "forstudie-klar")


def test_stale_tick_is_refused(ctx: Context) -> None:
    project = start_ibic(ctx)
    first = checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=project.key,
        gate_id="forstudie-klar",
        checklist_id="forstudie",
        item_id="projektdirektiv",
        status=ItemStatus.DONE,
        evidence="Dnr 2021.158 VON",
    )
    with pytest.raises(Conflict, match="ändrats av någon annan"):
        checklists.update_item(
            ctx,
            PROJEKTLEDARE,
            project_key=project.key,
            gate_id="forstudie-klar",
            checklist_id="forstudie",
            item_id="projektdirektiv",
            status=ItemStatus.OPEN,
            expected_version=first.row_version - 1,
        )
    readiness = gates.gate_readiness(ctx, project.key, "forstudie-klar")
    item = next(i for i in readiness.items if i.row.item_id == "projektdirektiv")
    assert item.row.status is ItemStatus.DONE
    assert item.row.updated_by == "user:anita.lindqvist@alingsas.se"
