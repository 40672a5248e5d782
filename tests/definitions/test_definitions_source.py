"""Reading YAML into plain data with positions, and refusing what a definition is not."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gatekeeper.definitions import parse_source, read_source
from gatekeeper.definitions.locator import Locator, format_loc
from gatekeeper.definitions.source import MAX_BYTES
from gatekeeper.errors import DefinitionError, DefinitionProblem

TEXT = """\
# a comment line
kind: workflow
id: demo
roles:
  - id: styrgrupp
    name: Styrgrupp
phases: [forstudie, {id: beslut, name: Beslut}]
gates:
  - id: g
    to: beslut
    approval:
      quorum: 3
"""


def problems_of(text: str | bytes) -> list[DefinitionProblem]:
    with pytest.raises(DefinitionError) as caught:
        parse_source(text, path="test.yaml")
    return list(caught.value.problems)


def test_parse_gives_plain_data() -> None:
    source = parse_source(TEXT, path="test.yaml")
    assert source.data == {
        "kind": "workflow",
        "id": "demo",
        "roles": [{"id": "styrgrupp", "name": "Styrgrupp"}],
        "phases": ["forstudie", {"id": "beslut", "name": "Beslut"}],
        "gates": [{"id": "g", "to": "beslut", "approval": {"quorum": 3}}],
    }
    assert type(source.data) is dict
    assert type(source.data["roles"]) is list
    assert type(source.data["roles"][0]["id"]) is str
    assert type(source.data["gates"][0]["approval"]["quorum"]) is int


def test_locator_positions_are_one_based() -> None:
    locator = parse_source(TEXT, path="test.yaml").locator
    assert locator.position(("kind",)) == (2, 7)
    assert locator.position(("roles", 0)) == (5, 5)
    assert locator.position(("roles", 0, "name")) == (6, 11)
    assert locator.position(("roles", 0, "name"), key=True) == (6, 5)
    assert locator.position(("phases", 1)) == (7, 21)
    assert locator.position(("phases", 1, "name")) == (7, 40)
    assert locator.position(("gates", 0, "to")) == (10, 9)
    assert locator.position(("gates", 0, "approval", "quorum")) == (12, 15)
    # a nested mapping stands where its key does
    assert locator.position(("gates", 0, "approval")) == (11, 5)


def test_locator_falls_back_to_the_nearest_known_parent() -> None:
    locator = parse_source(TEXT, path="test.yaml").locator
    assert locator.position(("gates", 0, "approval", "deciders")) == (11, 5)
    assert locator.position(("gates", 0, "from")) == (9, 5)
    assert locator.position(("nothing", 3, "here")) == (2, 1)
    assert Locator().position(("a",)) == (1, 1)


def test_format_loc() -> None:
    assert format_loc(("gates", 2, "to")) == "gates[2].to"
    assert format_loc(("items", 0)) == "items[0]"
    assert format_loc(()) == ""


def test_timestamps_stay_the_text_written() -> None:
    source = parse_source("name: 2024-01-31\nwhen: 2001-12-14t21:59:43.10-05:00\n", path="t")
    assert source.data == {"name": "2024-01-31", "when": "2001-12-14t21:59:43.10-05:00"}


def test_merge_keys_are_resolved_and_located_at_their_mapping() -> None:
    source = parse_source("base: &b {x: 1}\nm:\n  <<: *b\n  z: 2\n", path="t")
    assert source.data["m"] == {"x": 1, "z": 2}
    assert source.locator.position(("m", "x")) == (2, 1)


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_source("\ufeffkind: checklist\n".encode(), path="t").data == {"kind": "checklist"}


@pytest.mark.parametrize(
    ("text", "line", "column", "phrase"),
    [
        ("a: [1,\n", 2, 1, "not valid YAML"),
        ("a: 1\n a: 2\n", 2, 3, "not valid YAML: mapping values are not allowed here"),
        ("\ta: 1\n", 1, 1, "not valid YAML"),
        ("a: 1\nb: 2\na: 3\n", 3, 1, "key 'a' appears twice"),
        ("a: 1\n---\nb: 2\n", 2, 1, "not valid YAML"),
        ("a: *nowhere\n", 1, 4, "not valid YAML: found undefined alias"),
        ("a: b\x07\n", 1, 5, "the character '\\x07' is not allowed in YAML"),
        ("", 1, 1, "the file is empty"),
        ("# only a comment\n", 1, 1, "the file is empty"),
        ("- a\n- b\n", 1, 1, "not a list"),
        ("just text\n", 1, 1, "not 'just text'"),
        ("a:\n  1: x\n", 2, 3, "a: keys must be words, not 1"),
        ("a:\n  ? [x, y]\n  : 1\n", 2, 5, "a: keys must be words, not a list"),
        ("a: !!binary aGVsbG8=\n", 1, 4, "a: binary values (!!binary) are not allowed"),
        ("a: !!set {x}\n", 1, 4, "a: sets (!!set) are not allowed"),
        ("a: !!python/object:os.system x\n", 1, 4, "tag"),
        ("a: !custom {b: 1}\n", 1, 1, "a: the tag '!custom' is not allowed"),
    ],
)
def test_bad_yaml_becomes_a_located_problem(text: str, line: int, column: int, phrase: str) -> None:
    (problem,) = problems_of(text)
    assert problem.path == "test.yaml"
    assert phrase in problem.message
    assert (problem.line, problem.column) == (line, column), problem.message


def test_every_tag_in_a_file_is_reported() -> None:
    problems = problems_of("a: !x 1\nb: !y 2\nc: [!z 3]\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "a: the tag '!x' is not allowed in a definition"),
        (2, "b: the tag '!y' is not allowed in a definition"),
        (3, "c[0]: the tag '!z' is not allowed in a definition"),
    ]


def test_binary_and_non_utf8_bytes_are_problems() -> None:
    (binary,) = problems_of(b"kind: workflow\nid: \x00\x01\x02")
    assert (binary.line, binary.column) == (2, 5)
    assert "binary file" in binary.message
    (latin1,) = problems_of("kind: workflow\nname: Förstudie\n".encode("latin-1"))
    assert (latin1.line, latin1.column) == (2, 8)
    assert "not UTF-8" in latin1.message


def test_deep_flow_nesting_is_refused_quickly() -> None:
    started = time.monotonic()
    (problem,) = problems_of("a: " + "[" * 20_000 + "]" * 20_000)
    assert time.monotonic() - started < 2
    assert (problem.line, problem.column) == (1, 68)
    assert "nested deeper than 64 levels" in problem.message


def test_deep_block_nesting_is_refused() -> None:
    text = "a:\n" + "".join("  " * depth + "- \n" for depth in range(1, 400))
    (problem,) = problems_of(text)
    assert "nested deeper than 64 levels" in problem.message


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    started = time.monotonic()
    (problem,) = problems_of("\n".join(lines))
    assert time.monotonic() - started < 5
    assert "expands to more than 100000 values" in problem.message


def test_a_recursive_alias_gives_no_traceback() -> None:
    try:
        source = parse_source("a: &x {b: *x}\nc: &y [1, *y]\n", path="t")
    except DefinitionError:
        return
    assert set(source.data) == {"a", "c"}


def test_harmless_aliases_are_fine() -> None:
    source = parse_source("shared: &s [a, b]\nx: *s\ny: *s\n", path="t")
    assert source.data == {"shared": ["a", "b"], "x": ["a", "b"], "y": ["a", "b"]}


def test_too_large_text_is_refused() -> None:
    (problem,) = problems_of("a: " + "x" * MAX_BYTES)
    assert (problem.line, problem.column) == (0, 0)
    assert "too large" in problem.message


def test_read_source_reads_files(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(TEXT, encoding="utf-8")
    source = read_source(path)
    assert source.path == str(path)
    assert source.data["id"] == "demo"
    assert read_source(path, name="shown.yaml").path == "shown.yaml"


def test_read_source_refuses_large_and_unreadable_files(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * MAX_BYTES)
    with pytest.raises(DefinitionError) as caught:
        read_source(big)
    assert "too large" in caught.value.problems[0].message
    with pytest.raises(DefinitionError) as caught:
        read_source(tmp_path / "missing.yaml")
    assert "cannot read the file" in caught.value.problems[0].message
    with pytest.raises(DefinitionError) as caught:
        read_source(tmp_path)
    assert caught.value.problems[0].path == str(tmp_path)


def test_source_problem_prefixes_the_location() -> None:
    source = parse_source(TEXT, path="test.yaml")
    problem = source.problem(("gates", 0, "to"), "'beslut' is wrong")
    assert str(problem) == "test.yaml:10:9: gates[0].to: 'beslut' is wrong"
