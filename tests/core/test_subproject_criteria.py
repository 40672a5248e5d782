"""Delprojekt in the core: the criterion `subprojects_handed_over`, what "handed over" means
in a workflow, that no link sequence makes a project its own ancestor, and the criterion's
YAML checked with file and line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from gatekeeper.core.criteria import CRITERION_KINDS, AnyCriterion, GateContext
from gatekeeper.core.criteria.subprojects_handed_over import SubprojectsHandedOver
from gatekeeper.core.subproject import SubprojectState, creates_cycle, handed_over
from gatekeeper.definitions import validate_paths
from gatekeeper.definitions.catalog import Catalog

DELPROJEKT_1 = SubprojectState(
    "vm-villkor", "Delprojekt 1: gemensamma villkor", "Genomförande", False
)
DELPROJEKT_3 = SubprojectState(
    "vm-utbildningar", "Delprojekt 3: gemensamma utbildningar", "Uppföljning", True
)


def test_subprojects_handed_over_names_those_not_handed_over() -> None:
    criterion = SubprojectsHandedOver()
    failing = criterion.evaluate(GateContext(items=(), subprojects=(DELPROJEKT_1, DELPROJEKT_3)))

    assert not failing.passed
    assert failing.measured == "1 av 2" and failing.required == "2 av 2"
    assert failing.message_sv == (
        "1 av 2 delprojekt överlämnade; inte överlämnade: Delprojekt 1: gemensamma villkor."
    )
    assert failing.details == (
        "Inte överlämnat: Delprojekt 1: gemensamma villkor (i fasen Genomförande)",
    )
    named = SubprojectsHandedOver(subprojects=("vm-utbildningar",))
    assert named.evaluate(GateContext(items=(), subprojects=(DELPROJEKT_1, DELPROJEKT_3))).passed


def test_a_named_project_that_is_no_delprojekt_fails_and_none_at_all_does_not_apply() -> None:
    named = SubprojectsHandedOver(subprojects=("vm-kompetensbank",))
    result = named.evaluate(GateContext(items=(), subprojects=(DELPROJEKT_3,)))
    assert not result.passed
    assert result.details == ("Inget delprojekt till projektet: vm-kompetensbank",)

    none = SubprojectsHandedOver().evaluate(GateContext(items=()))
    assert none.passed and not none.applies
    assert none.message_sv == "Projektet har inga delprojekt; kriteriet gäller inte."


def test_the_kind_is_registered_and_read_from_yaml_words() -> None:
    assert CRITERION_KINDS["subprojects_handed_over"] is SubprojectsHandedOver
    parsed = TypeAdapter(AnyCriterion).validate_python(
        {"kind": "subprojects_handed_over", "subprojects": ["vm-villkor"]}
    )
    assert parsed == SubprojectsHandedOver(subprojects=("vm-villkor",))


def test_handed_over_means_past_the_driftoverlamning_gate_or_in_a_final_phase(
    catalog: Catalog,
) -> None:
    workflow = catalog.workflow("inforande")
    assert [handed_over(workflow, p.id) for p in workflow.phases] == [
        False,  # förstudie
        False,  # beslut
        False,  # genomförande
        False,  # driftöverlämning: its gate is still ahead
        True,  # uppföljning
        True,  # avslutad
    ]


@given(st.lists(st.tuples(st.integers(1, 6), st.one_of(st.none(), st.integers(1, 6))), max_size=30))
def test_no_sequence_of_links_makes_a_project_its_own_ancestor(
    links: list[tuple[int, int | None]],
) -> None:
    parent_of: dict[int, int | None] = dict.fromkeys(range(1, 7))
    for child, parent in links:
        if not creates_cycle(child, parent, parent_of):
            parent_of[child] = parent
    for start in parent_of:
        seen = {start}
        node = parent_of[start]
        while node is not None:
            assert node not in seen, parent_of
            seen.add(node)
            node = parent_of[node]


def test_a_bad_parameter_is_reported_with_file_and_line(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "data" / "invalid" / "criterion-parameter.yaml"
    text = source.read_text("utf-8").replace(
        "      - kind: completion_share\n        min_share: 1.5",
        "      - kind: subprojects_handed_over\n        subprojects: vm-villkor",
    )
    path = tmp_path / "delprojekt.yaml"
    path.write_text(text, "utf-8")

    (problem,) = validate_paths([path], use_shipped=False)

    assert (problem.path, problem.line) == (str(path), 29)
    assert "gates[0].criteria[0].subprojects" in problem.message
