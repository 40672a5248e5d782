"""When a gate decision takes effect, and who may add to it afterwards.

A review says from when a go takes effect (`EffectiveFrom`): the gate's target
date (the default) or immediately (chosen explicitly, with a motivation). A go
decided before that day is recorded at once but moves the phase only on the
day (`effective_on`); a go whose day is today or past, a go without a target
date, and every other outcome take effect when decided. Once decided, a
member who voted on the other side may enter a reservation (`may_reserve`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from gatekeeper.core.outcome import APPROVALS, Outcome
from gatekeeper.errors import ValidationFailed


class EffectiveFrom(StrEnum):
    """From when a go of a review takes effect."""

    TARGET_DATE = "target_date"
    IMMEDIATELY = "immediately"


def effective_on(
    outcome: Outcome, effective_from: EffectiveFrom, target_date: date | None
) -> date | None:
    """The day a decision takes effect; None when it takes effect when decided."""
    if outcome not in APPROVALS or effective_from is EffectiveFrom.IMMEDIATELY:
        return None
    return target_date


def deferred(effective: date | None, today: date) -> bool:
    """Whether a decision taking effect on `effective` must wait for its day."""
    return effective is not None and effective > today


def _side(outcome: Outcome) -> str:
    return "approve" if outcome in APPROVALS else outcome.value


def may_reserve(vote: Outcome, decided: Outcome) -> bool:
    """A member may reserve against a decision they voted against: a vote on another
    side than the decision (go and go med villkor are one side)."""
    return _side(vote) != _side(decided)


def check_decided_on(decided_on: date | None, *, opened_on: date, today: date) -> date:
    """The beslutsdatum of a vote: the meeting's date, by default the recording day;
    never in the future, never before the review was opened."""
    if decided_on is None:
        return today
    if decided_on > today:
        raise ValidationFailed(
            f"Beslutsdatumet {decided_on.isoformat()} ligger i framtiden.", field="decided_on"
        )
    if decided_on < opened_on:
        raise ValidationFailed(
            f"Beslutsdatumet {decided_on.isoformat()} ligger före granskningen begärdes "
            f"({opened_on.isoformat()}).",
            field="decided_on",
        )
    return decided_on
