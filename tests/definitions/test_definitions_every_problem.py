"""`gatekeeper validate` names every problem in one run (issue 16, finding 10).

A missing `kind` does not hide the rest of the file, a model problem does not
hide the rules the file's well-formed parts break (an id used twice, a phase
or checklist that does not exist), and the cross-file rules run over every
file at once. Several broken files are validated together here.
"""

from __future__ import annotations

from pathlib import Path

from gatekeeper.definitions import validate_paths

VALID = Path(__file__).resolve().parents[1] / "data" / "valid"

NO_KIND_WORKFLOW = """\
id: utan-sort
version: 1
name: Fasmodell utan kind
roles:
  - id: projektledare
    name: Projektledare
initial: forstudie
phases:
  - id: forstudie
    name: Förstudie
  - id: forstudie
    name: Förstudie igen
gates:
  - id: klar
    name: Klar
    from: forstudie
    to: genomforande
    checklists: [start]
"""

MODEL_AND_RULES = """\
kind: workflow
id: trasig
version: 1
name: Trasig fasmodell
roles:
  - id: projektledare
    name: Projektledare
initial: forstudie
phases:
  - id: forstudie
    name: Förstudie
  - id: avslutad
    name: Avslutad
    final: true
  - id: avslutad
gates:
  - id: klar
    name: Klar
    from: forstudie
    to: avslutat
    checklists: [start, saknas]
    approval:
      deciders: ledningsgrupp
      quorum: two
"""

CHECKLIST = """\
kind: checklist
id: trasig-lista
version: 1
name: Trasig checklista
items:
  - id: direktiv
    text: Direktiv klart
    category: Planering
  - id: direktiv
    text: Direktiv igen
    category: Planering
    responsible: projektledare
"""

VALID_BUT_UNKNOWN_CHECKLIST = """\
kind: workflow
id: hel
version: 1
name: Hel fasmodell
roles:
  - id: projektledare
    name: Projektledare
initial: forstudie
phases:
  - id: forstudie
    name: Förstudie
  - id: avslutad
    name: Avslutad
    final: true
gates:
  - id: klar
    name: Klar
    from: forstudie
    to: avslutad
    checklists: [finns-inte]
"""


def _write(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a-utan-sort.yaml").write_text(NO_KIND_WORKFLOW, encoding="utf-8")
    (folder / "b-trasig.yaml").write_text(MODEL_AND_RULES, encoding="utf-8")
    (folder / "c-lista.yaml").write_text(CHECKLIST, encoding="utf-8")
    (folder / "d-hel.yaml").write_text(VALID_BUT_UNKNOWN_CHECKLIST, encoding="utf-8")
    return folder


def _found(problems: list, name: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in problems if Path(p.path).name == name]


def test_several_broken_files_report_every_layer_of_problem_at_once(tmp_path: Path) -> None:
    folder = _write(tmp_path / "trasigt")

    problems = validate_paths([folder, VALID / "checklists"], use_shipped=False)

    assert problems == sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message))
    assert all(problem.line > 0 for problem in problems), problems
    no_kind = _found(problems, "a-utan-sort.yaml")
    assert [line for line, _ in no_kind] == [1, 11, 17], no_kind
    assert "missing required key 'kind'" in no_kind[0][1]
    assert "phase id 'forstudie' is already used by phases[0]" in no_kind[1][1]
    assert "gates[0].to: 'genomforande' is not a phase" in no_kind[2][1]

    broken = _found(problems, "b-trasig.yaml")
    assert [line for line, _ in broken] == [15, 15, 20, 21, 23, 24], broken
    text = "\n".join(message for _, message in broken)
    assert "phases[2]: missing required key 'name'" in text
    assert "phases[2].id: phase id 'avslutad' is already used by phases[1]" in text
    assert "gates[0].to: 'avslutat' is not a phase of this workflow" in text
    assert "did you mean 'avslutad'" in text
    assert "gates[0].checklists[1]: 'saknas' is not a loaded checklist" in text
    assert "gates[0].approval.deciders: 'ledningsgrupp' is not a role" in text
    assert "gates[0].approval.quorum: 'two' is not a quorum" in text

    checklist = _found(problems, "c-lista.yaml")
    assert [line for line, _ in checklist] == [6, 9]
    assert "items[0]: missing required key 'responsible'" in checklist[0][1]
    assert "items[1].id: item id 'direktiv' is already used by items[0]" in checklist[1][1]

    whole = _found(problems, "d-hel.yaml")
    assert len(whole) == 1
    assert "gates[0].checklists[0]: 'finns-inte' is not a loaded checklist" in whole[0][1]


def test_a_value_the_model_refused_is_not_reported_twice(tmp_path: Path) -> None:
    path = tmp_path / "fel-id.yaml"
    path.write_text(
        VALID_BUT_UNKNOWN_CHECKLIST.replace("to: avslutad", "to: Avslutad").replace(
            "[finns-inte]", "[start]\n    passed_by: 7"
        ),
        encoding="utf-8",
    )

    problems = validate_paths([path, VALID / "checklists"], use_shipped=False)

    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (19, "gates[0].to"),
        (21, "gates[0].passed_by"),
    ], problems
    assert "'Avslutad' is not an identifier" in problems[0].message
