"""The outcomes of a gate decision: what a decider votes for and what is decided.

`go`, `conditional_go`, `no_go`, `hold`, `recycle`, `kill`: the YAML/API words.
How votes are counted into one of them is `gatekeeper.core.tally`; what each
does to a project's phase and status is `gatekeeper.core.engine`.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """What a decider votes for, and what a gate decision is."""

    GO = "go"
    CONDITIONAL_GO = "conditional_go"
    NO_GO = "no_go"
    HOLD = "hold"
    RECYCLE = "recycle"
    KILL = "kill"


APPROVALS = frozenset({Outcome.GO, Outcome.CONDITIONAL_GO})

OUTCOME_SV: dict[Outcome, str] = {
    Outcome.GO: "Go",
    Outcome.CONDITIONAL_GO: "Go med villkor",
    Outcome.NO_GO: "No-go",
    Outcome.HOLD: "Paus",
    Outcome.RECYCLE: "Åter till tidigare fas",
    Outcome.KILL: "Avbryt projektet",
}
