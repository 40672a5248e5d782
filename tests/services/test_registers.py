"""The kommunikationsplan and the intressentanalys through their use cases, on SQLite and
PostgreSQL: rows added and revised as seed 000 writes them, bad input refused with its field
and nothing saved, who may write, two people editing at once, and the reminders a planned row
with a tidpunkt and a member as ansvarig gets (and loses when it is genomförd).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from gatekeeper.core.followup.register import CommunicationStatus, Influence
from gatekeeper.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from gatekeeper.services.access import account as accounts
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.followup import communication as communications
from gatekeeper.services.followup import register_export
from gatekeeper.services.followup import stakeholder as stakeholders
from gatekeeper.services.projects import member as members
from gatekeeper.store.reminders.tables import Reminder
from tests.factories import ADMIN, PROJEKTLEDARE, STYRGRUPP, start_ibic

KEY = "ibic-alingsas"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    accounts.create_user(ctx, ADMIN, email=ADMIN.id, name=ADMIN.name, is_admin=True)
    return ctx


def _fsg(ctx: Context, **fields: object) -> int:
    values: dict[str, object] = {
        "audience": "Fackliga organisationer",
        "message": "Mål: veta att projektet pågår. Budskap: insyn och delaktighet.",
        "channel": "Information i FSG inför projektstart",
        "planned_on": date(2026, 12, 10),
        "responsible": "Anita Lindqvist",
    }
    row = communications.add_communication(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        **(values | fields),  # type: ignore[arg-type]
    )
    assert row.id is not None
    return row.id


def project_events(ctx: Context, key: str) -> list[str]:
    return [e.action for e in audit_log.list_events(ctx, project_key=key, limit=500)]


def _reminders(ctx: Context, row_id: int) -> list[Reminder]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(Reminder)
                .where(Reminder.subject_type == "communication")
                .where(Reminder.subject_id == str(row_id))
                .order_by(col(Reminder.key))
            ).all()
        )


def _open(ctx: Context, row_id: int) -> list[Reminder]:
    return [r for r in _reminders(ctx, row_id) if r.status == "pending"]


# --- kommunikationsplan -----------------------------------------------------------------


def test_a_row_is_added_with_a_member_as_ansvarig_and_audited(ibic: Context) -> None:
    row_id = _fsg(ibic, responsible="anita.lindqvist@alingsas.se")

    row = communications.get_communication(ibic, KEY, row_id)
    assert row.responsible == "Anita Lindqvist"  # a name, even when given by address
    assert row.responsible_email == "anita.lindqvist@alingsas.se"
    assert row.status is CommunicationStatus.PLANNED
    names = project_events(ibic, KEY)
    assert "communication.created" in names


def test_a_name_that_is_no_member_is_kept_without_an_address(ibic: Context) -> None:
    row_id = _fsg(ibic, responsible="Beställare och projektledare")

    row = communications.get_communication(ibic, KEY, row_id)
    assert (row.responsible, row.responsible_email) == ("Beställare och projektledare", None)
    assert _reminders(ibic, row_id) == []


def test_the_plan_is_in_date_order_with_rows_without_tidpunkt_last(ibic: Context) -> None:
    _fsg(ibic, audience="Anställda", planned_on=None)
    _fsg(ibic, audience="Förtroendevalda", planned_on=date(2027, 4, 1))
    _fsg(ibic, audience="Enhetschefer", planned_on=date(2027, 2, 1))

    audiences = [r.audience for r in communications.list_communications(ibic, KEY)]
    assert audiences == ["Enhetschefer", "Förtroendevalda", "Anställda"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"audience": "   "}, "audience"),
        ({"audience": "x" * 301}, "audience"),
        ({"responsible": "okand@example.se"}, "responsible"),
        ({"channel": "APT\x00"}, "channel"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_saved(
    ibic: Context, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _fsg(ibic, **fields)

    assert refused.value.field == field
    assert refused.value.message  # a Swedish sentence
    assert communications.list_communications(ibic, KEY) == []


def test_only_the_projektledare_or_an_administrator_writes(ibic: Context) -> None:
    with pytest.raises(PermissionDenied):
        communications.add_communication(ibic, STYRGRUPP, project_key=KEY, audience="Brukare")
    assert communications.list_communications(ibic, KEY) == []

    row = communications.add_communication(ibic, ADMIN, project_key=KEY, audience="Brukare")
    with pytest.raises(PermissionDenied):
        communications.update_communication(
            ibic, STYRGRUPP, project_key=KEY, row_id=row.id or 0, status=CommunicationStatus.DONE
        )
    names = project_events(ibic, KEY)
    assert "change.refused" in names


def test_a_row_of_another_project_is_not_found(ibic: Context) -> None:
    start_ibic(ibic, key="ibic-boras")
    row_id = _fsg(ibic)

    with pytest.raises(NotFound):
        communications.get_communication(ibic, "ibic-boras", row_id)
    with pytest.raises(NotFound):
        communications.update_communication(
            ibic, ADMIN, project_key="ibic-boras", row_id=row_id, audience="Brukare"
        )


def test_an_edit_on_a_stale_version_is_refused(ibic: Context) -> None:
    row_id = _fsg(ibic)
    communications.update_communication(
        ibic, PROJEKTLEDARE, project_key=KEY, row_id=row_id, channel="APT", expected_version=1
    )

    with pytest.raises(StaleVersion):
        communications.update_communication(
            ibic, ADMIN, project_key=KEY, row_id=row_id, channel="E-post", expected_version=1
        )
    assert communications.get_communication(ibic, KEY, row_id).channel == "APT"


def test_two_people_editing_the_same_version_at_once_one_wins(ibic: Context) -> None:
    row_id = _fsg(ibic)

    def edit(channel: str) -> str:
        try:
            communications.update_communication(
                ibic,
                PROJEKTLEDARE,
                project_key=KEY,
                row_id=row_id,
                channel=channel,
                expected_version=1,
            )
        except StaleVersion:
            return "stale"
        return "saved"

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(edit, ["APT", "Kommunportalen"]))

    assert answers == ["saved", "stale"]
    assert communications.get_communication(ibic, KEY, row_id).row_version == 2


# --- reminders ---------------------------------------------------------------------------


def test_a_planned_row_with_a_member_as_ansvarig_gets_deadline_reminders(ibic: Context) -> None:
    row_id = _fsg(ibic)

    planned = _open(ibic, row_id)
    assert planned
    assert {r.recipient_email for r in planned if r.kind == "deadline"} == {
        "anita.lindqvist@alingsas.se"
    }
    assert all(r.link.endswith(f"/communications#communication-{row_id}") for r in planned)
    assert all("Fackliga organisationer" in r.title for r in planned)


def test_a_genomford_row_has_its_reminders_cancelled(ibic: Context) -> None:
    row_id = _fsg(ibic)
    assert _open(ibic, row_id)

    communications.update_communication(
        ibic, PROJEKTLEDARE, project_key=KEY, row_id=row_id, status=CommunicationStatus.DONE
    )

    assert _open(ibic, row_id) == []
    assert {r.status for r in _reminders(ibic, row_id)} == {"cancelled"}


def test_a_new_tidpunkt_replans_under_new_keys(ibic: Context) -> None:
    row_id = _fsg(ibic)
    before = {r.key for r in _open(ibic, row_id)}

    communications.update_communication(
        ibic, PROJEKTLEDARE, project_key=KEY, row_id=row_id, planned_on=date(2027, 1, 20)
    )

    after = {r.key for r in _open(ibic, row_id)}
    assert after and not after & before
    assert all("2027-01-20" in key for key in after)


def test_an_ansvarig_who_leaves_the_project_is_reminded_no_more(ibic: Context) -> None:
    row_id = _fsg(ibic, responsible="Jonas Berg")
    assert {r.recipient_email for r in _open(ibic, row_id) if r.kind == "deadline"} == {
        "jonas.berg@alingsas.se"
    }

    members.remove_member(
        ibic, ADMIN, project_key=KEY, email="jonas.berg@alingsas.se", role="forvaltningsledare"
    )

    assert [r for r in _open(ibic, row_id) if r.recipient_email == "jonas.berg@alingsas.se"] == []


# --- intressentanalys --------------------------------------------------------------------


def test_intressenter_are_listed_greatest_paverkan_first(ibic: Context) -> None:
    for name, influence in (
        ("Kommunfullmäktige", Influence.LOW),
        ("Vård- och omsorgsnämnden (VON)", Influence.HIGH),
        ("Brukare", Influence.MEDIUM),
    ):
        stakeholders.add_stakeholder(
            ibic, PROJEKTLEDARE, project_key=KEY, name=name, influence=influence
        )

    names = [r.name for r in stakeholders.list_stakeholders(ibic, KEY)]
    assert names == ["Vård- och omsorgsnämnden (VON)", "Brukare", "Kommunfullmäktige"]


def test_an_intressent_is_revised_and_a_stale_edit_refused(ibic: Context) -> None:
    row = stakeholders.add_stakeholder(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        name="Fackliga representanter",
        interest="Bevakar medarbetares arbetsmiljö",
    )
    revised = stakeholders.update_stakeholder(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        row_id=row.id or 0,
        influence=Influence.HIGH,
        strategy="Information i FSG inför projektstart",
        expected_version=1,
    )
    assert revised.row_version == 2 and revised.influence is Influence.HIGH

    with pytest.raises(StaleVersion):
        stakeholders.update_stakeholder(
            ibic, ADMIN, project_key=KEY, row_id=row.id or 0, strategy="x", expected_version=1
        )
    with pytest.raises(ValidationFailed) as refused:
        stakeholders.update_stakeholder(
            ibic, PROJEKTLEDARE, project_key=KEY, row_id=row.id or 0, name=""
        )
    assert refused.value.field == "name"
    with pytest.raises(PermissionDenied):
        stakeholders.add_stakeholder(ibic, STYRGRUPP, project_key=KEY, name="SKR")
    names = project_events(ibic, KEY)
    assert names.count("stakeholder.updated") == 1


def test_exports_keep_dates_as_dates_and_statuses_in_swedish(ibic: Context) -> None:
    _fsg(ibic)
    stakeholders.add_stakeholder(
        ibic, PROJEKTLEDARE, project_key=KEY, name="SKR", influence=Influence.MEDIUM
    )

    header, rows = register_export.communication_table(ibic, KEY)
    assert header[3] == "Tidpunkt" and rows[0][3] == date(2026, 12, 10)
    assert rows[0][5] == "Planerad"
    header, rows = register_export.stakeholder_table(ibic, KEY)
    assert rows == [("SKR", "", "Medel", "", "")]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(list(CommunicationStatus)),
            st.one_of(st.none(), st.dates(date(2026, 11, 1), date(2027, 6, 30))),
            st.sampled_from(["Anita Lindqvist", "Jonas Berg", "Beställare"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_whatever_the_edits_only_a_planned_dated_row_of_a_member_is_reminded(
    ctx: Context, steps: list[tuple[CommunicationStatus, date | None, str]]
) -> None:
    if not project_exists(ctx):
        start_ibic(ctx)
    row_id = _fsg(ctx, audience="Enhetschefer")
    for status, day, who in steps:
        communications.update_communication(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            row_id=row_id,
            status=status,
            planned_on=day,
            responsible=who,
        )
    status, day, who = steps[-1]
    pending = _open(ctx, row_id)
    if status is not CommunicationStatus.PLANNED or day is None or who == "Beställare":
        assert pending == []
    else:
        assert all(day.isoformat() in r.key for r in pending)
        assert {r.recipient_name for r in pending if r.kind == "deadline"} <= {who}


def project_exists(ctx: Context) -> bool:
    try:
        communications.list_communications(ctx, KEY)
    except NotFound:
        return False
    return True
