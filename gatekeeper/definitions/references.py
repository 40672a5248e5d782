"""How the rules of definitions word a wrong reference or an id used twice.

Shared by `gatekeeper.definitions.validation`, `reminder_rules` and `salvage`,
so that "'x' is not a phase of this workflow (did you mean 'y'?)" reads the
same whichever rule found it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from gatekeeper.definitions.locator import Loc, format_loc
from gatekeeper.definitions.source import Source
from gatekeeper.errors import DefinitionProblem


def not_one_of(
    source: Source, loc: Loc, value: str, what: str, known: Sequence[str]
) -> DefinitionProblem:
    """`value` at `loc` names no `what` among `known`; with a likely spelling if one is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if close:
        hint = f" (did you mean '{close[0]}'?)"
    elif known:
        hint = f"; known {what}s: {', '.join(known)}"
    else:
        hint = f"; no {what}s are loaded" if what == "checklist" else ""
    owner = f"a loaded {what}" if what == "checklist" else f"a {what} of this workflow"
    return source.problem(loc, f"'{value}' is not {owner}{hint}")


def duplicate_ids(
    source: Source, field: str, what: str, ids: Sequence[str | None]
) -> list[DefinitionProblem]:
    """Each id of `field` used by an earlier entry (None: an entry without a readable id)."""
    problems = []
    seen: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident is None:
            continue
        if ident in seen:
            line, _ = source.locator.position((field, seen[ident], "id"))
            where = f"{format_loc((field, seen[ident]))} (line {line})"
            problems.append(
                source.problem(
                    (field, index, "id"), f"{what} id '{ident}' is already used by {where}"
                )
            )
        else:
            seen[ident] = index
    return problems


def named_twice(
    source: Source, loc: Loc, what: str, names: Sequence[str]
) -> list[DefinitionProblem]:
    """Each name of the list at `loc` that an earlier position named already."""
    seen: set[str] = set()
    problems = []
    for position, name in enumerate(names):
        if name in seen:
            problems.append(source.problem((*loc, position), f"{what} '{name}' is named twice"))
        seen.add(name)
    return problems


__all__ = ["duplicate_ids", "named_twice", "not_one_of"]
