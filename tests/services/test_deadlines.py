"""Mina punkter and a project's deadline view: who sees which items, dates, order, filters.

The Alingsås IBIC introduction on 25 November 2026 (DEMO_NOW): Anita Lindqvist leads
it, Lars Carlsson sits in its styrgrupp (Per Ek as his ersättare), Malin Holmberg is
the beställare. In Lerum's IBIC the roles are swapped: Lars leads it, Anita sits in
its styrgrupp. Deadlines are compared with the gate page's own (`gate_item`).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatekeeper.core.access import Principal
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import project as projects
from gatekeeper.services.projects.deadline import DeadlineLine, LineFilter, SortKey
from gatekeeper.services.projects.deadline_view import deadline_view
from gatekeeper.services.projects.my_items import my_items
from tests.factories import IBIC_TARGETS, PROJEKTLEDARE, approve_gate, start_ibic, tick_gate

KEY = "ibic-alingsas"
LERUM = "ibic-lerum"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"
MALIN = "malin.holmberg@alingsas.se"
PER = "per.ek@alingsas.se"
TODAY = date(2026, 11, 25)
ROLES = {
    (KEY, ANITA): {"projektledare"},
    (KEY, LARS): {"styrgrupp"},
    (KEY, MALIN): {"bestallare"},
    (LERUM, ANITA): {"styrgrupp"},
    (LERUM, LARS): {"projektledare"},
}


def person(email: str) -> Principal:
    return Principal(email=email, name=email.split("@")[0], is_admin=False, can_write=True)


def start_lerum(ctx: Context) -> None:
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=LERUM,
        name="Införande av IBIC i Lerum",
        workflow_id="inforande",
        organisation="Sektor social välfärd, Lerums kommun",
        started_on=date(2026, 9, 1),
        gate_targets=IBIC_TARGETS,
        members=(
            projects.MemberSpec("Lars Carlsson", LARS, "projektledare"),
            projects.MemberSpec("Anita Lindqvist", ANITA, "styrgrupp"),
        ),
    )


@pytest.fixture
def two(ctx: Context) -> Context:
    start_ibic(ctx)
    start_lerum(ctx)
    return ctx


def tick(ctx: Context, key: str, line: DeadlineLine, status: ItemStatus) -> None:
    checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=key,
        gate_id=line.gate_id,
        checklist_id=line.checklist_id,
        item_id=line.item_id,
        status=status,
        evidence="https://intranat.alingsas.se/ibic/underlag.pdf",
    )


def open_items_of(ctx: Context, key: str, roles: set[str]) -> set[tuple[str, str, str, str]]:
    """From the gate pages' readiness: the open items of the roles, every gate ahead."""
    found = set()
    for readiness in gates.all_gates(ctx, key):
        for item in readiness.items:
            if item.row.status is ItemStatus.OPEN and item.row.responsible in roles:
                found.add((key, readiness.gate.id, item.checklist_id, item.row.item_id))
    return found


def keys(lines: tuple[DeadlineLine, ...] | list[DeadlineLine]) -> set[tuple[str, str, str, str]]:
    return {(line.project_key, line.gate_id, line.checklist_id, line.item_id) for line in lines}


# --- who sees which items ------------------------------------------------------------------


def test_mina_punkter_holds_the_open_items_of_the_roles_the_person_holds_in_each_project(
    two: Context,
) -> None:
    mine = my_items(two, person(ANITA))
    assert keys(mine.lines) == open_items_of(two, KEY, {"projektledare"}) | open_items_of(
        two, LERUM, {"styrgrupp"}
    )
    assert {line.project_name for line in mine.lines} == {
        "Införande av IBIC",
        "Införande av IBIC i Lerum",
    }
    assert all(line.mine and line.is_open for line in mine.lines)
    assert mine.leads


def test_an_ersattare_gets_none_of_the_members_items_and_a_stranger_none_at_all(
    two: Context,
) -> None:
    assert my_items(two, person(PER)).lines == ()
    assert my_items(two, person("okand@partille.se")).lines == ()
    lars = my_items(two, person(LARS))
    assert {line.responsible for line in lars.lines if line.project_key == KEY} == {"styrgrupp"}


def test_a_projektledare_may_add_every_open_item_of_the_projects_they_lead(two: Context) -> None:
    everything = my_items(two, person(ANITA), everything=True)
    every_role = {role.id for role in two.catalog.workflow("inforande").roles}
    assert everything.everything
    assert keys(everything.lines) == open_items_of(two, KEY, every_role) | open_items_of(
        two, LERUM, {"styrgrupp"}
    )
    # Malin leads nothing: the wider list is not hers to ask for.
    malin = my_items(two, person(MALIN), everything=True)
    assert not malin.leads and not malin.everything
    assert keys(malin.lines) == open_items_of(two, KEY, {"bestallare"})


def test_a_ticked_item_leaves_mina_punkter_and_is_counted_done_in_the_deadline_view(
    two: Context,
) -> None:
    first = my_items(two, person(ANITA)).lines[0]
    tick(two, first.project_key, first, ItemStatus.DONE)
    assert (first.project_key, first.gate_id, first.checklist_id, first.item_id) not in keys(
        my_items(two, person(ANITA)).lines
    )
    view = deadline_view(two, person(ANITA), first.project_key)
    assert [line.item_id for line in view.settled] == [first.item_id]
    assert first.item_id not in {line.item_id for line in view.to_do}


def test_the_items_of_a_gate_already_passed_leave_the_deadline_view(
    two: Context,
) -> None:
    tick_gate(two, KEY, "forstudie-klar")
    approve_gate(two, KEY, "forstudie-klar")
    view = deadline_view(two, person(ANITA), KEY)
    assert "forstudie-klar" not in {line.gate_id for line in view.lines}
    assert {line.gate_id for line in view.lines} >= {"beslut-om-genomforande", "go-live"}


def test_a_project_nobody_may_see_by_that_key_is_not_found(two: Context) -> None:
    with pytest.raises(NotFound):
        deadline_view(two, person(ANITA), "ibic-finns-inte")


# --- dates and order ------------------------------------------------------------------------


def test_every_deadline_is_the_gate_pages_own_and_lateness_is_counted_in_days(
    two: Context,
) -> None:
    view = deadline_view(two, person(ANITA), KEY)
    assert view.late_total > 0
    for line in view.lines:
        on_gate_page = gates.gate_item(two, KEY, line.gate_id, line.checklist_id, line.item_id)
        assert line.due_on == on_gate_page.due_on
        assert line.late == on_gate_page.state().overdue(TODAY)
        if line.late:
            assert line.due_on is not None
            assert line.late_days == (TODAY - line.due_on).days > 0


def test_mina_punkter_comes_late_first_longest_late_first_then_nearest_deadline_undated_last(
    two: Context,
) -> None:
    lines = my_items(two, person(ANITA), everything=True).lines
    late = [line for line in lines if line.late]
    assert late and lines[: len(late)] == tuple(late)
    assert [line.late_days for line in late] == sorted(
        (line.late_days for line in late), reverse=True
    )
    dated = [line.due_on for line in lines if line.due_on is not None]
    assert dated == sorted(dated)
    undated = [n for n, line in enumerate(lines) if line.due_on is None]
    assert undated == list(range(len(lines) - len(undated), len(lines)))


def test_sorted_by_gate_the_view_follows_the_workflows_gates(two: Context) -> None:
    lines = deadline_view(two, person(ANITA), KEY, sort="gate").lines
    order = [gate.id for gate in two.catalog.workflow("inforande").gates]
    seen = list(dict.fromkeys(line.gate_id for line in lines))
    assert seen == [gate for gate in order if gate in seen]


def test_the_view_offers_the_categories_and_checklists_of_its_items_by_name(two: Context) -> None:
    view = deadline_view(two, person(LARS), KEY)
    assert "Ekonomi" in view.categories and "Styrning" in view.categories
    assert ("forstudie", "Checklista förstudie klar") in view.checklists
    assert view.has_roles
    assert not deadline_view(two, person(PER), KEY).has_roles  # an ersättare holds no role


# --- filters in every combination ------------------------------------------------------------


def _prepare(ctx: Context) -> None:
    """IBIC with some items done and one not applicable (once per database)."""
    try:
        deadline_view(ctx, person(ANITA), KEY)
        return
    except NotFound:
        start_ibic(ctx)
    lines = deadline_view(ctx, person(ANITA), KEY).lines
    for line in lines[::7]:
        tick(ctx, KEY, line, ItemStatus.DONE)
    tick(ctx, KEY, lines[3], ItemStatus.NOT_APPLICABLE)


def _satisfies(line: DeadlineLine, chosen: LineFilter, viewer: str) -> bool:
    """Each filter in its own words, from the line's plain facts."""
    late = line.due_on is not None and line.due_on < TODAY and line.status is ItemStatus.OPEN
    return (
        (not chosen.late or late)
        and (not chosen.mine or line.responsible in ROLES.get((KEY, viewer), set()))
        and (not chosen.open or line.status is ItemStatus.OPEN)
        and (not chosen.category or line.category == chosen.category)
        and (not chosen.checklist or line.checklist_id == chosen.checklist)
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    viewer=st.sampled_from([ANITA, LARS, MALIN, PER]),
    late=st.booleans(),
    mine=st.booleans(),
    open_=st.booleans(),
    category=st.sampled_from(["", "Ekonomi", "Styrning", "Planering", "Support", "Finns inte"]),
    checklist=st.sampled_from(["", "forstudie", "beslut", "cutover", "uppfoljning"]),
    sort=st.sampled_from(["deadline", "gate"]),
)
def test_every_shown_item_satisfies_every_chosen_filter_and_none_that_does_is_left_out(
    ctx: Context,
    viewer: str,
    late: bool,
    mine: bool,
    open_: bool,
    category: str,
    checklist: str,
    sort: SortKey,
) -> None:
    _prepare(ctx)
    chosen = LineFilter(late=late, mine=mine, open=open_, category=category, checklist=checklist)
    everything = deadline_view(ctx, person(viewer), KEY).lines
    shown = deadline_view(ctx, person(viewer), KEY, chosen=chosen, sort=sort).lines
    assert all(_satisfies(line, chosen, viewer) for line in shown)
    assert keys(shown) == keys([line for line in everything if _satisfies(line, chosen, viewer)])
    assert len(shown) == len(keys(shown))
    if sort == "deadline":
        dated = [line.due_on for line in shown if line.due_on is not None]
        assert dated == sorted(dated)
    else:
        positions = [line.gate_position for line in shown]
        assert positions == sorted(positions)
