"""Steering-group meetings through their use cases, on SQLite and PostgreSQL.

The IBIC project as the seeds shape it (seed 000: styrgrupp every second
month): the agenda is drafted from what is due at the meeting's date, the
underlag is frozen by the kallelse (later changes do not touch it), the
kallelse reaches the participants through a real SMTP server, the protocol
lists the decisions of the day, and the justering is once per signer, even
when two sign at the same moment.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.meetings.meeting import (
    MeetingKind,
    MeetingStatus,
    Participant,
    PointKind,
    justering_done,
    roles_problem,
)
from gatekeeper.core.status import ActivityStatus
from gatekeeper.errors import Conflict, PermissionDenied, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.meetings import meeting as meetings
from gatekeeper.services.meetings import meeting_view, sending
from gatekeeper.services.meetings import protocol as protocols
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import named_decision as named
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.meetings.tables import Meeting, MeetingJustering
from gatekeeper.store.projects.tables import Project
from tests.factories import (
    BESTALLARE,
    PROJEKTLEDARE,
    STYRGRUPP,
    STYRGRUPP_2,
    start_ibic,
)
from tests.smtp_box import smtp_server

KEY = "ibic-alingsas"
MEETING_AT = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)  # 13.00 in Alingsås


def _principal(actor: Actor) -> Principal:
    return Principal(email=actor.id, name=actor.name, is_admin=False, can_write=True)


@pytest.fixture
def ibic(ctx: Context) -> Context:
    """IBIC with a high and a low risk and an activity that moved."""
    start_ibic(ctx)
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Migreringen av journaldata från Procapita blir försenad",
        probability=3,
        consequence=4,
        mitigation="Provmigrering i januari.",
        owner="Jonas Berg",
    )
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Lokalen för utbildning",
        probability=1,
        consequence=2,
    )
    activity = activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Utbildning av ombud",
        end=date(2026, 12, 1),
        responsible="Jonas Berg",
    )
    activities.update_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        activity_id=activity.id or 0,
        status=ActivityStatus.IN_PROGRESS,
    )
    return ctx


def _draft(ctx: Context) -> Meeting:
    return meetings.create_meeting(
        ctx, PROJEKTLEDARE, project_key=KEY, starts_at=MEETING_AT, place="Stadshuset, rum Mjörn"
    )


def _points(meeting: Meeting) -> dict[str, dict[str, object]]:
    return {str(p["kind"]) + ":" + str(p["title"]): p for p in meeting.agenda}


def test_the_agenda_is_drafted_from_what_is_due_at_the_meeting(ibic: Context) -> None:
    meeting = _draft(ibic)
    kinds = [p["kind"] for p in meeting.agenda]
    titles = [p["title"] for p in meeting.agenda]
    assert kinds[0] == PointKind.OPENING
    assert titles[-2:] == ["Övriga frågor", "Nästa möte"]
    # förstudie-klar is due 15 December: a decision wanted at the 10 December meeting
    assert "Kommande beslut: Förstudie klar" in titles or any(k == PointKind.GATE for k in kinds), (
        titles
    )
    assert "Risk: Migreringen av journaldata från Procapita blir försenad" in titles
    assert "Risk: Lokalen för utbildning" not in titles  # riskvärde 2, under the threshold
    assert any(k == PointKind.ACTIVITIES for k in kinds)
    view = meeting_view.meeting_view(ibic, _principal(PROJEKTLEDARE), KEY, meeting.id or 0)
    activity_point = next(p for p in view.points if p["kind"] == PointKind.ACTIVITIES)
    assert any("Utbildning av ombud" in line for line in activity_point["details"])
    # The default people of a styrgrupp meeting: beställare chairs, a styrgrupp member justerar
    assert view.chair == "Malin Holmberg"
    assert view.secretary == "Anita Lindqvist"
    assert view.justerare == ("Lars Carlsson",)
    assert "Per Ek" not in {p.name for p in view.participants}  # an ersättare is not called


def test_the_projektledare_edits_the_agenda_until_the_kallelse(ibic: Context) -> None:
    meeting = _draft(ibic)
    edited = [
        meeting.agenda[0],
        {"kind": "free", "title": "Information från leverantören", "text": "Tieto visar plan."},
        *reversed(meeting.agenda[1:]),
    ]
    updated = meetings.update_meeting(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        meeting_id=meeting.id or 0,
        agenda=edited,
        expected_version=meeting.row_version,
    )
    assert updated.agenda[1]["title"] == "Information från leverantören"
    assert [p["id"] for p in updated.agenda] == [f"p{n}" for n in range(1, len(edited) + 1)]
    assert updated.row_version == meeting.row_version + 1
    with pytest.raises(Conflict):  # a stale copy
        meetings.update_meeting(
            ibic,
            PROJEKTLEDARE,
            project_key=KEY,
            meeting_id=meeting.id or 0,
            place="Rådhuset",
            expected_version=meeting.row_version,
        )


def test_the_underlag_stays_as_it_was_sent_when_the_project_changes(ibic: Context) -> None:
    meeting = _draft(ibic)
    sent = sending.send_kallelse(ibic, PROJEKTLEDARE, project_key=KEY, meeting_id=meeting.id or 0)
    assert sent.meeting.status is MeetingStatus.SENT
    before = meeting_view.meeting_view(ibic, _principal(STYRGRUPP), KEY, meeting.id or 0)
    risk = next(p for p in before.points if p["kind"] == PointKind.RISK)
    risks.update_risk(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        risk_id=int(str(risk["ref"])),
        probability=4,
        mitigation="Ny plan: migrering i två steg.",
    )
    risks.add_risk(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Leverantören säger upp avtalet",
        probability=4,
        consequence=4,
    )
    after = meeting_view.meeting_view(ibic, _principal(STYRGRUPP), KEY, meeting.id or 0)
    assert after.frozen and after.points == before.points
    assert not any("säger upp" in str(p["title"]) for p in after.points)
    with pytest.raises(Conflict):
        meetings.update_meeting(
            ibic, PROJEKTLEDARE, project_key=KEY, meeting_id=meeting.id or 0, place="Rådhuset"
        )
    with pytest.raises(Conflict):
        sending.send_kallelse(ibic, PROJEKTLEDARE, project_key=KEY, meeting_id=meeting.id or 0)


def test_the_kallelse_is_mailed_to_every_participant(ibic: Context) -> None:
    meeting = _draft(ibic)
    with smtp_server() as box:
        sent = sending.send_kallelse(
            ibic,
            PROJEKTLEDARE,
            project_key=KEY,
            meeting_id=meeting.id or 0,
            letters=box.letters(),
            base_url="https://gatekeeper.alingsas.se",
        )
    assert sent.delivered == sent.recipients == len(box.messages) == 4
    to = sorted(str(m["To"]) for m in box.messages)
    assert any("lars.carlsson@alingsas.se" in t for t in to)
    text = box.text(0)
    assert "Styrgruppsmöte 10 december 2026 kl. 13.00" in str(box.messages[0]["Subject"])
    assert "Stadshuset, rum Mjörn" in text
    assert "Mötets öppnande, val av justerare" in text
    assert f"https://gatekeeper.alingsas.se/projects/{KEY}/meetings/{meeting.id}" in text


def _held(ctx: Context) -> Meeting:
    """Sent on 25 November; held on 10 December, when finansiering was decided."""
    meeting = _draft(ctx)
    sending.send_kallelse(ctx, PROJEKTLEDARE, project_key=KEY, meeting_id=meeting.id or 0)
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2026, 12, 10, 15, 0, tzinfo=UTC))
    named.record_named_decision(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        key="finansiering",
        title="Finansiering 2027",
        decided_on=date(2026, 12, 10),
        reference="KS 2026/0412",
    )
    return protocols.record_protocol(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        meeting_id=meeting.id or 0,
        present=["Malin Holmberg", "Anita Lindqvist", "Aniko Szabo"],
        substitutes=["per.ek@alingsas.se"],
        notes={"p1": "Ordföranden öppnade mötet. Lars Carlsson valdes till justerare."},
    )


def test_the_protocol_lists_attendance_decisions_of_the_day_and_notes(ibic: Context) -> None:
    meeting = _held(ibic)
    assert meeting.status is MeetingStatus.HELD
    protocol = meeting.protocol or {}
    assert set(protocol["present"]) == {"Malin Holmberg", "Anita Lindqvist", "Aniko Szabo"}
    assert protocol["substitutes"][0]["name"] == "Per Ek"
    assert protocol["substitutes"][0]["for"] == "Lars Carlsson"
    assert [(d["title"], d["reference"]) for d in protocol["decisions"]] == [
        ("Finansiering 2027", "KS 2026/0412")
    ]


def test_justering_once_per_signer_then_the_protocol_is_locked(ibic: Context) -> None:
    meeting = _held(ibic)
    mid = meeting.id or 0
    first = protocols.justera(ibic, STYRGRUPP, project_key=KEY, meeting_id=mid)
    assert first.status is MeetingStatus.HELD  # the ordförande has not signed yet
    with pytest.raises(ValidationFailed) as twice:
        protocols.justera(ibic, STYRGRUPP, project_key=KEY, meeting_id=mid)
    assert twice.value.field == "justering" and "redan justerat" in twice.value.message
    with pytest.raises(PermissionDenied):
        protocols.justera(ibic, STYRGRUPP_2, project_key=KEY, meeting_id=mid)
    done = protocols.justera(ibic, BESTALLARE, project_key=KEY, meeting_id=mid)
    assert done.status is MeetingStatus.JUSTERAD
    with pytest.raises(ValidationFailed):
        protocols.justera(ibic, BESTALLARE, project_key=KEY, meeting_id=mid)
    with pytest.raises(Conflict):
        protocols.record_protocol(
            ibic, PROJEKTLEDARE, project_key=KEY, meeting_id=mid, present=["Malin Holmberg"]
        )
    assert len(protocols.signatures(ibic, KEY, mid)) == 2


def test_two_justerare_signing_at_once_both_count_once(ibic: Context) -> None:
    meeting = _held(ibic)
    mid = meeting.id or 0

    def sign(actor: Actor) -> str:
        try:
            protocols.justera(ibic, actor, project_key=KEY, meeting_id=mid)
        except ValidationFailed:
            return "refused"
        return "signed"

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(sign, [STYRGRUPP, BESTALLARE, STYRGRUPP, BESTALLARE]))
    assert sorted(results) == ["refused", "refused", "signed", "signed"]
    with ibic.db.read() as session:
        rows = session.exec(select(MeetingJustering)).all()
        stored = session.get(Meeting, mid)
    assert len(rows) == 2
    assert stored is not None and stored.status is MeetingStatus.JUSTERAD


def test_only_the_projektledare_prepares_and_records(ibic: Context) -> None:
    with pytest.raises(PermissionDenied):
        meetings.create_meeting(ibic, STYRGRUPP, project_key=KEY, starts_at=MEETING_AT)
    meeting = _draft(ibic)
    with pytest.raises(PermissionDenied):
        sending.send_kallelse(ibic, STYRGRUPP, project_key=KEY, meeting_id=meeting.id or 0)
    with pytest.raises(ValidationFailed) as early:
        protocols.justera(ibic, STYRGRUPP, project_key=KEY, meeting_id=meeting.id or 0)
    assert early.value.field == "justering"
    assert len(meetings.list_meetings(ibic, KEY)) == 1


@pytest.mark.parametrize(
    ("people", "field"),
    [
        ([], "participants"),
        ([Participant("Lars Carlsson", "lars.carlsson@alingsas.se")], "justerare"),
        ([Participant("Gäst Konsult", justerare=True)], "justerare"),
        (
            [
                Participant("A Andersson", "a@alingsas.se", justerare=True),
                Participant("B Berg", "b@alingsas.se", justerare=True),
                Participant("C Ceder", "c@alingsas.se", justerare=True),
            ],
            "justerare",
        ),
        ([Participant("Lars Carlsson", "inte-en-adress", justerare=True)], "participants"),
    ],
)
def test_bad_participants_are_refused_and_nothing_is_saved(
    ibic: Context, people: list[Participant], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        meetings.create_meeting(
            ibic, PROJEKTLEDARE, project_key=KEY, starts_at=MEETING_AT, participants=people
        )
    assert refused.value.field == field
    assert meetings.list_meetings(ibic, KEY) == []


def test_a_bad_agenda_point_is_refused_and_nothing_is_saved(ibic: Context) -> None:
    meeting = _draft(ibic)
    with pytest.raises(ValidationFailed) as refused:
        meetings.update_meeting(
            ibic,
            PROJEKTLEDARE,
            project_key=KEY,
            meeting_id=meeting.id or 0,
            agenda=[{"kind": "lunch", "title": "Lunch"}],
        )
    assert refused.value.field == "agenda"
    assert meetings.get_meeting(ibic, KEY, meeting.id or 0).agenda == meeting.agenda


_person = st.builds(
    Participant,
    name=st.sampled_from(["Anna", "Bo", "Cia", "Dan"]),
    email=st.sampled_from(["", "x@alingsas.se"]),
    chair=st.booleans(),
    secretary=st.booleans(),
    justerare=st.booleans(),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(_person, max_size=4, unique_by=lambda p: p.name))
def test_a_meeting_that_passes_the_role_rules_can_always_be_justerad(
    people: list[Participant],
) -> None:
    """Roles combine: whatever passes the rules has 1–2 justerare, each reachable, and is
    justerad exactly when everyone who signs has signed."""
    if roles_problem(people) is not None:
        return
    signing = [p for p in people if p.justerare or p.chair]
    assert 1 <= sum(p.justerare for p in people) <= 2
    assert all(p.email for p in signing)
    assert justering_done(people, [p.email for p in signing])
    assert not justering_done(people, [])


def test_the_exit_meeting_takes_up_the_slutrapport_and_the_handover(ibic: Context) -> None:
    """Seed 004: the project is closed at an avslutningsmöte."""
    meeting = meetings.create_meeting(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        kind=MeetingKind.EXIT,
        starts_at=datetime(2028, 2, 3, 13, 0, tzinfo=UTC),
    )
    titles = [p["title"] for p in meeting.agenda]
    assert "Slutrapport: mål och utfall, plan och utfall" in titles
    assert "Erfarenheter (lessons learned)" in titles
    assert "Nästa möte" not in titles
    _draft(ibic)  # a styrgrupp meeting is no exit meeting
    with ibic.db.read() as session:
        project = session.exec(select(Project).where(Project.key == KEY)).one()
        found = meetings.exit_meeting_in(session=session, project=project)
    assert found is not None and found.id == meeting.id
