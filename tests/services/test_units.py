"""Waves and units of a rollout: adding, nesting, moving between waves, removing, listing."""

from __future__ import annotations

from datetime import date

import pytest

from gatekeeper.core.actor import Actor
from gatekeeper.core.status import UnitKind
from gatekeeper.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.services.rollout import unit as units
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from gatekeeper.services.rollout import unit_listing, unit_move
from gatekeeper.services.rollout import wave as waves
from tests.factories import ADMIN, bearer
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, STYRGRUPP, start_rollout


def test_rollout_has_waves_and_a_nested_tree_with_a_checklist_per_unit(ctx: Context) -> None:
    start_rollout(ctx, kommuner=3, units_per_kommun=4)

    groups = unit_listing.units_by_wave(ctx, ROLLOUT_KEY)

    assert [g.wave.key for g in groups if g.wave] == ["vag-1", "vag-2", "vag-3"]
    boras = [row for row in groups[0].units]
    assert boras[0].unit.key == "boras" and boras[0].depth == 0
    assert {row.depth for row in boras} == {0, 1, 2}
    solgarden = next(r for r in boras if r.unit.key == "boras-sarskilt-boende-solgarden")
    assert solgarden.parent_key == "boras-ifo"
    assert solgarden.wave_key == "vag-1"  # inherited through förvaltning from the kommun
    assert solgarden.items_done == 0 and solgarden.items_total > 10


def test_deadlines_follow_the_wave_when_it_is_postponed(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    before = unit_checklists.unit_checklist(ctx, ROLLOUT_KEY, "boras-hemtjanst-norr")
    training = next(v for v in before.items if v.row.item_id == "utbildning-genomford")
    assert training.due_on == date(2027, 2, 15)  # 14 days before 1 March 2027

    waves.update_wave(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, wave_key="vag-1", go_live_on=date(2027, 4, 1)
    )

    after = unit_checklists.unit_checklist(ctx, ROLLOUT_KEY, "boras-hemtjanst-norr")
    training = next(v for v in after.items if v.row.item_id == "utbildning-genomford")
    assert training.due_on == date(2027, 3, 18)
    event = audit_log.list_events(ctx, project_key=ROLLOUT_KEY)[-1]
    assert event.action == "wave.updated"
    assert event.before["go_live_on"] == "2027-03-01"
    assert event.after["go_live_on"] == "2027-04-01"


def test_bad_wave_input_is_refused_with_the_field(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    with pytest.raises(ValidationFailed) as bad_key:
        waves.create_wave(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            key="Våg 4",
            name="x",
            go_live_on=date.today(),
        )
    assert bad_key.value.field == "key"
    with pytest.raises(ValidationFailed) as no_name:
        waves.create_wave(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            key="vag-4",
            name=" ",
            go_live_on=date.today(),
        )
    assert no_name.value.field == "name"
    with pytest.raises(Conflict):
        waves.create_wave(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            key="vag-1",
            name="Igen",
            go_live_on=date(2027, 1, 1),
        )
    with pytest.raises(NotFound):
        waves.update_wave(ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, wave_key="vag-9", name="x")


def test_only_the_projektledare_or_an_admin_manages_units_and_waves(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    with pytest.raises(PermissionDenied):
        waves.create_wave(
            ctx,
            STYRGRUPP,
            project_key=ROLLOUT_KEY,
            key="vag-4",
            name="V4",
            go_live_on=date(2028, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        units.add_unit(
            ctx,
            STYRGRUPP,
            project_key=ROLLOUT_KEY,
            key="lerum",
            name="Lerums kommun",
            kind="kommun",
        )
    bearer(ctx, ADMIN.id, admin=True)  # makes the admin account
    made = units.add_unit(
        ctx, ADMIN, project_key=ROLLOUT_KEY, key="lerum", name="Lerums kommun", kind="kommun"
    )
    assert made.kind is UnitKind.KOMMUN


def test_nesting_goes_down_kommun_forvaltning_enhet(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    with pytest.raises(ValidationFailed) as upside_down:
        units.add_unit(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            key="boras-hemtjanst-norr-kommun",
            name="Fel",
            kind="kommun",
            parent_key="boras-hemtjanst-norr",
        )
    assert upside_down.value.field == "parent_key"
    with pytest.raises(ValidationFailed) as bad_kind:
        units.add_unit(
            ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, key="x1", name="X", kind="stadsdel"
        )
    assert bad_kind.value.field == "kind"
    with pytest.raises(NotFound):
        units.add_unit(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            key="x2",
            name="X",
            kind="enhet",
            parent_key="finns-inte",
        )
    with pytest.raises(ValidationFailed) as bad_mail:
        units.add_unit(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            key="x3",
            name="X",
            kind="enhet",
            responsible_email="inte-en-adress",
        )
    assert bad_mail.value.field == "responsible_email"
    with pytest.raises(Conflict):
        units.add_unit(
            ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, key="boras", name="Igen", kind="kommun"
        )
    # An enhet directly under a kommun is two levels, which is allowed.
    direct = units.add_unit(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        key="boras-ekonomi",
        name="Ekonomienheten",
        kind="Enhet",
        parent_key="boras",
    )
    assert direct.wave_id is not None


def test_moving_to_a_later_wave_is_a_recorded_decision(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=2)
    with pytest.raises(ValidationFailed) as unmotivated:
        unit_move.move_unit(
            ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, unit_key="boras-vo", wave_key="vag-2"
        )
    assert unmotivated.value.field == "motivation"

    unit_move.move_unit(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        unit_key="boras-vo",
        wave_key="vag-2",
        motivation="Hemtjänsten hinner inte utbilda alla före driftstart.",
    )

    rows = {row.unit.key: row for row in unit_listing.list_units(ctx, ROLLOUT_KEY)}
    assert rows["boras-vo"].wave_key == "vag-2"
    assert rows["boras-hemtjanst-norr"].wave_key == "vag-2"  # followed its förvaltning
    assert rows["boras"].wave_key == "vag-1"
    assert rows["boras-ifo"].wave_key == "vag-1"
    event = audit_log.list_events(ctx, project_key=ROLLOUT_KEY)[-1]
    assert event.action == "unit.moved"
    assert event.before == {"wave": "vag-1", "go_live_on": "2027-03-01"}
    assert event.after["wave"] == "vag-2" and event.after["later"] is True
    assert event.after["decided_by"] == str(PROJEKTLEDARE)
    assert event.after["motivation"].startswith("Hemtjänsten")
    assert event.after["units"] == ["boras-vo", "boras-hemtjanst-norr"]

    # Back to an earlier wave needs no motivation.
    unit_move.move_unit(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, unit_key="boras-vo", wave_key="vag-1"
    )
    assert unit_listing.get_unit(ctx, ROLLOUT_KEY, "boras-vo").wave_key == "vag-1"
    with pytest.raises(PermissionDenied):
        unit_move.move_unit(
            ctx,
            STYRGRUPP,
            project_key=ROLLOUT_KEY,
            unit_key="boras-vo",
            wave_key="vag-1",
            motivation="x",
        )


def test_removing_a_unit_with_children_needs_them_removed_too(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=2)
    with pytest.raises(Conflict):
        units.remove_unit(ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, unit_key="boras-vo")

    removed = units.remove_unit(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, unit_key="boras-vo", with_children=True
    )

    assert removed == ["boras-vo", "boras-hemtjanst-norr"]
    left = [row.unit.key for row in unit_listing.list_units(ctx, ROLLOUT_KEY)]
    assert "boras-vo" not in left and "boras-hemtjanst-norr" not in left
    with pytest.raises(NotFound):
        unit_checklists.unit_checklist(ctx, ROLLOUT_KEY, "boras-hemtjanst-norr")
    event = audit_log.list_events(ctx, project_key=ROLLOUT_KEY)[-1]
    assert event.action == "unit.removed"
    assert event.before["units"] == removed
    # A leaf goes alone.
    assert units.remove_unit(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, unit_key="boras-hemtjanst-soder"
    ) == ["boras-hemtjanst-soder"]


def test_renaming_and_naming_the_inforandeansvarig(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    unit = units.update_unit(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        unit_key="boras-ifo",
        responsible_email="Lena.Hjalmarsson@Boras.se",
        responsible_name="Lena Hjalmarsson",
        expected_version=1,
    )
    assert unit.responsible_email == "lena.hjalmarsson@boras.se"
    assert unit.row_version == 2
    with pytest.raises(StaleVersion):
        units.update_unit(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            unit_key="boras-ifo",
            name="Individ- och familjeomsorgen",
            expected_version=1,
        )


def test_units_added_later_get_the_checklist_version_the_first_units_got(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    units.add_unit(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        key="lerum",
        name="Lerums kommun",
        kind="kommun",
    )
    first = unit_checklists.unit_checklist(ctx, ROLLOUT_KEY, "boras")
    later = unit_checklists.unit_checklist(ctx, ROLLOUT_KEY, "lerum")
    assert [v.row.item_id for v in first.items] == [v.row.item_id for v in later.items]
    assert later.wave is None and all(v.due_on is None for v in later.items)


def test_a_project_without_unit_checklists_gets_units_without_items(ctx: Context) -> None:
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="forankring-lerum",
        name="Förankring",
        workflow_id="forankring",
    )
    bearer(ctx, ADMIN.id, admin=True)  # the workflow has no projektledare: an admin manages
    unit = units.add_unit(
        ctx,
        ADMIN,
        project_key="forankring-lerum",
        key="lerum",
        name="Lerums kommun",
        kind="kommun",
    )
    assert unit.id is not None
    assert unit_checklists.unit_checklist(ctx, "forankring-lerum", "lerum").items == ()


def test_system_actor_may_manage(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    made = units.add_unit(
        ctx,
        Actor.system("demo"),
        project_key=ROLLOUT_KEY,
        key="vargarda",
        name="Vårgårda kommun",
        kind="kommun",
        wave_key="vag-3",
    )
    assert made.wave_id is not None
