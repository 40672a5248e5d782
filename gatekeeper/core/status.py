"""Statuses of every capability: projects, checklist items, risks, activities,
gate reviews and their conditions, rollout units and waves, reminders, webhook
deliveries and API token scopes.

Each is a `StrEnum` whose values are the words used in YAML, the API and the
database (stored as text); Swedish labels for the UI come from `label_sv`.
The store's tables and the web schemas import them from here.
"""

from __future__ import annotations

from enum import StrEnum


class ProjectStatus(StrEnum):
    """Where a project stands as a whole, apart from its phase."""

    ACTIVE = "active"
    ON_HOLD = "on_hold"
    TERMINATED = "terminated"
    CLOSED = "closed"


class ItemStatus(StrEnum):
    """State of one checklist item in a project."""

    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class RiskStatus(StrEnum):
    """A risk stays open until it is closed (handled) or accepted."""

    OPEN = "open"
    CLOSED = "closed"
    ACCEPTED = "accepted"


class ActivityStatus(StrEnum):
    """The aktivitetsplan's four states, as the seeds write them."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    POSTPONED = "postponed"


# Gates: reviews and the conditions of a conditional go.


class ReviewStatus(StrEnum):
    """Where a gate or wave review stands: open for votes, decided or withdrawn."""

    OPEN = "open"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class ConditionStatus(StrEnum):
    """A condition of a conditional go: open until closed (met) or waived."""

    OPEN = "open"
    CLOSED = "closed"
    WAIVED = "waived"


# Rollout: units and waves.


class UnitKind(StrEnum):
    """The level of a unit in the organisation."""

    KOMMUN = "kommun"
    FORVALTNING = "forvaltning"
    ENHET = "enhet"


class WaveStatus(StrEnum):
    """Where a wave of the rollout stands."""

    PLANNED = "planned"  # preparing for its go-live date
    LIVE = "live"  # go decided; the wave's units are in drift
    PAUSED = "paused"  # the rollout of this wave is paused by the steering group


# Reminders.


class ReminderKind(StrEnum):
    """What a reminder is about."""

    DEADLINE = "deadline"  # an item's deadline is ahead
    OVERDUE = "overdue"  # an item is past its deadline: one step of the escalation
    CONDITION = "condition"  # an open condition of a conditional go
    VOTE_REQUEST = "vote_request"  # a decider is asked to vote in a gate review
    VOTE_REMINDER = "vote_reminder"  # a decider has not voted yet
    MEETING = "meeting"  # a recurring meeting of the workflow's cadence


class ReminderStatus(StrEnum):
    """Where a reminder is in its life."""

    PENDING = "pending"  # planned; goes out at next_attempt_at
    CLAIMED = "claimed"  # a dispatcher holds it until claimed_until
    RETRYING = "retrying"  # a delivery failed; tried again at next_attempt_at
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt; visible in UI and API
    PAUSED = "paused"  # the project is on hold
    CANCELLED = "cancelled"  # no longer wanted (done, re-planned, project ended)
    MISSED = "missed"  # its send day had passed when it was planned: logged, never sent


class ReminderChannel(StrEnum):
    """Where a reminder was delivered."""

    INBOX = "inbox"
    EMAIL = "email"
    WEBHOOK = "webhook"


# Audit: webhook deliveries.


class DeliveryStatus(StrEnum):
    """Where one webhook delivery stands in the outbox."""

    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # gave up after the last retry


class ChainBreak(StrEnum):
    """How an audit chain was found broken (`gatekeeper.store.audit.verify`)."""

    MISSING = "missing"  # events gone from the middle of the chain
    UNLINKED = "unlinked"  # an event does not link to the one before it
    ALTERED = "altered"  # an event no longer hashes to what it carries
    REORDERED = "reordered"  # an event numbered before the one before it
    NO_HEAD = "no_head"  # events, but the chain's head was deleted
    TAIL_CUT = "tail_cut"  # the head records more events than remain
    HEAD_ALTERED = "head_altered"  # the head does not match the last event
    CHECKPOINT_SHORT = "checkpoint_short"  # fewer events than the checkpoint vouches for
    CHECKPOINT_GONE = "checkpoint_gone"  # a chain the checkpoint vouches for is gone
    CHECKPOINT_REWRITTEN = "checkpoint_rewritten"  # differs from the checkpoint


# Access: API tokens.


class TokenScope(StrEnum):
    """What a token may do: read only, or act as its user (write)."""

    READ = "read"
    WRITE = "write"


class AccountLinkPurpose(StrEnum):
    """What a one-time password link is for: a first password, or a forgotten one."""

    INVITATION = "invitation"
    RESET = "reset"


_LABELS_SV: dict[StrEnum, str] = {
    ProjectStatus.ACTIVE: "Pågående",
    ProjectStatus.ON_HOLD: "Pausat",
    ProjectStatus.TERMINATED: "Avbrutet",
    ProjectStatus.CLOSED: "Avslutat",
    ItemStatus.OPEN: "Ej klar",
    ItemStatus.DONE: "Klar",
    ItemStatus.NOT_APPLICABLE: "Ej aktuell",
    RiskStatus.OPEN: "Öppen",
    RiskStatus.CLOSED: "Hanterad",
    RiskStatus.ACCEPTED: "Accepterad",
    ActivityStatus.NOT_STARTED: "Ej påbörjat",
    ActivityStatus.IN_PROGRESS: "Pågår",
    ActivityStatus.DONE: "Genomfört",
    ActivityStatus.POSTPONED: "Skjuts upp",
}


def label_sv(status: StrEnum) -> str:
    """The Swedish word users see for a status."""
    return _LABELS_SV.get(status, str(status))
