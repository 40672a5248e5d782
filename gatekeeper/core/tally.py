"""The tally: how an approval policy counts votes into one outcome.

The vote count of a gate review (not the gate decision it may lead to, which
is recorded in the register, nor a named decision such as finansiering).
Plain rules, no storage. A review has an electorate (the seats that may vote:
members holding the deciding role or a role that must be among the approvers,
less anyone who declared a conflict of interest (jäv) and, under separation
of duties, the one who asked for the review). Each seat's latest ballot counts
if it is still valid; it is not when it has expired or was cast on another
readiness snapshot than the one that stands now (an earlier ballot of the same
seat does not come back in its place).

The rule (documented in docs/formats.md, "How votes become a decision"):

1. `go` and `conditional_go` are approvals. When approvals reach the quorum
   and every required role (e.g. beställare) is among the approvers, the gate
   is decided: `conditional_go` if any counted approval was conditional, else `go`.
2. `kill`, `hold`, `no_go` and `recycle` (per target phase) are decided when
   that outcome alone reaches the quorum.
3. If several outcomes could be decided at once, the most cautious wins:
   kill, hold, recycle, no_go, then the approvals.
4. When no outcome can reach the quorum any more, even if every seat still
   silent voted for it, the votes are split and the gate is decided `no_go`:
   the project stays where it is and the reasons are the motivations given.
5. Otherwise the review waits for more votes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from gatekeeper.core.outcome import APPROVALS, OUTCOME_SV, Outcome
from gatekeeper.core.phase_model import ApprovalPolicy

CAUTION_ORDER = (Outcome.KILL, Outcome.HOLD, Outcome.RECYCLE, Outcome.NO_GO)


@dataclass(frozen=True)
class Seat:
    """One member who may vote in this review, with the roles they hold."""

    member: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Exclusion:
    """A member left out of the electorate, and why (recorded in the protocol)."""

    member: str
    reason_sv: str


@dataclass(frozen=True)
class Electorate:
    """Who may decide one review."""

    seats: tuple[Seat, ...]
    excluded: tuple[Exclusion, ...] = ()

    def seat(self, member: str) -> Seat | None:
        for seat in self.seats:
            if seat.member == member:
                return seat
        return None


def electorate(
    policy: ApprovalPolicy,
    members: Mapping[str, frozenset[str]],
    *,
    requester: str | None,
    conflicts: Mapping[str, str] | None = None,
) -> Electorate:
    """The seats of a review: members holding a deciding or required role,
    less declared conflicts of interest and (under separation of duties) the requester."""
    voting_roles = {policy.deciders, *policy.required_roles}
    conflicts = conflicts or {}
    seats: list[Seat] = []
    excluded: list[Exclusion] = []
    for member in sorted(members):
        roles = members[member] & voting_roles
        if not roles:
            continue
        if member in conflicts:
            excluded.append(Exclusion(member, f"Jäv anmält: {conflicts[member]}"))
        elif member == requester and not policy.requester_may_approve:
            excluded.append(
                Exclusion(member, "Begärde granskningen och får inte besluta (åtskild roll).")
            )
        else:
            seats.append(Seat(member, frozenset(roles)))
    return Electorate(tuple(seats), tuple(excluded))


def votes_needed(policy: ApprovalPolicy, seats: int) -> int:
    """How many concurring votes the quorum asks for, given the number of seats."""
    if policy.quorum == "all":
        return seats
    if policy.quorum == "majority":
        return seats // 2 + 1
    if policy.quorum == "any":
        return 1
    return int(policy.quorum)


@dataclass(frozen=True)
class Ballot:
    """A vote as the rule sees it; `member` is the seat it counts for."""

    member: str
    outcome: Outcome
    cast_at: datetime
    snapshot_hash: str
    recycle_to: str | None = None
    cast_by: str = ""
    sequence: int = 0  # the order votes were recorded in; breaks ties of cast_at

    @property
    def choice(self) -> tuple[Outcome, str | None]:
        return (self.outcome, self.recycle_to if self.outcome is Outcome.RECYCLE else None)


@dataclass(frozen=True)
class Tally:
    """The state of a review after counting: decided or waiting, and why."""

    needed: int
    seats: int
    counted: tuple[Ballot, ...]
    discarded: tuple[tuple[Ballot, str], ...]
    decided: Outcome | None = None
    recycle_to: str | None = None
    split: bool = False
    reason_sv: str = ""
    missing_roles: tuple[str, ...] = field(default_factory=tuple)

    @property
    def approvers(self) -> tuple[Ballot, ...]:
        return tuple(b for b in self.counted if b.outcome in APPROVALS)


def ballot_problem(
    policy: ApprovalPolicy,
    ballot: Ballot,
    *,
    electorate_: Electorate,
    now: datetime,
    snapshot_hash: str,
) -> str | None:
    """Why a ballot does not count (None when it does)."""
    if electorate_.seat(ballot.member) is None:
        return "Rösten räknas inte: ledamoten får inte besluta i denna granskning."
    if policy.vote_valid_days is not None and now > ballot.cast_at + timedelta(
        days=policy.vote_valid_days
    ):
        return f"Rösten har gått ut (giltig i {policy.vote_valid_days} dagar)."
    if ballot.snapshot_hash != snapshot_hash:
        return "Rösten gällde ett annat underlag: beredskapen har ändrats sedan rösten lades."
    return None


def tally_votes(
    policy: ApprovalPolicy,
    electorate_: Electorate,
    ballots: Iterable[Ballot],
    *,
    now: datetime,
    snapshot_hash: str,
) -> Tally:
    """Count the ballots under the policy and say whether the gate is decided."""
    latest: dict[str, Ballot] = {}
    for ballot in sorted(ballots, key=_recorded_order):
        latest[ballot.member] = ballot
    counted: list[Ballot] = []
    discarded: list[tuple[Ballot, str]] = []
    for ballot in latest.values():
        problem = ballot_problem(
            policy, ballot, electorate_=electorate_, now=now, snapshot_hash=snapshot_hash
        )
        if problem is None:
            counted.append(ballot)
        else:
            discarded.append((ballot, problem))
    seats = len(electorate_.seats)
    needed = votes_needed(policy, seats)
    base = {
        "needed": needed,
        "seats": seats,
        "counted": tuple(counted),
        "discarded": tuple(discarded),
    }
    if seats == 0 or needed > seats:
        return Tally(
            **base,  # type: ignore[arg-type]
            reason_sv=(
                f"Beslutförhet kan inte nås: {needed} röster behövs men {seats} ledamöter får "
                "rösta. Komplettera styrgruppen eller utse ersättare."
            ),
        )
    silent = seats - len(counted)
    choices = Counter(b.choice for b in counted)

    for outcome in CAUTION_ORDER:
        # Several recycle targets may reach the quorum together: the most votes win,
        # then the target's name, so the answer never depends on the order of ballots.
        ranked = sorted(choices.items(), key=lambda item: (-item[1], item[0][1] or ""))
        for (chosen, target), count in ranked:
            if chosen is outcome and count >= needed:
                return Tally(
                    **base,  # type: ignore[arg-type]
                    decided=outcome,
                    recycle_to=target,
                    reason_sv=f"{count} av {seats} röstade {OUTCOME_SV[outcome].lower()}.",
                )
    approvals = [b for b in counted if b.outcome in APPROVALS]
    missing = _missing_roles(policy, approvals, electorate_)
    if len(approvals) >= needed and not missing:
        conditional = any(b.outcome is Outcome.CONDITIONAL_GO for b in approvals)
        outcome = Outcome.CONDITIONAL_GO if conditional else Outcome.GO
        return Tally(
            **base,  # type: ignore[arg-type]
            decided=outcome,
            reason_sv=f"{len(approvals)} av {seats} godkände ({needed} krävs).",
        )
    if not _any_reachable(policy, electorate_, counted, choices, needed, silent):
        unseated = [
            role
            for role in policy.required_roles
            if not any(role in s.roles for s in electorate_.seats)
        ]
        reason = (
            "Rösterna är delade och ingen utgång kan längre nå beslutförhet; "
            "projektet står kvar (no-go)."
        )
        if unseated:
            reason += (
                " Ett godkännande var inte möjligt: ingen som får rösta har rollen "
                + ", ".join(unseated)
                + " (jäv eller begärde granskningen); utse en ersättare."
            )
        return Tally(
            **base,  # type: ignore[arg-type]
            decided=Outcome.NO_GO,
            split=True,
            reason_sv=reason,
            missing_roles=tuple(missing),
        )
    waiting = f"{len(approvals)} av {needed} godkännanden som krävs; {silent} har inte röstat."
    if missing:
        waiting += " Måste finnas bland de godkännande: " + ", ".join(missing) + "."
    return Tally(**base, reason_sv=waiting, missing_roles=tuple(missing))  # type: ignore[arg-type]


def _recorded_order(ballot: Ballot) -> tuple[datetime, int, int]:
    """Later ballots replace earlier ones; at the very same instant and sequence the
    more cautious one counts, so the result never depends on input order."""
    caution = (
        len(CAUTION_ORDER) - CAUTION_ORDER.index(ballot.outcome)
        if (ballot.outcome in CAUTION_ORDER)
        else 0
    )
    return (ballot.cast_at, ballot.sequence, caution)


def _missing_roles(
    policy: ApprovalPolicy, approvals: Sequence[Ballot], electorate_: Electorate
) -> list[str]:
    present: set[str] = set()
    for ballot in approvals:
        seat = electorate_.seat(ballot.member)
        if seat is not None:
            present |= seat.roles
    return [role for role in policy.required_roles if role not in present]


def _any_reachable(
    policy: ApprovalPolicy,
    electorate_: Electorate,
    counted: Sequence[Ballot],
    choices: Counter[tuple[Outcome, str | None]],
    needed: int,
    silent: int,
) -> bool:
    """Could some outcome still reach the quorum if the silent seats all chose it?"""
    if silent == 0:
        return False
    if silent >= needed:
        return True  # the silent seats alone could still decide anything
    others = (count for (outcome, _target), count in choices.items() if outcome not in APPROVALS)
    if any(count + silent >= needed for count in others):
        return True
    approvals = [b for b in counted if b.outcome in APPROVALS]
    if len(approvals) + silent < needed:
        return False
    # Approvals could still get there if every missing role has a silent seat.
    voted = {b.member for b in counted}
    silent_roles: set[str] = set()
    for seat in electorate_.seats:
        if seat.member not in voted:
            silent_roles |= seat.roles
    return all(role in silent_roles for role in _missing_roles(policy, approvals, electorate_))
