"""Own workflows and checklists next to the shipped ones (issue 16, finding 14).

`GATEKEEPER_WORKFLOWS_DIR` replaces the shipped folder; the extra folders are
loaded in addition, and an id defined in both is refused naming both files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.config import Settings
from gatekeeper.definitions import shipped_checklists_dir, shipped_workflows_dir, validate_paths
from gatekeeper.errors import DefinitionError
from gatekeeper.services.setup import load_definitions

OWN_WORKFLOW = """\
kind: workflow
id: {ident}
version: {version}
name: Egen fasmodell
roles:
  - id: projektledare
    name: Projektledare
  - id: styrgrupp
    name: Styrgrupp
initial: forstudie
phases:
  - id: forstudie
    name: Förstudie
  - id: klar
    name: Klar
    final: true
gates:
  - id: klart
    name: Klart
    from: forstudie
    to: klar
    checklists: [{checklist}]
    approval:
      deciders: styrgrupp
"""

OWN_CHECKLIST = """\
kind: checklist
id: {ident}
version: 1
name: Egen checklista
items:
  - id: klart
    text: Allt klart
    category: Planering
    responsible: projektledare
"""


def _own(tmp_path: Path, *, workflow: str, checklist: str, uses: str) -> tuple[Path, Path]:
    workflows, checklists = tmp_path / "egna-fasmodeller", tmp_path / "egna-checklistor"
    workflows.mkdir()
    checklists.mkdir()
    (workflows / "egen.yaml").write_text(
        OWN_WORKFLOW.format(ident=workflow, version=7, checklist=uses), encoding="utf-8"
    )
    (checklists / "egen.yaml").write_text(OWN_CHECKLIST.format(ident=checklist), encoding="utf-8")
    return workflows, checklists


def test_extra_folders_from_the_environment_load_next_to_the_shipped_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflows, checklists = _own(
        tmp_path, workflow="egen", checklist="egen-lista", uses="egen-lista"
    )
    monkeypatch.setenv("GATEKEEPER_EXTRA_WORKFLOWS_DIRS", f"{workflows}:{tmp_path / 'tom'}")
    monkeypatch.setenv("GATEKEEPER_EXTRA_CHECKLISTS_DIRS", str(checklists))
    (tmp_path / "tom").mkdir()

    catalog = load_definitions(Settings(database_url="sqlite://"))

    ids = {workflow.id for workflow in catalog.workflows()}
    assert {"egen", "inforande", "forankring"} <= ids
    assert catalog.checklist("egen-lista").name == "Egen checklista"
    assert catalog.checklist("beslut").name  # the shipped checklists are still there


def test_an_own_checklist_may_be_used_by_an_own_workflow(tmp_path: Path) -> None:
    workflows, checklists = _own(
        tmp_path, workflow="egen", checklist="egen-lista", uses="egen-lista"
    )
    settings = Settings(
        database_url="sqlite://",
        extra_workflows_dirs=[workflows],
        extra_checklists_dirs=[checklists],
    )

    catalog = load_definitions(settings)

    assert catalog.checklists_of(catalog.workflow("egen").gates[0])[0].id == "egen-lista"


def test_an_own_id_that_clashes_with_a_shipped_one_names_both_files(tmp_path: Path) -> None:
    workflows, checklists = _own(tmp_path, workflow="inforande", checklist="beslut", uses="beslut")
    settings = Settings(
        database_url="sqlite://",
        extra_workflows_dirs=[workflows],
        extra_checklists_dirs=[checklists],
    )

    with pytest.raises(DefinitionError) as caught:
        load_definitions(settings)

    clashes = [p for p in caught.value.problems if "needs an id of its own" in p.message]
    assert [(Path(p.path).parent, p.line) for p in clashes] == [(checklists, 2), (workflows, 2)]
    assert str(shipped_checklists_dir() / "beslut.yaml") in clashes[0].message
    assert str(shipped_workflows_dir() / "inforande.yaml") in clashes[1].message
    assert "checklist id 'beslut'" in clashes[0].message
    assert "workflow id 'inforande'" in clashes[1].message


def test_a_missing_extra_folder_is_a_problem(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite://", extra_workflows_dirs=[tmp_path / "finns-inte"])

    with pytest.raises(DefinitionError) as caught:
        load_definitions(settings)

    assert "the workflows folder does not exist" in str(caught.value)


def test_validate_warns_that_an_own_file_takes_a_shipped_ones_place(tmp_path: Path) -> None:
    workflows, _ = _own(tmp_path, workflow="inforande", checklist="egen", uses="beslut")
    own = workflows / "egen.yaml"

    found = validate_paths([own], warnings=True)

    clashes = [p for p in found if "is also defined in" in p.message]
    assert len(clashes) == 1 and clashes[0].warning, found
    assert (clashes[0].path, clashes[0].line) == (str(own), 2)
    assert str(shipped_workflows_dir() / "inforande.yaml") in clashes[0].message
    assert "in GATEKEEPER_EXTRA_WORKFLOWS_DIRS it would be refused" in clashes[0].message
    assert not [p for p in validate_paths([own]) if "is also defined in" in p.message]
