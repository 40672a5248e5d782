"""The document models: JSON Schema, and pydantic errors retold in plain English."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import gatekeeper.definitions
from gatekeeper.core.criteria import CRITERION_KINDS
from gatekeeper.definitions import json_schema, validate_text

PACKAGE = Path(gatekeeper.definitions.__file__).resolve().parent
FORBIDDEN = {"fastapi", "starlette", "sqlmodel", "sqlalchemy", "apscheduler", "uvicorn"}
ROOT = PACKAGE.parents[1]

CHECKLIST = """\
kind: checklist
id: prov
version: 1
name: Prov
items:
  - id: direktiv
    text: Projektdirektiv finns
    category: Styrning
    responsible: projektledare
"""

WORKFLOW = """\
kind: workflow
id: prov
version: 1
name: Prov
roles:
  - id: styrgrupp
    name: Styrgrupp
initial: a
phases:
  - id: a
    name: A
  - id: b
    name: B
gates:
  - id: g
    name: G
    from: a
    to: b
    criteria:
{criteria}
"""


def messages(text: str) -> list[str]:
    return [f"{p.line}:{p.column}: {p.message}" for p in validate_text(text, path="t.yaml")]


@pytest.mark.parametrize("kind", ["workflow", "checklist"])
def test_json_schema_is_a_json_schema(kind: str) -> None:
    schema = json_schema(kind)  # type: ignore[arg-type]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["kind"] == {"const": kind, "title": "Kind", "type": "string"}
    assert {"kind", "id", "version", "name"} <= set(schema["required"])
    assert "$defs" in schema
    json.dumps(schema)  # serializable as is


def test_workflow_schema_details() -> None:
    schema = json_schema("workflow")
    gate = schema["$defs"]["GateDocument"]
    assert {"from", "to"} <= set(gate["required"])
    assert "source" not in gate["properties"]
    mapping = gate["properties"]["criteria"]["items"]["discriminator"]["mapping"]
    assert set(mapping) == set(CRITERION_KINDS)
    quorum = schema["$defs"]["ApprovalDocument"]["properties"]["quorum"]
    assert {"enum": ["all", "majority", "any"]} in quorum["anyOf"]
    assert "max_members" in schema["$defs"]["RoleDocument"]["properties"]


def test_checklist_schema_details() -> None:
    item = json_schema("checklist")["$defs"]["ItemDocument"]
    assert item["additionalProperties"] is False
    assert {"id", "text", "category", "responsible"} <= set(item["required"])
    due = item["properties"]["due"]["anyOf"][0]
    assert due["type"] == "string" and due["pattern"].startswith("^")


def test_a_valid_document_alone_has_no_problems() -> None:
    assert validate_text(CHECKLIST) == []
    assert validate_text(WORKFLOW.format(criteria="      - kind: mandatory_items_done")) == []


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (
            "      - kind: completion_share\n        min_share: 0.8\n        max: 3",
            "22:9: gates[0].criteria[0]: unknown key 'max'; allowed keys: kind, min_share",
        ),
        (
            "      - kind: max_open_risk_score\n        max_scor: 8",
            "20:9: gates[0].criteria[0]: missing required key 'max_score'",
        ),
        (
            "      - kind: decisions_taken\n        decisions: []",
            "21:9: gates[0].criteria[0].decisions: must list at least 1 entry",
        ),
        (
            "      - min_share: 0.5",
            "20:9: gates[0].criteria[0]: missing required key 'kind'; known kinds: "
            + ", ".join(CRITERION_KINDS),
        ),
        (
            "      - kind: completion_share\n        min_share: lots",
            "21:20: gates[0].criteria[0].min_share: expected a number, not 'lots'",
        ),
        (
            "      - mandatory_items_done",
            "20:9: gates[0].criteria[0]: expected a mapping of keys and values",
        ),
    ],
)
def test_criterion_problems_read_well(criteria: str, expected: str) -> None:
    found = messages(WORKFLOW.format(criteria=criteria))
    assert any(message.startswith(expected) for message in found), found


def test_max_open_risk_score_suggests_the_key_meant() -> None:
    criteria = "      - kind: max_open_risk_score\n        max_scor: 8"
    found = messages(WORKFLOW.format(criteria=criteria))
    assert "21:9: gates[0].criteria[0]: unknown key 'max_scor' (did you mean 'max_score'?)" in (
        found
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("version: 1", "version: 0"), "3:10: version: must be at least 1, not 0"),
        (("version: 1", "version: true"), "3:10: version: expected a whole number, not true"),
        (("name: Prov", "name: ''"), "4:7: name: must not be empty"),
        (("name: Prov", "name:"), "4:1: name: expected text, not nothing (an empty value)"),
        (("name: Prov", "name: 12"), "4:7: name: expected text, not 12"),
        (("items:\n", "item: []\nitems:\n"), "5:1: unknown key 'item' (did you mean 'items'?)"),
        (
            ("    responsible: projektledare", "    responsible: projektledare\n    due: 3m"),
            "10:10: items[0].due: '3m' is not a relative deadline",
        ),
        (
            ("    responsible: projektledare", "    responsible: projektledare\n    due: [1]"),
            "10:5: items[0].due: expected text, not a list",
        ),
        (
            ("    responsible: projektledare", "    responsible: projektledare\n    mandatory: ja"),
            "10:16: items[0].mandatory: expected true or false, not 'ja'",
        ),
        (
            ("    text: Projektdirektiv finns", "    txt: Projektdirektiv finns"),
            "7:5: items[0]: unknown key 'txt' (did you mean 'text'?)",
        ),
    ],
)
def test_checklist_problems_read_well(change: tuple[str, str], expected: str) -> None:
    found = messages(CHECKLIST.replace(*change))
    assert expected in found or any(m.startswith(expected) for m in found), found


def test_an_empty_item_list_reads_well() -> None:
    text = CHECKLIST.split("items:")[0] + "items: []\n"
    assert messages(text) == ["5:1: items: must list at least 1 entry"]


@pytest.mark.parametrize(
    ("quorum", "column", "expected"),
    [
        ("true", 15, "true is not a quorum"),
        ("1.5", 15, "1.5 is not a quorum"),
        ("-2", 15, "a quorum of -2 is not possible; it must be at least 1"),
        ("[2]", 7, "a list is not a quorum"),
        ("hälften", 15, "'hälften' is not a quorum"),
    ],
)
def test_quorum_problems_read_well(quorum: str, column: int, expected: str) -> None:
    text = WORKFLOW.format(criteria="      - kind: mandatory_items_done") + (
        f"    approval:\n      deciders: styrgrupp\n      quorum: {quorum}\n"
    )
    found = messages(text)
    assert len(found) == 1
    assert found[0].startswith(f"23:{column}: gates[0].approval.quorum: {expected}")


def test_definitions_package_imports_no_web_orm_or_scheduler() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_definitions_modules_stay_small_and_documented() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, path.name
        assert ast.get_docstring(ast.parse(text)), path.name
        assert "from __future__ import annotations" in text, path.name


def test_format_doc_mentions_every_workflow_and_checklist_key() -> None:
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for kind in ("workflow", "checklist"):
        schema = json_schema(kind)  # type: ignore[arg-type]
        keys = set(schema["properties"])
        for definition in schema["$defs"].values():
            keys |= set(definition.get("properties", {}))
        for key in keys:
            assert f"{key}:" in doc or f"`{key}`" in doc, f"{key} is not documented"
