"""One broken file per rule in tests/data/invalid/: the right line, column and words.

Each file is validated together with the valid fixtures (so references to the
checklists `start` and `driftstart` resolve) and without the shipped content,
and must give exactly the problems listed here, all located in that file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.definitions import validate_paths

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"

# file, then one (line, column, phrase) per expected problem, in reading order
CASES: dict[str, list[tuple[int, int, str]]] = {
    "syntax-error.yaml": [(4, 5, "not valid YAML: expected ',' or ']'")],
    "passed-by-problems.yaml": [
        (24, 16, "gates[0].passed_by: gate 'forstudie-klar' has an approval policy"),
        (31, 16, "gates[1].passed_by: 'driftledare' is not a role of this workflow"),
    ],
    "requested-by-problems.yaml": [
        (24, 37, "gates[0].approval.requested_by[1]: role 'projektledare' is named twice"),
        (24, 52, "gates[0].approval.requested_by[2]: 'delprojektledare' is not a role"),
    ],
    "duplicate-key.yaml": [(10, 5, "key 'text' appears twice in the same mapping")],
    "top-level-list.yaml": [(1, 1, "the top level must be a mapping")],
    "empty.yaml": [(1, 1, "the file is empty")],
    "alias-bomb.yaml": [(6, 1, "expands to more than 100000 values")],
    "tag.yaml": [(4, 7, "name: the tag '!secret' is not allowed")],
    "missing-kind.yaml": [(1, 1, "missing required key 'kind'")],
    "unknown-kind.yaml": [(1, 7, "kind: 'workflwo' is not a definition kind")],
    "unknown-key.yaml": [
        (14, 5, "items[1]: unknown key 'mandatroy' (did you mean 'mandatory'?)"),
    ],
    "bad-due.yaml": [
        (
            10,
            10,
            "items[0].due: '-90' is not a relative deadline; "
            "write days or weeks such as -90d, -12w or 0d",
        ),
    ],
    "bad-identifier.yaml": [(2, 5, "id: 'Förstudie' is not an identifier")],
    "wrong-type.yaml": [(3, 10, "version: expected a whole number, not 'one'")],
    "missing-key.yaml": [(6, 5, "items[0]: missing required key 'category'")],
    "duplicate-item-id.yaml": [
        (10, 9, "items[1].id: item id 'direktiv' is already used by items[0] (line 6)"),
    ],
    "unknown-criterion.yaml": [
        (
            28,
            15,
            "gates[0].criteria[0].kind: 'magic' is not a criterion kind; known kinds: "
            "mandatory_items_done, completion_share, max_open_risk_score, decisions_taken",
        ),
    ],
    "criterion-parameter.yaml": [
        (29, 20, "gates[0].criteria[0].min_share: must be at most 1.0, not 1.5"),
    ],
    "duplicate-phase-id.yaml": [
        (19, 9, "phases[2].id: phase id 'genomforande' is already used by phases[1] (line 17)"),
    ],
    "unknown-phase.yaml": [
        (26, 9, "gates[0].to: 'genomforand' is not a phase of this workflow"),
    ],
    "unknown-initial.yaml": [
        (13, 10, "initial: 'forstudien' is not a phase of this workflow"),
    ],
    "gate-to-own-phase.yaml": [
        (30, 9, "gates[1].to: the gate leads back to its own phase 'genomforande'"),
    ],
    "leaves-final-phase.yaml": [
        (33, 11, "gates[2].from: 'avslutad' is a final phase; no gate may leave a final phase"),
    ],
    "unreachable-phase.yaml": [
        (17, 9, "phases[1].id: phase 'genomforande' cannot be reached from the initial phase"),
        (19, 9, "phases[2].id: phase 'avslutad' cannot be reached"),
    ],
    "missing-checklist.yaml": [
        (27, 25, "gates[0].checklists[1]: 'finns-inte' is not a loaded checklist"),
    ],
    "responsible-not-a-role.yaml": [
        (10, 18, "items[0].responsible: 'it-chef' is not a role of workflow 'leverans' v1"),
    ],
    "may-tick-not-a-role.yaml": [
        (6, 23, "may_tick[1]: 'referensgrupp' is not a role of workflows 'leverans' v2"),
        (12, 31, "items[0].may_tick[1]: 'it-chef' is not a role of workflows 'leverans' v2"),
    ],
    "unknown-decider.yaml": [
        (28, 17, "gates[0].approval.deciders: 'ledningsgrupp' is not a role of this workflow"),
    ],
    "unknown-required-role.yaml": [
        (29, 36, "gates[0].approval.required_roles[1]: 'kund' is not a role of this workflow"),
    ],
    "quorum-below-required-roles.yaml": [
        (29, 15, "gates[0].approval.quorum: a quorum of 1 is smaller than the 2 required_roles"),
    ],
    "quorum-above-max-members.yaml": [
        (
            29,
            15,
            "gates[0].approval.quorum: a quorum of 7 is larger than role 'styrgrupp' "
            "can ever be (max_members: 5)",
        ),
    ],
    "quorum-zero.yaml": [(29, 15, "a quorum of 0 is not possible; it must be at least 1")],
    "same-version-other-content.yaml": [
        (
            4,
            10,
            "version: workflow 'leverans' version 1 is also defined in "
            f"{VALID / 'workflows' / 'leverans.yaml'} with different content",
        ),
    ],
    "many-model-problems.yaml": [
        (8, 5, "roles[0]: unknown key 'descripton' (did you mean 'description'?)"),
        (13, 9, "phases[1].id: 'Genomförande' is not an identifier"),
        (15, 5, "phases[2]: missing required key 'name'"),
        (22, 15, "gates[0].criteria[0].kind: 'magic' is not a criterion kind"),
        (23, 9, "gates[0].criteria[1]: missing required key 'min_share'"),
        (26, 15, "gates[0].approval.quorum: 'two' is not a quorum"),
    ],
    "many-rule-problems.yaml": [
        (24, 9, "gates[0].to: 'genomforand' is not a phase of this workflow"),
        (26, 17, "gates[0].approval.deciders: 'ledningsgrupp' is not a role of this workflow"),
        (33, 15, "a quorum of 4 is larger than role 'styrgrupp' can ever be (max_members: 3)"),
        (34, 9, "gates[2].id: gate id 'go-live' is already used by gates[1] (line 27)"),
        (36, 11, "gates[2].from: 'avslutad' is a final phase"),
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_reports_each_problem_at_its_place(name: str) -> None:
    path = INVALID / name
    problems = validate_paths([VALID / "workflows", VALID / "checklists", path], use_shipped=False)
    assert all(problem.path == str(path) for problem in problems), problems
    found = [(p.line, p.column, p.message) for p in problems]
    expected = CASES[name]
    assert len(found) == len(expected), found
    for (line, column, message), (want_line, want_column, phrase) in zip(
        found, expected, strict=True
    ):
        assert (line, column) == (want_line, want_column), message
        assert phrase in message


def test_problems_print_as_file_line_column_sentence() -> None:
    path = INVALID / "bad-due.yaml"
    (problem,) = validate_paths([path], use_shipped=False)
    assert str(problem).startswith(f"{path}:10:10: items[0].due: '-90' is not")


def test_the_whole_invalid_folder_reports_every_file_at_once() -> None:
    problems = validate_paths([VALID, INVALID], use_shipped=False)
    for name, expected in CASES.items():
        found = [p for p in problems if p.path == str(INVALID / name)]
        assert [(p.line, p.column) for p in found] == [(line, col) for line, col, _ in expected]
    assert not [p for p in problems if p.path.startswith(str(VALID))]
