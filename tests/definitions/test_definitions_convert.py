"""Core objects from plain data (files and database snapshots) and the content hash."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.definitions import (
    content_hash,
    load_catalog,
    parse_source,
    to_checklist,
    to_workflow,
)
from gatekeeper.definitions.convert import canonical_json
from gatekeeper.errors import DefinitionError

VALID = Path(__file__).resolve().parents[1] / "data" / "valid"
LEVERANS = VALID / "workflows" / "leverans.yaml"


def plain(path: Path) -> dict[str, Any]:
    return parse_source(path.read_bytes(), path=str(path)).data


def test_canonical_json_is_sorted_compact_and_keeps_unicode() -> None:
    data = {"b": [1, 2.5, None, True], "a": "Förstudie"}
    assert canonical_json(data) == '{"a":"Förstudie","b":[1,2.5,null,true]}'
    expected = hashlib.sha256('{"a":"Förstudie","b":[1,2.5,null,true]}'.encode()).hexdigest()
    assert content_hash(data) == expected


def test_content_hash_ignores_key_order_comments_and_layout() -> None:
    one = parse_source("a: 1\nb: [x, y]  # note\n", path="t").data
    two = parse_source("# header\nb:\n  - x\n  - y\na: 1\n", path="t").data
    assert content_hash(one) == content_hash(two)
    assert content_hash(one) != content_hash({**one, "a": 2})
    assert len(content_hash(one)) == 64


def test_content_hash_is_stable_across_runs() -> None:
    # the hash is stored with every project; it must never change for the same data
    assert content_hash({"kind": "checklist", "id": "x", "version": 1}) == (
        hashlib.sha256(b'{"id":"x","kind":"checklist","version":1}').hexdigest()
    )


def test_to_workflow_round_trips_a_stored_snapshot() -> None:
    catalog = load_catalog([VALID / "workflows"], [VALID / "checklists"])
    for definition in (
        catalog.workflow_definition("leverans", 1),
        catalog.workflow_definition("leverans", 2),
    ):
        stored = json.loads(json.dumps(definition.document))  # as a JSON column returns it
        rebuilt = to_workflow(stored, content_hash=definition.content_hash)
        assert rebuilt == definition.workflow
        assert rebuilt.content_hash == content_hash(stored)


def test_to_checklist_round_trips_a_stored_snapshot() -> None:
    catalog = load_catalog([VALID / "workflows"], [VALID / "checklists"])
    for template in catalog.checklists():
        definition = catalog.checklist_definition(template.id, template.version)
        stored = json.loads(json.dumps(definition.document))
        assert to_checklist(stored, content_hash=definition.content_hash) == template


def test_to_workflow_on_plain_data_without_a_file() -> None:
    data = plain(LEVERANS)
    workflow = to_workflow(data, content_hash="abc")
    assert (workflow.id, workflow.version, workflow.content_hash) == ("leverans", 1, "abc")


def test_to_workflow_refuses_malformed_data_with_sentences() -> None:
    data = copy.deepcopy(plain(LEVERANS))
    data["gates"][0]["approval"]["quorum"] = "two"
    del data["phases"][1]["name"]
    with pytest.raises(DefinitionError) as caught:
        to_workflow(data, content_hash="x")
    assert [(p.path, p.line, p.column, p.message) for p in caught.value.problems] == [
        ("<stored workflow leverans v1>", 0, 0, "phases[1]: missing required key 'name'"),
        (
            "<stored workflow leverans v1>",
            0,
            0,
            "gates[0].approval.quorum: 'two' is not a quorum; "
            "write all, majority, any or a whole number such as 3",
        ),
    ]


@pytest.mark.parametrize("data", [{}, {"kind": "checklist"}, [], "text", None])
def test_to_workflow_refuses_what_is_no_workflow(data: Any) -> None:
    with pytest.raises(DefinitionError):
        to_workflow(data, content_hash="x")


def test_to_checklist_refuses_a_workflow() -> None:
    with pytest.raises(DefinitionError) as caught:
        to_checklist(plain(LEVERANS), content_hash="x")
    messages = [p.message for p in caught.value.problems]
    assert "kind: 'workflow' is not allowed here; write 'checklist'" in messages
    assert "missing required key 'items'" in messages
