"""Where a value stands in a definition file: location paths and their positions.

A location path is a tuple of mapping keys and list indices, the same shape as
pydantic's error `loc` (`("gates", 2, "to")`); its readable form is
`gates[2].to`. A `Locator` maps such paths to 1-based line and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Loc = tuple[str | int, ...]
Position = tuple[int, int]

_WORD = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Locator:
    """Maps location paths to 1-based (line, column) in one file.

    `values` holds where each value starts (for a nested mapping or list: where
    its key stands); `keys` where each mapping key stands. A path that was never
    seen (a missing key, say) falls back to its nearest known parent.
    """

    values: Mapping[Loc, Position] = field(default_factory=dict)
    keys: Mapping[Loc, Position] = field(default_factory=dict)
    default: Position = (1, 1)

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> Position:
        """Line and column of `loc`; of its key when `key` is true and known."""
        path = tuple(loc)
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return self.default


NO_POSITION = Locator(default=(0, 0))
"""For data without a file (snapshots from the database): every problem at 0:0."""


def format_loc(loc: Sequence[str | int]) -> str:
    """`("gates", 2, "to")` → `gates[2].to` (list positions count from 0)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _WORD.match(part):
            text += f"[{part!r}]"  # a key with spaces, dots or control characters
        else:
            text += f".{part}" if text else part
    return text


def with_loc(loc: Sequence[str | int], message: str) -> str:
    """Prefix `message` with the readable form of `loc` when there is one."""
    where = format_loc(loc)
    return f"{where}: {message}" if where else message


__all__ = ["NO_POSITION", "Loc", "Locator", "Position", "format_loc", "with_loc"]
