"""`unit_checklists` on a gate: converted onto the core gate, and checked at file:line."""

from __future__ import annotations

from gatekeeper.definitions import Catalog
from gatekeeper.definitions.loader import load_text
from gatekeeper.definitions.validation import check_results

WORKFLOW = """\
kind: workflow
id: utrullning
version: 1
name: Utrullning
roles:
  - id: projektledare
    name: Projektledare
initial: plan
phases:
  - id: plan
    name: Plan
  - id: drift
    name: Drift
    final: true
gates:
  - id: go-live
    name: Go-live
    from: plan
    to: drift
    unit_checklists: [cutover, cutovr, cutover]
"""

CHECKLIST = """\
kind: checklist
id: cutover
version: 1
name: Cut-over
items:
  - id: utbildning
    text: Utbildning genomförd
    category: Utbildning
    responsible: enhetschef
"""


def test_the_shipped_go_live_gate_has_a_unit_checklist(catalog: Catalog) -> None:
    gate = catalog.workflow("inforande").gate("go-live")
    assert gate.unit_checklists == ("cutover",)
    assert "cutover" in gate.checklists  # the project-level copy stays


def test_unknown_doubled_and_role_problems_are_reported_at_their_line() -> None:
    results = [
        load_text(WORKFLOW, path="workflows/utrullning.yaml"),
        load_text(CHECKLIST, path="checklists/cutover.yaml"),
    ]

    problems = [str(p) for p in check_results(results)]

    assert any(
        p.startswith("workflows/utrullning.yaml:20:")
        and "'cutovr' is not a loaded checklist" in p
        and "did you mean 'cutover'" in p
        for p in problems
    ), problems
    assert any("workflows/utrullning.yaml:20:" in p and "named twice" in p for p in problems)
    assert any(
        p.startswith("checklists/cutover.yaml:9:") and "'enhetschef' is not a role" in p
        for p in problems
    ), problems
