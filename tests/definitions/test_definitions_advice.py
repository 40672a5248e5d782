"""Warnings: a workflow without the roles the default escalation names (issue 16,
finding 13). It still loads and works, but the steps to the projektledare and
the styrgrupp would reach nobody; validation says so, with file and line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gatekeeper.cli import app
from gatekeeper.definitions import load_catalog, validate_paths

VALID = Path(__file__).resolve().parents[1] / "data" / "valid"

WITHOUT_DEFAULT_ROLES = """\
kind: workflow
id: utan-styrgrupp
version: 1
name: Utan styrgrupp
roles:
  - id: ledning
    name: Ledning
initial: start
phases:
  - id: start
    name: Start
  - id: klar
    name: Klar
    final: true
gates:
  - id: klart
    name: Klart
    from: start
    to: klar
    approval:
      deciders: ledning
"""


def _folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "utan-styrgrupp.yaml").write_text(text, encoding="utf-8")
    return folder


def test_validate_warns_of_default_escalation_roles_the_workflow_lacks(tmp_path: Path) -> None:
    folder = _folder(tmp_path, WITHOUT_DEFAULT_ROLES)

    found = validate_paths([folder], use_shipped=False, warnings=True)

    assert [(p.line, p.warning) for p in found] == [(5, True), (5, True)], found
    assert "role 'projektledare' of an item 3 days overdue" in found[0].message
    assert "role 'styrgrupp' of an item 7 days overdue" in found[1].message
    assert str(found[0]).startswith(f"{folder / 'utan-styrgrupp.yaml'}:5:1: warning: ")
    assert validate_paths([folder], use_shipped=False) == []


def test_the_loader_keeps_the_warnings_and_the_workflow_still_loads(tmp_path: Path) -> None:
    folder = _folder(tmp_path, WITHOUT_DEFAULT_ROLES)

    catalog = load_catalog([folder], [VALID / "checklists"])

    assert catalog.workflow("utan-styrgrupp").version == 1
    assert [w.message.split("'")[1] for w in catalog.warnings] == ["projektledare", "styrgrupp"]


def test_a_written_escalation_or_the_roles_themselves_silence_the_warning(tmp_path: Path) -> None:
    written = WITHOUT_DEFAULT_ROLES + (
        "reminders:\n  escalation:\n    - after_days: 0\n      notify: responsible\n"
    )
    folder = _folder(tmp_path, written)
    assert validate_paths([folder], use_shipped=False, warnings=True) == []
    assert load_catalog([VALID / "workflows"], [VALID / "checklists"]).warnings == ()


def test_the_cli_prints_warnings_and_still_exits_0(tmp_path: Path) -> None:
    folder = _folder(tmp_path, WITHOUT_DEFAULT_ROLES)

    result = CliRunner().invoke(app, ["validate", str(folder)])

    assert result.exit_code == 0, result.output
    *warnings, summary = result.output.splitlines()
    assert len(warnings) == 2
    assert all(": warning: roles: the default escalation" in line for line in warnings)
    assert summary == "All definitions are valid (2 warnings)."
