"""Swedish alphabetical order for names of projects, units and people."""

from __future__ import annotations

# Swedish alphabetical order: å, ä, ö after z (code points put ä before å).
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def swedish_sort_key(text: str) -> str:
    """`text` as a key that sorts in Swedish alphabetical order."""
    return text.casefold().translate(_SWEDISH)
