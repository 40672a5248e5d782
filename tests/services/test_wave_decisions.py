"""Wave go/no-go: a rollout's go-live decided one wave at a time, with the gate's policy.

The VGR rollout (seed 003): Borås and Vårgårda go live in våg 1 on 1 March 2027,
Alingsås in våg 2 (3 May), Lerum in våg 3 (6 September). The styrgrupp is Bengt
Nilsson and Sara Ahmadi; Karin Olsson, projektledare, asks for the decisions.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ProjectStatus, ReminderStatus
from gatekeeper.errors import Conflict, PermissionDenied, ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import register
from gatekeeper.services.gates import resume as resumes
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.gates import wave_review as wave_reviews
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from gatekeeper.services.rollout import wave as waves
from gatekeeper.services.rollout import wave_scope
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.store.reminders.tables import Reminder
from tests.factories import start_ibic
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, STYRGRUPP, STYRGRUPP_2
from tests.wave_factories import DECIDERS, make_ready, rollout_at_go_live, wave_units

KEY = ROLLOUT_KEY
LATE = "boras-hemtjanst-norr"  # the Borås enhet that is not ready in time


def _vote(
    ctx: Context, who: Actor, review_id: int, outcome: Outcome = Outcome.GO, **terms: object
) -> voting.VoteResult:
    return voting.cast_vote(
        ctx,
        who,
        project_key=KEY,
        review_id=review_id,
        outcome=outcome,
        motivation=f"{who.name} har gått igenom vågens beredskap.",
        **terms,  # type: ignore[arg-type]
    )


def _events(ctx: Context, action: str) -> list[AuditEvent]:
    """Every event of `action` in the project, paging through the log."""
    found: list[AuditEvent] = []
    after = 0
    while True:
        page = audit_log.list_events(ctx, project_key=KEY, after_seq=after, limit=500)
        if not page:
            return [e for e in found if e.action == action]
        found.extend(page)
        after = page[-1].seq


def _wave_review(ctx: Context, wave_key: str = "vag-1") -> int:
    review = wave_reviews.request_wave_review(
        ctx, PROJEKTLEDARE, project_key=KEY, wave_key=wave_key, message="Go/no-go-möte 22/2."
    )
    assert review.id is not None
    return review.id


@pytest.fixture
def almost_ready(ctx: Context) -> list[str]:
    """Våg 1 with every unit ready but one Borås enhet; the keys of våg 1's units."""
    rollout_at_go_live(ctx)
    keys = wave_units(ctx, "vag-1")
    make_ready(ctx, [k for k in keys if k != LATE])
    return keys


def test_a_wave_goes_live_without_a_unit_that_moves_to_the_next_wave(
    ctx: Context, almost_ready: list[str]
) -> None:
    review_id = _wave_review(ctx)
    terms = {"exclude_units": [LATE], "move_to_wave": "vag-2"}
    assert _vote(ctx, STYRGRUPP, review_id, **terms).decision is None
    decision = _vote(ctx, STYRGRUPP_2, review_id, **terms).decision

    assert decision is not None and decision.outcome is Outcome.GO
    assert decision.criteria_passed  # 9 of 10 units ready: at least 80 %
    project = overviews.project_overview(ctx, KEY).project
    assert project.phase == "genomforande"  # a wave's decision never moves the phase
    assert {w.key: w.status for w in waves.list_waves(ctx, KEY)} == {
        "vag-1": "live",
        "vag-2": "planned",
        "vag-3": "planned",
    }
    assert LATE in wave_units(ctx, "vag-2") and LATE not in wave_units(ctx, "vag-1")
    # Its deadlines are now counted from våg 2's go-live date.
    checklist = unit_checklists.unit_checklist(ctx, KEY, LATE)
    item = next(i for i in checklist.items if i.row.item_id == "utbildning-genomford")
    assert item.due_on == date(2027, 5, 3) - timedelta(days=14)
    # The move is a decision recorded on the unit, and the register names it.
    moved = _events(ctx, "unit.moved")
    assert moved[-1].after["wave"] == "vag-2"
    assert moved[-1].after["decision"] == decision.id
    entry = register.protocol(ctx, KEY, decision.id or 0)
    wave = entry.decision.record["wave"]
    assert wave["key"] == "vag-1"
    assert wave["moved"] == [
        {
            "key": LATE,
            "name": "Hemtjänst Norr",
            "to_wave": "vag-2",
            "to_wave_name": "Våg 2",
            "to_go_live_on": "2027-05-03",
        }
    ]
    assert entry.decision.wave_id is not None
    # The project's own review of the gate is still to come, and a live wave is not reviewed.
    assert reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id="go-live")
    with pytest.raises(Conflict, match="redan i drift"):
        _wave_review(ctx)
    assert audit_log.verify(ctx).ok


def test_postponing_a_wave_moves_every_unit_deadline_and_replans_reminders(
    ctx: Context, almost_ready: list[str]
) -> None:
    review_id = _wave_review(ctx)
    with ctx.db.read() as session:
        requests = session.exec(
            select(Reminder).where(
                Reminder.subject_type == "review", Reminder.subject_id == str(review_id)
            )
        ).all()
    assert {r.recipient_email for r in requests} == {a.id for a in DECIDERS}

    _vote(ctx, STYRGRUPP, review_id, Outcome.NO_GO, postpone_to=date(2027, 3, 15))
    decision = _vote(
        ctx, STYRGRUPP_2, review_id, Outcome.NO_GO, postpone_to=date(2027, 3, 29)
    ).decision

    assert decision is not None and decision.outcome is Outcome.NO_GO
    # The later of the two dates: the cautious reading.
    assert waves.get_wave(ctx, KEY, "vag-1").go_live_on == date(2027, 3, 29)
    assert waves.get_wave(ctx, KEY, "vag-1").status == "planned"
    item = next(
        i
        for i in unit_checklists.unit_checklist(ctx, KEY, LATE).items
        if i.row.item_id == "mottagare-redo"
    )
    assert item.due_on == date(2027, 3, 26)  # three days before the new date
    assert (
        register.protocol(ctx, KEY, decision.id or 0).decision.record["wave"]["postponed_to"]
        == "2027-03-29"
    )
    with ctx.db.read() as session:
        rows = session.exec(
            select(Reminder).where(
                Reminder.subject_type == "review", Reminder.subject_id == str(review_id)
            )
        ).all()
    assert rows and all(r.status is ReminderStatus.CANCELLED for r in rows)
    # A new review of the wave can be asked for: it stays planned on its new date.
    assert _wave_review(ctx)


def test_hold_pauses_the_rollout_until_a_decider_resumes_it(
    ctx: Context, almost_ready: list[str]
) -> None:
    review_id = _wave_review(ctx)
    _vote(ctx, STYRGRUPP, review_id, Outcome.HOLD)
    decision = _vote(ctx, STYRGRUPP_2, review_id, Outcome.HOLD).decision

    assert decision is not None and decision.outcome is Outcome.HOLD
    assert overviews.project_overview(ctx, KEY).project.status is ProjectStatus.ON_HOLD
    assert {w.status for w in waves.list_waves(ctx, KEY)} == {"paused"}
    with ctx.db.read() as session:
        statuses = {r.status for r in session.exec(select(Reminder)).all()}
    assert ReminderStatus.PENDING not in statuses
    with pytest.raises(PermissionDenied):
        resumes.resume_project(ctx, PROJEKTLEDARE, project_key=KEY, motivation="Klart.")

    resumes.resume_project(
        ctx, STYRGRUPP, project_key=KEY, motivation="Utbildningen är ikapp; vi fortsätter."
    )
    assert overviews.project_overview(ctx, KEY).project.status is ProjectStatus.ACTIVE
    assert {w.status for w in waves.list_waves(ctx, KEY)} == {"planned"}


def _criterion(readiness: gates.GateReadiness, kind: str) -> tuple[bool, str]:
    result = next(r for r in readiness.verdict.results if r.kind == kind)
    return result.passed, result.message_sv


def test_unit_criteria_judge_the_wave_with_figures_in_swedish(ctx: Context) -> None:
    rollout_at_go_live(ctx)
    keys = wave_units(ctx, "vag-1")
    assert len(keys) == 10
    make_ready(ctx, keys[3:])  # Borås kommun, its VO and one enhet are not
    wave_scope.set_required_units(
        ctx, PROJEKTLEDARE, project_key=KEY, wave_key="vag-1", unit_keys=["boras", "vargarda"]
    )
    review_id = _wave_review(ctx)
    snapshot = review_views.review_view(ctx, KEY, review_id).review.snapshot
    criteria = {c["kind"]: c for c in snapshot["criteria"]}

    share = criteria["units_ready_share"]
    assert not share["passed"]
    assert share["message_sv"] == (
        "7 av 10 enheter i Våg 1 – pilotkommuner är redo (70 %), "
        "vilket inte når kravet på minst 80 %."
    )
    named = criteria["named_units_ready"]
    assert not named["passed"]
    assert named["message_sv"] == (
        "1 av 2 namngivna enheter i Våg 1 – pilotkommuner är redo; inte redo: Borås kommun."
    )
    assert snapshot["units_ready"] == 7 and snapshot["units_total"] == 10
    # A go now needs an override motivation.
    with pytest.raises(ValidationFailed, match="7 av 10 enheter") as refused:
        _vote(ctx, STYRGRUPP, review_id)
    assert refused.value.field == "override_motivation"

    # Once they are ready the criteria pass, and earlier votes lapse with the snapshot.
    _vote(ctx, STYRGRUPP, review_id, override_motivation="Borås klarar sig med extra stöd.")
    make_ready(ctx, keys[:3])
    result = _vote(ctx, STYRGRUPP_2, review_id)
    assert result.decision is None
    assert "annat underlag" in result.tally.discarded[0][1]
    snapshot = review_views.review_view(ctx, KEY, review_id).review.snapshot
    assert snapshot["passed"]
    assert {c["kind"]: c["message_sv"] for c in snapshot["criteria"]}["named_units_ready"] == (
        "Alla 2 namngivna enheter i Våg 1 – pilotkommuner är redo."
    )


def test_a_project_without_units_passes_the_unit_criteria(ctx: Context) -> None:
    start_ibic(ctx)
    readiness = gates.gate_readiness(ctx, "ibic-alingsas", "go-live")
    assert _criterion(readiness, "units_ready_share") == (
        True,
        "Projektet har inga enheter i vågor; kriteriet gäller inte.",
    )
    assert _criterion(readiness, "named_units_ready")[0]
    checklists = {item.checklist_id for item in readiness.items}
    assert checklists == {"inforandestart", "cutover", "rollback"}


def test_the_projects_own_go_live_judges_the_waves_not_yet_live(
    ctx: Context, almost_ready: list[str]
) -> None:
    readiness = gates.gate_readiness(ctx, KEY, "go-live")
    passed, message = _criterion(readiness, "units_ready_share")
    assert not passed
    assert message.startswith("9 av 20 enheter i vågorna som inte gått i drift är redo")


def test_concurrent_votes_on_a_wave_decide_once(ctx: Context, almost_ready: list[str]) -> None:
    review_id = _wave_review(ctx)
    terms = {"exclude_units": [LATE], "move_to_wave": "vag-3"}

    def vote(actor: Actor) -> str:
        try:
            result = _vote(ctx, actor, review_id, **terms)
        except Conflict:
            return "after the decision"
        return "decided" if result.decision is not None else "counted"

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(vote, [STYRGRUPP, STYRGRUPP_2, STYRGRUPP, STYRGRUPP_2]))

    assert results.count("decided") == 1
    with ctx.db.read() as session:
        assert (
            len(session.exec(select(GateDecision).where(GateDecision.wave_id.is_not(None))).all())
            == 1
        )  # type: ignore[union-attr]
    assert [e.after["status"] for e in _events(ctx, "wave.status_changed")] == ["live"]
    assert _events(ctx, "unit.moved")[-1].after["units"] == [LATE]
    assert LATE in wave_units(ctx, "vag-3")


def test_bad_wave_terms_are_refused_with_the_field(ctx: Context, almost_ready: list[str]) -> None:
    review_id = _wave_review(ctx)
    cases = [
        ({"exclude_units": ["alingsas-hemtjanst-norr"], "move_to_wave": "vag-2"},
         Outcome.GO, "exclude_units", "ingår inte i Våg 1"),
        ({"exclude_units": ["goteborg"], "move_to_wave": "vag-2"},
         Outcome.GO, "exclude_units", "finns inte"),
        ({"exclude_units": [LATE], "move_to_wave": "vag-1"},
         Outcome.GO, "move_to_wave", "välj en senare våg"),
        ({"exclude_units": [LATE]}, Outcome.GO, "move_to_wave", "senare våg"),
        ({"exclude_units": [LATE], "move_to_wave": "vag-2"},
         Outcome.NO_GO, "exclude_units", "bara vid go"),
        ({"exclude_units": almost_ready, "move_to_wave": "vag-2"},
         Outcome.GO, "exclude_units", "Alla enheter"),
        ({"postpone_to": date(2027, 2, 1)}, Outcome.NO_GO, "postpone_to", "efter vågens"),
        ({"postpone_to": date(2027, 4, 1)}, Outcome.GO, "postpone_to", "vid no-go"),
        ({}, Outcome.KILL, "outcome", "gäller hela projektet"),
        ({"recycle_to": "beslut"}, Outcome.RECYCLE, "outcome", "gäller hela projektet"),
    ]  # fmt: skip
    for terms, outcome, field, words in cases:
        with pytest.raises(ValidationFailed, match=words) as refused:
            _vote(ctx, STYRGRUPP, review_id, outcome, **terms)
        assert refused.value.field == field, terms
    assert review_views.review_view(ctx, KEY, review_id).votes == ()
    assert len(_events(ctx, "gate.vote_refused")) == len(cases)


def test_wave_terms_belong_to_wave_reviews_only(ctx: Context, almost_ready: list[str]) -> None:
    review = reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id="go-live")
    assert review.id is not None
    with pytest.raises(ValidationFailed) as refused:
        _vote(ctx, STYRGRUPP, review.id, Outcome.NO_GO, postpone_to=date(2027, 4, 1))
    assert refused.value.field == "postpone_to"
    # The project's own review and a wave review may be open side by side, one per wave.
    assert _wave_review(ctx)
    with pytest.raises(Conflict, match="redan en öppen granskning"):
        _wave_review(ctx)
    assert _wave_review(ctx, "vag-2")


def test_who_may_ask_for_and_shape_a_wave_decision(ctx: Context, almost_ready: list[str]) -> None:
    outsider = Actor.user("kalle.nilsson@boras.se", "Kalle Nilsson")
    with pytest.raises(PermissionDenied, match="får inte begära granskning"):
        wave_reviews.request_wave_review(ctx, outsider, project_key=KEY, wave_key="vag-1")
    with pytest.raises(PermissionDenied, match="projektledaren"):
        wave_scope.set_required_units(
            ctx, STYRGRUPP, project_key=KEY, wave_key="vag-1", unit_keys=["boras"]
        )
    with pytest.raises(ValidationFailed, match="ingår inte i Våg 1") as refused:
        wave_scope.set_required_units(
            ctx, PROJEKTLEDARE, project_key=KEY, wave_key="vag-1", unit_keys=["alingsas"]
        )
    assert refused.value.field == "unit_keys"
    review_id = _wave_review(ctx)
    with pytest.raises(PermissionDenied, match="inte rätt att besluta"):
        _vote(ctx, PROJEKTLEDARE, review_id)
    with pytest.raises(PermissionDenied):
        _vote(ctx, Actor.user("inforande@boras.se"), review_id)
