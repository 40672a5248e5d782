"""Starting projects, members and gate dates, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from gatekeeper.errors import Conflict, NotFound, ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import project as projects
from gatekeeper.store.projects.tables import ChecklistItem
from tests.factories import PROJEKTLEDARE, start_ibic


def test_new_project_starts_in_forstudie_with_every_gate_checklist(ctx: Context) -> None:
    project = start_ibic(ctx)

    overview = overviews.project_overview(ctx, project.key)
    assert overview.project.phase == "forstudie"
    assert overview.workflow.key == ("inforande", 3)
    roles = {m.role for m in overview.members}
    assert roles == {"projektledare", "bestallare", "styrgrupp", "forvaltningsledare"}
    assert overview.gate_targets["go-live"] == date(2027, 9, 1)
    assert [h.to_phase for h in overview.history] == ["forstudie"]
    go_live = gates.gate_readiness(ctx, project.key, "go-live")
    checklists = {item.checklist_id for item in go_live.items}
    assert checklists == {"inforandestart", "cutover", "rollback"}  # rollback: Återgångsplan
    assert sum(1 for item in go_live.items if item.checklist_id == "inforandestart") == 15


def test_relative_deadlines_follow_the_gate_target_date(ctx: Context) -> None:
    project = start_ibic(ctx)
    before = {
        i.row.item_id: i.due_on for i in gates.gate_readiness(ctx, project.key, "go-live").items
    }

    gate_dates.set_gate_target(
        ctx,
        PROJEKTLEDARE,
        project_key=project.key,
        gate_id="go-live",
        target_date=date(2027, 10, 1),
    )

    after = {
        i.row.item_id: i.due_on for i in gates.gate_readiness(ctx, project.key, "go-live").items
    }
    shifted = {k: (after[k] - before[k]).days for k in before if before[k] is not None}
    assert shifted and set(shifted.values()) == {30}
    events = audit_log.list_events(ctx, project_key=project.key)
    assert events[-1].action == "gate.target_changed"
    assert events[-1].before == {"target_date": "2027-09-01"}
    assert events[-1].after == {"target_date": "2027-10-01"}


def test_project_records_its_start_in_the_audit_log(ctx: Context) -> None:
    project = start_ibic(ctx)
    events = audit_log.list_events(ctx, project_key=project.key)
    created = [e for e in events if e.action == "project.created"]
    assert len(created) == 1
    assert created[0].actor == "user:anita.lindqvist@alingsas.se"
    assert created[0].after is not None and created[0].after["phase"] == "forstudie"


def test_duplicate_key_is_refused_and_nothing_changes(ctx: Context) -> None:
    start_ibic(ctx)
    count = len(audit_log.list_events(ctx, limit=500))
    with pytest.raises(Conflict, match="ibic-alingsas"):
        start_ibic(ctx)
    assert len(audit_log.list_events(ctx, limit=500)) == count


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"key": "IBIC Alingsås"}, "key"),
        ({"name": "   "}, "name"),
        ({"gate_targets": {"go-liv": date(2027, 1, 1)}}, "gate_targets"),
    ],
)
def test_bad_project_input_names_the_field_and_writes_nothing(
    ctx: Context, changes: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {
        "key": "ibic-alingsas",
        "name": "Införande av IBIC",
        "workflow_id": "inforande",
    }
    arguments.update(changes)
    with pytest.raises(ValidationFailed) as raised:
        projects.create_project(ctx, PROJEKTLEDARE, **arguments)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert overviews.list_projects(ctx) == []
    with ctx.db.read() as session:
        assert session.exec(select(ChecklistItem)).first() is None


def test_unknown_workflow_and_project_are_not_found(ctx: Context) -> None:
    with pytest.raises(NotFound, match="pps"):
        projects.create_project(ctx, PROJEKTLEDARE, key="x-projekt", name="X", workflow_id="pps")
    with pytest.raises(NotFound, match="finns inte"):
        overviews.project_overview(ctx, "saknas")


def test_member_with_unknown_role_is_refused(ctx: Context) -> None:
    project = start_ibic(ctx)
    with pytest.raises(ValidationFailed, match="kända roller") as raised:
        members.add_member(
            ctx,
            PROJEKTLEDARE,
            project_key=project.key,
            name="Eva",
            email="eva@alingsas.se",
            role="chef",
        )
    assert raised.value.field == "role"
    member = members.add_member(
        ctx,
        PROJEKTLEDARE,
        project_key=project.key,
        name="Eva Nilsson",
        email="Eva.Nilsson@alingsas.se",
        role="forandringsledare",
    )
    assert member.email == "eva.nilsson@alingsas.se"
    with pytest.raises(Conflict):
        members.add_member(
            ctx,
            PROJEKTLEDARE,
            project_key=project.key,
            name="Eva Nilsson",
            email="eva.nilsson@alingsas.se",
            role="forandringsledare",
        )
