"""Request bodies of the API (`…Create`, `…Update`), strict: unknown fields are errors.

Each derives from `web/bounds.Input` and uses its `Day` and `Version`: no NUL in a
string, integers and dates within what the database keeps (422 naming the field).
"""

from __future__ import annotations

from pydantic import ConfigDict, EmailStr, Field

from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import (
    ActivityStatus,
    ConditionStatus,
    ItemStatus,
    RiskStatus,
    TokenScope,
)
from gatekeeper.services.projects.named_decision import DECISION_KEY_PATTERN
from gatekeeper.services.validation import PROJECT_KEY_PATTERN
from gatekeeper.web.bounds import Day, Input, Version


class _Input(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MemberCreate(_Input):
    name: str = Field(min_length=1, max_length=200, examples=["Malin Holmberg"])
    email: EmailStr = Field(examples=["malin.holmberg@alingsas.se"])
    role: str = Field(min_length=1, max_length=100, examples=["bestallare"])
    substitute_for: EmailStr | None = Field(
        default=None, description="The seat holder this person is ersättare for."
    )


class MemberRoleUpdate(_Input):
    role: str = Field(min_length=1, max_length=100, examples=["styrgrupp"])


class ProjectCreate(_Input):
    key: str = Field(
        min_length=3,
        max_length=64,
        examples=["ibic-alingsas"],
        description="3–64 characters: a–z, digits and '-', not first or last (422 `key`).",
        json_schema_extra={"pattern": PROJECT_KEY_PATTERN},
    )
    name: str = Field(min_length=1, max_length=300, examples=["Införande av IBIC"])
    workflow_id: str = Field(min_length=1, max_length=100, examples=["inforande"])
    workflow_version: Version | None = Field(default=None, ge=1)
    organisation: str = Field(default="", max_length=300)
    description: str = Field(default="", max_length=10_000)
    started_on: Day | None = None
    gate_targets: dict[str, Day] = Field(
        default_factory=dict,
        examples=[{"go-live": "2027-09-01"}],
        description="Target date per gate id; the dates must follow the workflow's gate "
        "order (422 `gate_targets` naming the gates out of order).",
    )
    members: list[MemberCreate] = Field(default_factory=list, max_length=500)
    parent: str | None = Field(
        default=None,
        max_length=100,
        examples=["vardens-medarbetare"],
        description="The key of the project this one is a delprojekt of (422 `parent` when "
        "unknown).",
    )
    receiving_unit: str = Field(
        default="", max_length=300, description="Mottagande förvaltning: who takes it over."
    )


class ProjectUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    organisation: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=10_000)


class GateTargetUpdate(_Input):
    """Move a gate's date; the later gates move along by as many days with `shift_later`."""

    target_date: Day = Field(examples=["2027-09-01"])
    shift_later: bool = Field(
        default=False,
        description=(
            "Move every later gate with a date by the same number of days. Without it a "
            "move that would put a phase's end before its start is refused (422, `gates`)."
        ),
    )
    dates_version: Version | None = Field(
        default=None,
        ge=0,
        description="The preview's `dates_version`: refused with 412 when the dates changed since.",
    )


class GatePass(_Input):
    """Pass a gate that has no approval policy (its criteria must hold)."""

    motivation: str = Field(
        min_length=1, max_length=4000, examples=["Alla kriterier är uppfyllda."]
    )


class ItemUpdate(_Input):
    """Tick (`done`), untick (`open`) or set an item not applicable."""

    status: ItemStatus = Field(examples=["done"])
    evidence: str | None = Field(
        default=None,
        max_length=2000,
        description="Link or document reference (the criteria demand it for some items).",
        examples=["https://intranat.alingsas.se/ibic/projektplan-4.0.pdf"],
    )
    comment: str | None = Field(default=None, max_length=4000)


class RiskCreate(_Input):
    title: str = Field(min_length=1, max_length=300, examples=["Verksamheten hinner inte utbilda"])
    probability: int = Field(ge=1, le=4)
    consequence: int = Field(ge=1, le=4)
    mitigation: str = Field(default="", max_length=4000)
    owner: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=10_000)


class RiskUpdate(_Input):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10_000)
    probability: int | None = Field(default=None, ge=1, le=4)
    consequence: int | None = Field(default=None, ge=1, le=4)
    status: RiskStatus | None = None
    mitigation: str | None = Field(default=None, max_length=4000)
    owner: str | None = Field(default=None, max_length=200)


class ActivityCreate(_Input):
    title: str = Field(min_length=1, max_length=300, examples=["Utbildning av ombud"])
    start: Day | None = None
    end: Day | None = Field(default=None, description="Never before `start` (422 `end`).")
    responsible: str = Field(default="", max_length=200)
    status: ActivityStatus = ActivityStatus.NOT_STARTED
    comment: str = Field(default="", max_length=2000)
    postponed_to: Day | None = Field(
        default=None, description="The date a postponed activity is moved to (status postponed)."
    )


class ActivityUpdate(_Input):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    status: ActivityStatus | None = None
    start: Day | None = None
    end: Day | None = None
    responsible: str | None = Field(default=None, max_length=200)
    comment: str | None = Field(default=None, max_length=2000)
    postponed_to: Day | None = Field(
        default=None,
        description="Required with status postponed (unless already set); refused with any other.",
    )


class NamedDecisionCreate(_Input):
    key: str = Field(
        min_length=1,
        max_length=100,
        examples=["finansiering"],
        description="a–z or a digit first, then a–z, digits, '-' and '_' (422 `key`).",
        json_schema_extra={"pattern": DECISION_KEY_PATTERN},
    )
    title: str = Field(min_length=1, max_length=300, examples=["Finansiering beslutad av nämnden"])
    decided_on: Day
    reference: str = Field(default="", max_length=200, examples=["Dnr 2021.158 VON"])


class ReviewCreate(_Input):
    gate_id: str = Field(min_length=1, max_length=100, examples=["go-live"])
    message: str = Field(default="", max_length=4000)
    effective_from: str = Field(
        default="target_date",
        max_length=20,
        description="From when a go takes effect: `target_date` (the gate's target date, "
        "default) or `immediately` (needs `effective_motivation`).",
    )
    effective_motivation: str | None = Field(
        default=None, max_length=2000, description="Why a go takes effect immediately."
    )


class ConditionCreate(_Input):
    text: str = Field(min_length=1, max_length=1000)
    owner: EmailStr
    due_on: Day


class VoteCreate(_Input):
    outcome: Outcome
    motivation: str = Field(min_length=1, max_length=4000)
    recycle_to: str | None = Field(default=None, max_length=100)
    override_motivation: str | None = Field(default=None, max_length=4000)
    conditions: list[ConditionCreate] = Field(default_factory=list, max_length=50)
    on_behalf_of: EmailStr | None = Field(
        default=None, description="As ersättare: the seat holder you vote for."
    )
    exclude_units: list[str] = Field(
        default_factory=list,
        max_length=2000,
        description="Wave review, go: unit keys of the wave that do not go live with it.",
    )
    move_to_wave: str | None = Field(
        default=None,
        max_length=100,
        description="Wave review, go with exclude_units: the later wave they move to.",
    )
    postpone_to: Day | None = Field(
        default=None, description="Wave review, no_go: the wave's new go-live date (postpone)."
    )
    decided_on: Day | None = Field(
        default=None,
        description="Beslutsdatum: the meeting's date when the vote is recorded afterwards "
        "(default today; not in the future, not before the review was opened).",
    )


class LateVoteCreate(_Input):
    outcome: Outcome
    motivation: str = Field(min_length=1, max_length=4000)
    on_behalf_of: EmailStr | None = Field(
        default=None, description="As ersättare: the seat holder you vote for."
    )


class ReservationCreate(_Input):
    text: str = Field(min_length=1, max_length=4000, description="The reservation's text.")


class WaveReviewCreate(_Input):
    message: str = Field(default="", max_length=4000)


class RequiredUnitsUpdate(_Input):
    unit_keys: list[str] = Field(
        max_length=2000, description="Units of the wave that must be ready (replaces the list)."
    )


class ConflictCreate(_Input):
    reason: str = Field(min_length=1, max_length=2000, examples=["Make arbetar hos leverantören"])


class ConditionSettle(_Input):
    status: ConditionStatus
    note: str = Field(min_length=1, max_length=2000)


class ResumeCreate(_Input):
    motivation: str = Field(min_length=1, max_length=4000)


class ReferenceUpdate(_Input):
    reference: str = Field(min_length=1, max_length=200, examples=["Dnr 2026.158 VON"])


class TokenCreate(_Input):
    name: str = Field(min_length=1, max_length=200, examples=["Teams-bot för styrgruppen"])
    scope: TokenScope = TokenScope.READ
    projects: list[str] = Field(
        default_factory=list, max_length=200, description="Limit to these projects (none: all)."
    )
    days: int = Field(default=90, ge=1, le=365)
    owner_email: EmailStr | None = Field(
        default=None, description="Admins only: make the token for someone else."
    )
