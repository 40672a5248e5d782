"""Reading a YAML definition file into plain data and a map of where each value stood.

ruamel.yaml's round-trip loader keeps the line and column of every mapping key,
mapping value and sequence item. `parse_source` walks what it built once,
turning it into plain Python data (dict, list, str, int, float, bool, None)
that pydantic, JSON and hashing understand, and records each value's position
in a `Locator` under a location path like pydantic's error `loc`
(`("gates", 2, "to")`). Everything that can go wrong with the bytes of a file
(too large, not UTF-8, YAML syntax, duplicate keys, tags, alias bombs, absurd
nesting) ends up as a `DefinitionProblem`, raised together in a
`DefinitionError`; no input makes this module raise anything else.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarbool import ScalarBoolean

from gatekeeper.definitions.locator import Loc, Locator, Position, with_loc
from gatekeeper.definitions.messages import describe
from gatekeeper.errors import DefinitionError, DefinitionProblem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000

# Explicit standard tags (`!!str`, `!!map`, ...) are harmless; anything else is not.
_STANDARD_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(
    _STANDARD_TAG + name for name in ("map", "seq", "str", "int", "float", "bool", "null")
)


@dataclass(frozen=True)
class Source:
    """One parsed definition file: its name, plain top-level mapping and locator."""

    path: str
    data: dict[str, Any]
    locator: Locator

    def problem(
        self, loc: Sequence[str | int], message: str, *, key: bool = False
    ) -> DefinitionProblem:
        """A problem at `loc`, its message prefixed with the readable path."""
        line, column = self.locator.position(loc, key=key)
        return DefinitionProblem(self.path, line, column, with_loc(loc, message))


def read_source(path: Path, *, name: str | None = None) -> Source:
    """Read and parse the file at `path`; raise `DefinitionError` on any problem.

    `name` is how problems refer to the file (default: `str(path)`).
    """
    shown = name if name is not None else str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _whole_file(shown, _too_large(size))
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise _whole_file(shown, f"cannot read the file: {reason}") from None
    return parse_source(raw, path=shown)


def parse_source(text: str | bytes, *, path: str) -> Source:
    """Parse YAML text (or UTF-8 bytes) into a `Source`; raise `DefinitionError`."""
    if isinstance(text, bytes):
        text = _decode(text, path)
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise _whole_file(path, _too_large(size))
    _check_flow_depth(text, path)
    loaded = _load_yaml(text, path)
    if loaded is None:
        raise DefinitionError(
            [
                DefinitionProblem(
                    path,
                    1,
                    1,
                    "the file is empty; a definition is a mapping that starts with "
                    "kind: workflow or kind: checklist",
                )
            ]
        )
    if not isinstance(loaded, CommentedMap):
        raise DefinitionError(
            [
                DefinitionProblem(
                    path,
                    1,
                    1,
                    f"the top level must be a mapping of keys such as kind, id and name, "
                    f"not {describe(loaded)}",
                )
            ]
        )
    builder = _Builder(path)
    root = _lc_root(loaded)
    builder.values[()] = root
    data = builder.plain(loaded, ())
    if builder.problems or not isinstance(data, dict):
        raise DefinitionError(builder.problems or [DefinitionProblem(path, *root, "not a mapping")])
    return Source(path, data, Locator(builder.values, builder.keys, root))


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that leaves timestamps as the text the author wrote."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


_Constructor.add_constructor(_STANDARD_TAG + "timestamp", _Constructor.construct_yaml_timestamp)


def _load_yaml(text: str, path: str) -> Any:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    try:
        with warnings.catch_warnings():
            # ruamel warns about reused anchors and YAML 1.1 oddities; both are legal input.
            warnings.simplefilter("ignore")
            return yaml.load(text)
    except MarkedYAMLError as error:
        raise DefinitionError([_syntax_problem(error, path)]) from None
    except ReaderError as error:
        line, column = _line_column(text, error.position)
        character = error.character
        shown = repr(chr(character)) if isinstance(character, int) else repr(character)
        message = f"the character {shown} is not allowed in YAML"
        raise DefinitionError([DefinitionProblem(path, line, column, message)]) from None
    except YAMLError as error:
        raise DefinitionError([DefinitionProblem(path, 1, 1, f"not valid YAML: {error}")]) from None
    except RecursionError:
        raise DefinitionError(
            [DefinitionProblem(path, 1, 1, f"nested deeper than {MAX_DEPTH} levels")]
        ) from None
    except Exception as error:
        # ruamel raises assorted non-YAMLError exceptions on some malformed input;
        # a definition file must never end in a traceback.
        raise DefinitionError(
            [DefinitionProblem(path, 1, 1, f"not valid YAML ({type(error).__name__})")]
        ) from None


def _syntax_problem(error: MarkedYAMLError, path: str) -> DefinitionProblem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = str(error.problem or error.context or "not valid YAML")
    if problem.startswith("found duplicate key"):
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        message = f"key {key!r} appears twice in the same mapping"
    else:
        context = f" ({error.context})" if error.context and error.problem else ""
        message = f"not valid YAML: {problem}{context}"
    return DefinitionProblem(path, line, column, " ".join(message.split()))


def _decode(raw: bytes, path: str) -> str:
    if b"\x00" in raw:
        line, column = _byte_line_column(raw, raw.index(b"\x00"))
        raise DefinitionError(
            [DefinitionProblem(path, line, column, "this is a binary file, not YAML text")]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _byte_line_column(raw, error.start)
        raise DefinitionError(
            [DefinitionProblem(path, line, column, "the file is not UTF-8 text")]
        ) from None


def _byte_line_column(raw: bytes, offset: int) -> Position:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _line_column(text: str, offset: int) -> Position:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _check_flow_depth(text: str, path: str) -> None:
    # ruamel's scanner is quadratic in the nesting of [ and {; refuse deep nesting
    # before handing it over. Brackets inside strings count too, which only matters
    # for text with dozens of unbalanced brackets.
    depth = 0
    for offset, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _line_column(text, offset)
                message = f"nested deeper than {MAX_DEPTH} levels"
                raise DefinitionError([DefinitionProblem(path, line, column, message)])
        elif char in "]}" and depth > 0:
            depth -= 1


def _whole_file(path: str, message: str) -> DefinitionError:
    return DefinitionError([DefinitionProblem(path, 0, 0, message)])


def _too_large(size: int) -> str:
    return f"the file is too large ({size} bytes; at most {MAX_BYTES} are read)"


def _explicit_tag(value: Any) -> str | None:
    tag = getattr(value, "tag", None)
    text = getattr(tag, "value", None)
    if isinstance(text, str) and text not in _PLAIN_TAGS:
        return text
    return None


class _Builder:
    """Turns ruamel's round-trip objects into plain data, noting positions and problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.values: dict[Loc, Position] = {}
        self.keys: dict[Loc, Position] = {}
        self.problems: list[DefinitionProblem] = []
        self._count = 0
        self._open: set[int] = set()
        self._exhausted = False

    def plain(self, value: Any, loc: Loc) -> Any:
        self._count += 1
        if self._count > MAX_VALUES:
            if not self._exhausted:
                self._exhausted = True
                # The full path through aliases is long and says little; its top key helps.
                self._add(
                    loc[:1],
                    f"the document expands to more than {MAX_VALUES} values "
                    "(through anchors and aliases?)",
                )
            return None
        if len(loc) > MAX_DEPTH:
            self._add(loc, f"nested deeper than {MAX_DEPTH} levels")
            return None
        tag = _explicit_tag(value)
        if tag is not None:
            shown = tag.replace(_STANDARD_TAG, "!!", 1)
            self._add(loc, f"the tag {shown!r} is not allowed in a definition")
            return None
        if isinstance(value, ScalarBoolean | bool):
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, str):
            return str(value)
        if value is None:
            return None
        if isinstance(value, dict | list):
            if id(value) in self._open:
                self._add(loc, "an alias refers to a mapping or list that contains it")
                return None
            self._open.add(id(value))
            try:
                if isinstance(value, dict):
                    return self._mapping(value, loc)
                return self._sequence(value, loc)
            finally:
                self._open.discard(id(value))
        if isinstance(value, TaggedScalar):
            self._add(loc, "tags are not allowed in a definition")
        elif isinstance(value, bytes):
            self._add(loc, "binary values (!!binary) are not allowed in a definition")
        elif isinstance(value, AbstractSet):
            self._add(loc, "sets (!!set) are not allowed in a definition; write a list")
        else:
            self._add(loc, f"a value of type {type(value).__name__} is not allowed here")
        return None

    def _mapping(self, mapping: dict[Any, Any], loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        lc = getattr(mapping, "lc", None)
        for key, value in mapping.items():
            key_position = _lc_position(lc, "key", key)
            if not isinstance(key, str):
                line, column = key_position or _nearest(self.values, loc)
                message = with_loc(loc, f"keys must be words, not {describe(key)}")
                self.problems.append(DefinitionProblem(self.path, line, column, message))
                continue
            child = (*loc, key)
            if key_position is not None:
                self.keys[child] = key_position
            if isinstance(value, dict | list) or value is None:
                # a nested block starts on the next line and an empty value has no
                # place of its own; the key is where the author looks
                self.values[child] = key_position or self.values.get(loc, (1, 1))
            else:
                value_position = _lc_position(lc, "value", key)
                if value_position is not None:
                    self.values[child] = value_position
            result[str(key)] = self.plain(value, child)
        return result

    def _sequence(self, sequence: list[Any], loc: Loc) -> list[Any]:
        lc = getattr(sequence, "lc", None)
        result: list[Any] = []
        for index, item in enumerate(sequence):
            child = (*loc, index)
            position = _lc_position(lc, "item", index)
            if position is not None:
                self.values[child] = position
            result.append(self.plain(item, child))
        return result

    def _add(self, loc: Loc, message: str) -> None:
        line, column = self.values.get(loc) or _nearest(self.values, loc)
        self.problems.append(DefinitionProblem(self.path, line, column, with_loc(loc, message)))


def _nearest(values: Mapping[Loc, Position], loc: Loc) -> Position:
    for end in range(len(loc), -1, -1):
        found = values.get(loc[:end])
        if found is not None:
            return found
    return (1, 1)


def _lc_root(mapping: Any) -> Position:
    lc = getattr(mapping, "lc", None)
    line, column = getattr(lc, "line", None), getattr(lc, "col", None)
    if isinstance(line, int) and isinstance(column, int):
        return line + 1, column + 1
    return (1, 1)


def _lc_position(lc: Any, what: str, key: Any) -> Position | None:
    """1-based position from ruamel's line/column info, or None when it has none
    (keys pulled in by a `<<` merge, objects built without position info)."""
    if lc is None:
        return None
    try:
        line, column = getattr(lc, what)(key)
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    if not isinstance(line, int) or not isinstance(column, int):
        return None
    return line + 1, column + 1


__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "Source", "parse_source", "read_source"]
