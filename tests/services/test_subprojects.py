"""Delprojekt through the use cases, on SQLite and PostgreSQL: linking at creation and
afterwards, who may link, a cycle or an unknown project refused with the field `parent` and
nothing saved (also over random link sequences), and the parent's gate judging its
delprojekt's handover through the criterion `subprojects_handed_over`.

The parent, "Vårdens medarbetare" (seed 004), runs a copy of the införande workflow whose
driftöverlämning gate also asks that every delprojekt has handed over.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from gatekeeper.core.criteria.base import CriterionResult
from gatekeeper.definitions import (
    Catalog,
    load_catalog,
    shipped_checklists_dir,
    shipped_workflows_dir,
)
from gatekeeper.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from gatekeeper.services.access import account as accounts
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import project as projects
from gatekeeper.services.projects import subproject as subprojects
from gatekeeper.store.projects.tables import Project
from tests.factories import (
    ADMIN,
    IBIC_MEMBERS,
    IBIC_TARGETS,
    PROJEKTLEDARE,
    STYRGRUPP,
    approve_gate,
)

PARENT = "vardens-medarbetare"
VILLKOR = "vm-villkor"
UTBILDNINGAR = "vm-utbildningar"
GATE = "driftoverlamning-godkand"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The shipped definitions and `delprojektstyrning`: införande with delprojekt."""
    folder: Path = tmp_path_factory.mktemp("workflows")
    text = (shipped_workflows_dir() / "inforande.yaml").read_text("utf-8")
    text = text.replace("id: inforande\n", "id: delprojektstyrning\n", 1)
    text = text.replace(
        "        decisions: [forvaltningsuppdrag]\n",
        "        decisions: [forvaltningsuppdrag]\n      - kind: subprojects_handed_over\n",
        1,
    )
    (folder / "delprojektstyrning.yaml").write_text(text, "utf-8")
    return load_catalog([shipped_workflows_dir(), folder], [shipped_checklists_dir()])


def _project(ctx: Context, key: str, name: str, **extra: object) -> Project:
    return projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=key,
        name=name,
        workflow_id=str(extra.pop("workflow_id", "inforande")),
        organisation="Skaraborgs kommunalförbund",
        gate_targets=IBIC_TARGETS,
        members=IBIC_MEMBERS,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def family(ctx: Context) -> Context:
    accounts.create_user(ctx, ADMIN, email=ADMIN.id, name=ADMIN.name, is_admin=True)
    _project(ctx, PARENT, "Vårdens medarbetare", workflow_id="delprojektstyrning")
    _project(
        ctx,
        VILLKOR,
        "Delprojekt 1: gemensamma villkor",
        parent_key=PARENT,
        receiving_unit="HR-avdelningen, Skövde kommun",
    )
    return ctx


def _parent_of(ctx: Context, key: str) -> str | None:
    parent = subprojects.family(ctx, key).parent
    return parent.key if parent else None


def _criterion(ctx: Context) -> CriterionResult:
    verdict = gates.gate_readiness(ctx, PARENT, GATE).verdict
    return next(r for r in verdict.results if r.kind == "subprojects_handed_over")


def test_a_delprojekt_linked_at_creation_is_listed_with_phase_and_ansvarig(family: Context) -> None:
    listed = subprojects.family(family, PARENT).subprojects
    assert [(s.key, s.phase_name, s.leaders, s.handed_over) for s in listed] == [
        (VILLKOR, "Förstudie", ("Anita Lindqvist",), False)
    ]
    assert listed[0].receiving_unit == "HR-avdelningen, Skövde kommun"
    child = subprojects.family(family, VILLKOR)
    assert child.parent is not None and child.parent.key == PARENT
    actions = [e.action for e in audit_log.list_events(family, project_key=VILLKOR, limit=50)]
    assert "project.parent_set" in actions


def test_an_unknown_parent_at_creation_is_refused_and_nothing_is_created(ctx: Context) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _project(ctx, UTBILDNINGAR, "Delprojekt 3", parent_key="finns-inte")
    assert refused.value.field == "parent"
    with pytest.raises(NotFound):
        subprojects.family(ctx, UTBILDNINGAR)


def test_the_parents_projektledare_links_afterwards_and_a_styrgrupp_member_may_not(
    family: Context,
) -> None:
    _project(family, UTBILDNINGAR, "Delprojekt 3: gemensamma utbildningar")

    with pytest.raises(PermissionDenied):
        subprojects.set_parent(family, STYRGRUPP, project_key=UTBILDNINGAR, parent_key=PARENT)
    assert _parent_of(family, UTBILDNINGAR) is None

    linked = subprojects.set_parent(
        family, PROJEKTLEDARE, project_key=UTBILDNINGAR, parent_key=PARENT, expected_version=1
    )
    assert linked.parent is not None and linked.parent.key == PARENT
    assert linked.project.row_version == 2
    with pytest.raises(StaleVersion):
        subprojects.set_parent(
            family, ADMIN, project_key=UTBILDNINGAR, parent_key=None, expected_version=1
        )
    listed = subprojects.family(family, PARENT).subprojects
    assert [s.key for s in listed] == [VILLKOR, UTBILDNINGAR]  # by name: Delprojekt 1, 3


def test_a_cycle_is_refused_with_the_field_named_and_nothing_saved(family: Context) -> None:
    for parent in (VILLKOR, PARENT):
        target = PARENT
        with pytest.raises(ValidationFailed) as refused:
            subprojects.set_parent(family, ADMIN, project_key=target, parent_key=parent)
        assert refused.value.field == "parent"
        assert "delprojekt" in refused.value.message
    assert _parent_of(family, PARENT) is None
    assert _parent_of(family, VILLKOR) == PARENT


def test_unlinking_makes_it_a_project_of_its_own_again(family: Context) -> None:
    with pytest.raises(PermissionDenied):
        subprojects.unlink(family, STYRGRUPP, project_key=VILLKOR, parent_key=PARENT)
    with pytest.raises(NotFound):
        subprojects.unlink(family, ADMIN, project_key=PARENT, parent_key=VILLKOR)

    subprojects.unlink(family, PROJEKTLEDARE, project_key=VILLKOR, parent_key=PARENT)

    assert _parent_of(family, VILLKOR) is None
    assert subprojects.family(family, PARENT).subprojects == ()


def test_the_parents_gate_waits_for_its_delprojekt_to_hand_over(family: Context) -> None:
    waiting = _criterion(family)
    assert not waiting.passed and waiting.measured == "0 av 1"
    assert "Delprojekt 1: gemensamma villkor" in waiting.message_sv

    for gate in ("forstudie-klar", "beslut-om-genomforande", "go-live", GATE):
        approve_gate(family, VILLKOR, gate, override="Styrgruppen tar beslutet ändå.")

    done = _criterion(family)
    assert done.passed and done.measured == "1 av 1"
    (sub,) = subprojects.family(family, PARENT).subprojects
    assert sub.handed_over and sub.phase_name == "Uppföljning"


_KEYS = (PARENT, VILLKOR, UTBILDNINGAR)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(_KEYS), st.one_of(st.none(), st.sampled_from(_KEYS))),
        min_size=1,
        max_size=6,
    )
)
def test_no_sequence_of_links_ever_makes_a_cycle(
    family: Context, links: list[tuple[str, str | None]]
) -> None:
    try:
        subprojects.family(family, UTBILDNINGAR)
    except NotFound:
        _project(family, UTBILDNINGAR, "Delprojekt 3: gemensamma utbildningar")
    for child, parent in links:
        try:
            subprojects.set_parent(family, ADMIN, project_key=child, parent_key=parent)
        except ValidationFailed as refused:
            assert refused.field == "parent"
    with family.db.read() as session:
        rows = session.exec(select(Project.id, Project.parent_id)).all()
    parent_of = dict(rows)
    for start in parent_of:
        seen = {start}
        node = parent_of[start]
        while node is not None:
            assert node not in seen, parent_of
            seen.add(node)
            node = parent_of[node]


def test_two_people_linking_crosswise_at_once_never_make_a_cycle(family: Context) -> None:
    _project(family, UTBILDNINGAR, "Delprojekt 3: gemensamma utbildningar")

    def link(child: str, parent: str) -> str:
        try:
            subprojects.set_parent(family, ADMIN, project_key=child, parent_key=parent)
        except ValidationFailed as refused:
            assert refused.field == "parent"
            return "refused"
        return "linked"

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(link, [VILLKOR, UTBILDNINGAR], [UTBILDNINGAR, VILLKOR]))

    assert answers == ["linked", "refused"]
    assert {_parent_of(family, VILLKOR), _parent_of(family, UTBILDNINGAR)} & {
        VILLKOR,
        UTBILDNINGAR,
    }
