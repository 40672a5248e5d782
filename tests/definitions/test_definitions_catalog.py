"""Loading folders into a Catalog, validating paths, and the shipped content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import gatekeeper.definitions.catalog as catalog_module
import gatekeeper.definitions.shipped as shipped_module
from gatekeeper.core.deadline import RelativeDeadline
from gatekeeper.core.phase_model import ApprovalPolicy
from gatekeeper.definitions import (
    Catalog,
    content_hash,
    load_catalog,
    read_source,
    shipped_checklists_dir,
    shipped_workflows_dir,
    validate_paths,
)
from gatekeeper.errors import DefinitionError, NotFound

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([VALID / "workflows"], [VALID / "checklists"])


def test_latest_and_explicit_versions(catalog: Catalog) -> None:
    assert [(w.id, w.version) for w in catalog.workflows()] == [("leverans", 1), ("leverans", 2)]
    assert [(w.id, w.version) for w in catalog.workflows(latest_only=True)] == [("leverans", 2)]
    assert catalog.workflow("leverans").version == 2
    assert catalog.workflow("leverans", 1).name == "Leveransprojekt"
    assert [(c.id, c.version) for c in catalog.checklists()] == [
        ("driftstart", 1),
        ("driftstart", 2),
        ("start", 1),
    ]
    assert [c.id for c in catalog.checklists(latest_only=True)] == ["driftstart", "start"]
    assert catalog.checklist("driftstart").version == 2
    assert len(catalog.checklist("driftstart", 1).items) == 1


def test_catalog_repr_is_short(catalog: Catalog) -> None:
    assert repr(catalog) == (
        "Catalog(workflows=[leverans@1, leverans@2], "
        "checklists=[driftstart@1, driftstart@2, start@1])"
    )


def test_unknown_ids_and_versions_are_not_found(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="Fasmodellen 'okand' finns inte"):
        catalog.workflow("okand")
    with pytest.raises(NotFound, match="Fasmodellen 'leverans' version 9 finns inte"):
        catalog.workflow("leverans", 9)
    with pytest.raises(NotFound, match="Checklistan 'okand' finns inte"):
        catalog.checklist("okand")


def test_workflow_is_built_in_full(catalog: Catalog) -> None:
    workflow = catalog.workflow("leverans", 1)
    assert workflow.initial == "forstudie"
    assert [p.id for p in workflow.phases] == ["forstudie", "genomforande", "avslutad"]
    assert workflow.phase("avslutad").final
    assert workflow.reachable_phases() == {"forstudie", "genomforande", "avslutad"}
    styrgrupp = next(role for role in workflow.roles if role.id == "styrgrupp")
    assert styrgrupp.max_members == 5
    gate = workflow.gate("forstudie-klar")
    assert (gate.source, gate.dest) == ("forstudie", "genomforande")
    assert [criterion.kind for criterion in gate.criteria] == [
        "mandatory_items_done",
        "completion_share",
        "max_open_risk_score",
        "decisions_taken",
    ]
    assert gate.approval == ApprovalPolicy(
        deciders="styrgrupp",
        quorum=3,
        required_roles=("bestallare",),
        requester_may_approve=False,
        vote_valid_days=14,
        substitutes=True,
    )
    assert workflow.gate("go-live").approval == ApprovalPolicy(deciders="styrgrupp")
    assert [c.id for c in catalog.checklists_of(workflow.gate("go-live"))] == [
        "start",
        "driftstart",
    ]


def test_checklist_is_built_in_full(catalog: Catalog) -> None:
    start = catalog.checklist("start")
    direktiv, risk = start.items
    assert direktiv.mandatory and direktiv.evidence_required
    assert direktiv.due == RelativeDeadline(-30)
    assert direktiv.guidance is not None
    assert not risk.mandatory and not risk.evidence_required
    assert risk.due == RelativeDeadline(-14)
    assert catalog.checklist("driftstart").item("utrustning").due == RelativeDeadline(-364)
    assert catalog.checklist("driftstart").item("support").due == RelativeDeadline(0)


def test_definitions_keep_the_plain_document_and_its_hash(catalog: Catalog) -> None:
    definition = catalog.workflow_definition("leverans", 1)
    path = VALID / "workflows" / "leverans.yaml"
    assert definition.path == str(path)
    assert definition.document == read_source(path).data
    assert definition.content_hash == content_hash(definition.document)
    assert definition.workflow.content_hash == definition.content_hash
    # every call hands out a fresh copy: a caller cannot alter the catalog
    definition.document["name"] = "ändrad"
    assert definition.document["name"] == "Leveransprojekt"
    checklist = catalog.checklist_definition("start")
    assert checklist.checklist.content_hash == content_hash(checklist.document)


def test_load_catalog_lists_every_problem_of_every_file(tmp_path: Path) -> None:
    workflows, checklists = tmp_path / "workflows", tmp_path / "checklists"
    shutil.copytree(VALID / "workflows", workflows)
    shutil.copytree(VALID / "checklists", checklists)
    for name in ("many-rule-problems.yaml", "unknown-phase.yaml"):
        shutil.copy(INVALID / name, workflows / name)
    shutil.copy(INVALID / "bad-due.yaml", checklists / "bad-due.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_catalog([workflows], [checklists])
    problems = caught.value.problems
    assert len(problems) == 7
    assert {Path(p.path).name for p in problems} == {
        "many-rule-problems.yaml",
        "unknown-phase.yaml",
        "bad-due.yaml",
    }
    assert "7 problems in definitions" in str(caught.value)


def test_load_catalog_wants_each_kind_in_its_folder(tmp_path: Path) -> None:
    shutil.copy(VALID / "checklists" / "start.yaml", tmp_path / "start.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_catalog([tmp_path], [VALID / "checklists"])
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 7)
    assert "this is a checklist, but it lies among the workflows" in problem.message


def test_load_catalog_reports_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_catalog([tmp_path / "nope"], [tmp_path / "nada"])
    assert [(p.path, p.line, p.message) for p in caught.value.problems] == [
        (str(tmp_path / "nada"), 0, "the checklists folder does not exist"),
        (str(tmp_path / "nope"), 0, "the workflows folder does not exist"),
    ]


def test_empty_folders_give_an_empty_catalog(tmp_path: Path) -> None:
    catalog = load_catalog([tmp_path], [tmp_path])
    assert catalog.workflows() == () and catalog.checklists() == ()


def test_load_catalog_finds_nested_yml_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    shutil.copy(VALID / "checklists" / "start.yaml", tmp_path / "sub" / "start.yml")
    (tmp_path / ".hidden" / "broken.yaml").write_text("kind: [", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("kind: [", encoding="utf-8")
    catalog = load_catalog([], [tmp_path])
    assert [c.id for c in catalog.checklists()] == ["start"]


def test_the_same_content_twice_is_loaded_once(tmp_path: Path) -> None:
    shutil.copy(VALID / "checklists" / "start.yaml", tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text(
        "# the same definition, other comments and layout\n"
        + (VALID / "checklists" / "start.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert len(load_catalog([], [tmp_path]).checklists()) == 1


def test_validate_paths_accepts_files_and_folders() -> None:
    assert validate_paths([VALID], use_shipped=False) == []
    assert validate_paths([VALID / "workflows", VALID / "checklists"], use_shipped=False) == []
    files = sorted(VALID.rglob("*.yaml"))
    assert validate_paths(files, use_shipped=False) == []


def test_validate_paths_reports_missing_and_empty_paths(tmp_path: Path) -> None:
    problems = validate_paths([tmp_path / "nope.yaml", tmp_path], use_shipped=False)
    assert [(p.path, p.line, p.column, p.message) for p in problems] == [
        (str(tmp_path), 0, 0, "no .yaml or .yml files here"),
        (str(tmp_path / "nope.yaml"), 0, 0, "no such file or folder"),
    ]


def test_validate_paths_on_workflows_alone_cannot_find_their_checklists() -> None:
    problems = validate_paths([VALID / "workflows"], use_shipped=False)
    assert [(Path(p.path).name, p.line, p.column, p.message.split(";")[0]) for p in problems] == [
        ("leverans-2.yaml", 25, 18, "gates[0].checklists[0]: 'start' is not a loaded checklist"),
        ("leverans.yaml", 30, 18, "gates[0].checklists[0]: 'start' is not a loaded checklist"),
        ("leverans.yaml", 50, 18, "gates[1].checklists[0]: 'start' is not a loaded checklist"),
        ("leverans.yaml", 50, 25, "gates[1].checklists[1]: 'driftstart' is not a loaded checklist"),
    ]
    assert problems[0].message.endswith("; no checklists are loaded")


def test_validate_paths_looks_up_missing_references_among_the_shipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(catalog_module, "shipped_workflows_dir", lambda: tmp_path / "none")
    monkeypatch.setattr(catalog_module, "shipped_checklists_dir", lambda: VALID / "checklists")
    assert validate_paths([VALID / "workflows"]) == []
    # a checklist given alone is checked against the roles of the shipped workflows using it
    monkeypatch.setattr(catalog_module, "shipped_workflows_dir", lambda: VALID / "workflows")
    (problem,) = validate_paths([INVALID / "responsible-not-a-role.yaml"])
    assert "'it-chef' is not a role of workflow 'leverans' v1" in problem.message
    # problems of the shipped files themselves are not reported
    monkeypatch.setattr(catalog_module, "shipped_checklists_dir", lambda: INVALID)
    assert validate_paths([VALID / "checklists"]) == []


def test_given_definitions_shadow_shipped_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(catalog_module, "shipped_workflows_dir", lambda: VALID / "workflows")
    monkeypatch.setattr(catalog_module, "shipped_checklists_dir", lambda: VALID / "checklists")
    # same id and version as a shipped workflow, other content: not a clash with the shipped one
    assert validate_paths([INVALID / "same-version-other-content.yaml"]) == []


def test_shipped_dirs_prefer_the_packaged_content(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "site-packages" / "gatekeeper"
    monkeypatch.setattr(shipped_module, "_package_dir", lambda: package)
    assert shipped_module.shipped_workflows_dir() == tmp_path / "site-packages" / "workflows"
    (package / "_content" / "workflows").mkdir(parents=True)
    (package / "_content" / "checklists").mkdir(parents=True)
    assert shipped_module.shipped_workflows_dir() == package / "_content" / "workflows"
    assert shipped_module.shipped_checklists_dir() == package / "_content" / "checklists"


def test_shipped_dirs_in_a_source_checkout() -> None:
    assert shipped_workflows_dir() == REPO / "workflows"
    assert shipped_checklists_dir() == REPO / "checklists"


@pytest.mark.skipif(
    not list(shipped_workflows_dir().glob("*.yaml")), reason="no shipped workflows yet"
)
def test_shipped_content_validates_without_problems() -> None:
    problems = validate_paths([shipped_workflows_dir(), shipped_checklists_dir()])
    assert [str(problem) for problem in problems] == []
    catalog = load_catalog([shipped_workflows_dir()], [shipped_checklists_dir()])
    for workflow in catalog.workflows():
        for gate in workflow.gates:
            assert len(catalog.checklists_of(gate)) == len(gate.checklists)
