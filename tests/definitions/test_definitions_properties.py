"""Property tests: whatever is fed to the loader, it answers with problems, never a traceback.

Arbitrary text and bytes, arbitrary YAML-ish structures (dumped to YAML, and
handed to `to_workflow` / `to_checklist` as plain data), and random mutations
of the valid fixtures (a key deleted, a value swapped for something of
another type) all end either in a document or in located `DefinitionProblem`s.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from gatekeeper.definitions import (
    content_hash,
    parse_source,
    to_checklist,
    to_workflow,
    validate_text,
)
from gatekeeper.definitions.convert import canonical_json
from gatekeeper.errors import DefinitionError, DefinitionProblem

VALID = Path(__file__).resolve().parents[1] / "data" / "valid"
FIXTURES = {
    path.name: parse_source(path.read_bytes(), path=path.name).data
    for path in sorted(VALID.rglob("*.yaml"))
}
FIXTURE_TEXTS = {path.name: path.read_text("utf-8") for path in sorted(VALID.rglob("*.yaml"))}

PROPERTY = settings(  # examples: the Hypothesis profile (tests/conftest.py)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = st.sampled_from(
    [
        "kind",
        "id",
        "version",
        "name",
        "items",
        "gates",
        "phases",
        "roles",
        "from",
        "to",
        "due",
        "quorum",
        "criteria",
        "workflow",
        "checklist",
        "completion_share",
        "-90d",
        "-90",
        "forstudie",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | WORDS
)
KEYS = st.text(max_size=12) | WORDS
YAMLISH = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)


def dump(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def assert_problems(problems: list[DefinitionProblem], path: str = "<text>") -> None:
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, DefinitionProblem)
        assert problem.path == path
        assert problem.line >= 0 and problem.column >= 0
        assert problem.message and "\n" not in problem.message.strip()


def locations(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside `data` (the root excluded)."""
    children: list[tuple[Any, Any]] = []
    if isinstance(data, dict):
        children = list(data.items())
    elif isinstance(data, list):
        children = list(enumerate(data))
    for key, value in children:
        yield (*prefix, key)
        yield from locations(value, (*prefix, key))


def mutate(data: dict[str, Any], where: tuple[Any, ...], how: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    parent: Any = changed
    for key in where[:-1]:
        parent = parent[key]
    last = where[-1]
    if how == "delete":
        del parent[last]
    elif how == "wrap":
        parent[last] = [parent[last]]
    elif how == "stringify":
        parent[last] = str(parent[last])
    else:
        parent[last] = value
    return changed


@PROPERTY
@given(st.text(max_size=300))
def test_arbitrary_text_gives_problems_not_tracebacks(text: str) -> None:
    assert_problems(validate_text(text))


@PROPERTY
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_problems_not_tracebacks(raw: bytes) -> None:
    assert_problems(validate_text(raw))


@PROPERTY
@given(
    st.sampled_from(sorted(FIXTURE_TEXTS)),
    st.integers(min_value=0, max_value=2000),
    st.text(max_size=8),
)
def test_text_spliced_into_a_valid_file_gives_problems(name: str, at: int, insert: str) -> None:
    original = FIXTURE_TEXTS[name]
    at = min(at, len(original))
    assert_problems(validate_text(original[:at] + insert + original[at:]))


@PROPERTY
@given(YAMLISH)
def test_arbitrary_structures_give_problems(data: Any) -> None:
    assert_problems(validate_text(dump(data)))


@PROPERTY
@given(st.sampled_from(["workflow", "checklist"]), st.dictionaries(KEYS, YAMLISH, max_size=8))
def test_arbitrary_documents_of_a_kind_give_problems(kind: str, data: dict[str, Any]) -> None:
    document = {**data, "kind": kind}
    problems = validate_text(dump(document))
    assert_problems(problems)
    assert problems, "a random document should not pass as valid"


@PROPERTY
@given(st.sampled_from(["workflow", "checklist"]), st.dictionaries(KEYS, YAMLISH, max_size=8))
def test_arbitrary_snapshots_raise_only_definition_errors(kind: str, data: dict[str, Any]) -> None:
    build = to_workflow if kind == "workflow" else to_checklist
    try:
        build({**data, "kind": kind}, content_hash="x")
    except DefinitionError as error:
        assert error.problems
        assert all(problem.line == 0 for problem in error.problems)


@PROPERTY
@given(st.data())
def test_mutated_valid_documents_give_problems_or_pass(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(FIXTURES)))
    document = FIXTURES[name]
    where = data.draw(st.sampled_from(list(locations(document))))
    how = data.draw(st.sampled_from(["delete", "replace", "wrap", "stringify"]))
    value = data.draw(YAMLISH) if how == "replace" else None
    changed = mutate(document, where, how, value)
    problems = validate_text(dump(changed))
    assert_problems(problems)
    if not problems:
        # what passes must also build from the plain data, as from a stored snapshot
        build = to_workflow if changed["kind"] == "workflow" else to_checklist
        built = build(changed, content_hash=content_hash(changed))
        assert built.content_hash == content_hash(changed)


@PROPERTY
@given(YAMLISH)
def test_content_hash_is_canonical(data: Any) -> None:
    reparsed = json.loads(canonical_json(data))
    assert content_hash(reparsed) == content_hash(data)


def test_the_fixtures_themselves_are_valid() -> None:
    for name, text in FIXTURE_TEXTS.items():
        assert validate_text(text, path=name) == [], name
