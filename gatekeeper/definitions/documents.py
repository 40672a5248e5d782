"""Pydantic models of the two YAML documents: workflows and checklist templates.

These mirror docs/formats.md key for key (`extra="forbid"`, so a typo is an
error) and check everything one value can say about itself: types, identifier
spelling, ranges, relative deadlines, criterion kinds and their parameters.
Rules that relate values to each other (a gate's `to` names a phase, ...) live
in `gatekeeper.definitions.validation`. `json_schema` gives the JSON Schema
behind `gatekeeper schema workflow|checklist`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from gatekeeper.core.criteria import AnyCriterion
from gatekeeper.core.deadline import RelativeDeadline
from gatekeeper.definitions.values import (
    ClockTime,
    CountryCode,
    LanguageCode,
    TimeZoneName,
    definition_error,
)

IDENTIFIER_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
DUE_PATTERN = r"^[+-]?[0-9]{1,4}[dw]$"
QUORUM_WORDS = ("all", "majority", "any")


def _check_due(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return value  # the str schema reports the wrong type
    try:
        RelativeDeadline.parse(str(value))
    except ValueError as error:
        raise definition_error(str(error)) from None
    return str(value)


def _check_quorum(value: Any) -> Any:
    if isinstance(value, bool):
        raise definition_error(
            f"{str(value).lower()} is not a quorum; write all, majority, any or a whole number"
        )
    if isinstance(value, int):
        if value < 1:
            raise definition_error(f"a quorum of {value} is not possible; it must be at least 1")
        return value
    if isinstance(value, str) and value in QUORUM_WORDS:
        return value
    if isinstance(value, list | dict):
        shown = "a list" if isinstance(value, list) else "a mapping"
    else:
        shown = repr(value)
    raise definition_error(
        f"{shown} is not a quorum; write all, majority, any or a whole number such as 3"
    )


Identifier = Annotated[str, Field(pattern=IDENTIFIER_PATTERN, max_length=80)]
Text = Annotated[str, Field(min_length=1)]
Due = Annotated[
    str,
    BeforeValidator(_check_due),
    WithJsonSchema({"type": "string", "pattern": DUE_PATTERN}),
]
QuorumValue = Annotated[
    Literal["all", "majority", "any"] | int,
    BeforeValidator(_check_quorum),
    WithJsonSchema(
        {"anyOf": [{"enum": list(QUORUM_WORDS)}, {"type": "integer", "minimum": 1}]},
    ),
]


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RoleDocument(_Document):
    """A role a project member can hold."""

    id: Identifier = Field(description="Stable identifier, e.g. projektledare.")
    name: Text = Field(description="Name shown to users.")
    description: Text | None = None
    max_members: int | None = Field(
        default=None,
        ge=1,
        description="At most this many members of a project hold the role (e.g. a "
        "steering group of 5); a numeric quorum of this role may not exceed it.",
    )
    manages_members: bool | None = Field(
        default=None,
        description="Whether holders of the role add, change and remove a project's members "
        "and invite new people (administrators always may). Unset: yes for the role "
        "projektledare, no for the others.",
    )


class PhaseDocument(_Document):
    """One phase of the model."""

    id: Identifier = Field(description="Stable identifier, e.g. forstudie.")
    name: Text
    final: bool = Field(default=False, description="No gate may leave a final phase.")
    description: Text | None = None


class ApprovalDocument(_Document):
    """Who decides a gate and how many of them must agree."""

    deciders: Identifier = Field(description="The deciding role.")
    quorum: QuorumValue = Field(
        default="majority", description="all, majority, any or a whole number >= 1."
    )
    required_roles: list[Identifier] = Field(
        default_factory=list, description="Roles that must be among the approvers."
    )
    requester_may_approve: bool = Field(
        default=False, description="Whether the person requesting the decision may approve."
    )
    vote_valid_days: int | None = Field(
        default=None, ge=1, description="A vote lapses after this many days."
    )
    substitutes: bool = Field(default=True, description="Ersättare may vote in a member's stead.")
    requested_by: list[Identifier] = Field(
        default_factory=list,
        description=(
            "The roles that may ask the deciders for a review of the gate (administrators "
            "always may). Unset: the projektledare; in a workflow without that role, the "
            "roles the gate's checklists let tick (may_tick), else every member."
        ),
    )


class GateDocument(_Document):
    """A go/no-go point between two phases."""

    id: Identifier
    name: Text
    source: Identifier = Field(alias="from", description="The phase the gate leaves.")
    dest: Identifier = Field(alias="to", description="The phase the gate leads to.")
    description: Text | None = None
    checklists: list[Identifier] = Field(
        default_factory=list, description="Ids of the checklist templates of this gate."
    )
    unit_checklists: list[Identifier] = Field(
        default_factory=list,
        description=(
            "Ids of checklist templates every unit of a rollout fills in for this gate "
            "(e.g. the cut-over checklist), with deadlines relative to its wave's go-live."
        ),
    )
    criteria: list[AnyCriterion] = Field(
        default_factory=list, description="Go/no-go criteria; all must pass."
    )
    approval: ApprovalDocument | None = None
    handover_to: Identifier | None = Field(
        default=None,
        description=(
            "Role that receives the items still open when the gate is passed, as a restlista "
            "(e.g. forvaltningsledare at driftöverlämning)."
        ),
    )
    passed_by: Identifier | None = Field(
        default=None,
        description=(
            "For a gate without `approval`: the role that passes it when its criteria hold "
            "(default projektledare). Not allowed together with `approval`."
        ),
    )


Days = Annotated[int, Field(ge=0, le=366)]


class EscalationDocument(_Document):
    """One step of the escalation of an overdue item or condition."""

    after_days: Days = Field(description="Days after the deadline (business days by default).")
    notify: Identifier = Field(
        description="A role of the workflow, or `responsible` (the item's role, the "
        "condition's owner)."
    )


class VotesDocument(_Document):
    """Vote requests and reminders of votes not cast."""

    request: bool = Field(default=True, description="Ask each decider when a review opens.")
    remind_after_days: list[Days] = Field(
        default_factory=lambda: [3, 7],
        description="Remind deciders who have not voted this many days after the request.",
    )


class QuietHoursDocument(_Document):
    """Local hours in which no event-driven notice goes out."""

    start: ClockTime = "18:00"
    end: ClockTime = "07:00"


class CalendarDocument(_Document):
    """Business days, send time, quiet hours and default time zone of reminders."""

    business_days: bool = Field(
        default=True,
        description="Skip weekends and the public holidays of the workflow's `country`.",
    )
    send_time: ClockTime = Field(default="08:00", description="Local time reminders go out.")
    quiet_hours: QuietHoursDocument = Field(default_factory=QuietHoursDocument)
    time_zone: TimeZoneName = Field(
        default="Europe/Stockholm", description="For people who have not chosen their own."
    )


class IntervalDocument(_Document):
    """How often a recurring meeting is held: every N months or every N weeks."""

    months: int | None = Field(default=None, ge=1)
    weeks: int | None = Field(default=None, ge=1)


class CadenceDocument(_Document):
    """A recurring meeting (`every`) or follow-ups after a phase (`after_phase`, `months`)."""

    id: Identifier
    name: Text
    roles: list[Identifier] = Field(min_length=1, description="Who is invited and reminded.")
    every: IntervalDocument | None = None
    phases: list[Identifier] = Field(
        default_factory=list,
        description="Held while the project is in one of these phases; default every "
        "phase that is not final.",
    )
    after_phase: Identifier | None = Field(
        default=None, description="Follow-ups count from the day the project entered it."
    )
    months: list[Annotated[int, Field(ge=1, le=120)]] = Field(
        default_factory=list, description="Follow-ups this many months after `after_phase`."
    )
    notice_days: list[Days] = Field(
        default_factory=lambda: [7, 1], description="Remind this many days before."
    )


class RemindersDocument(_Document):
    """The optional `reminders:` section of a workflow."""

    before_deadline: list[Days] = Field(
        default_factory=lambda: [14, 3],
        description="Remind this many days before an item's or condition's deadline.",
    )
    escalation: list[EscalationDocument] = Field(
        default_factory=lambda: [
            EscalationDocument(after_days=0, notify="responsible"),
            EscalationDocument(after_days=3, notify="projektledare"),
            EscalationDocument(after_days=7, notify="styrgrupp"),
        ],
    )
    escalate_optional: bool = Field(
        default=False,
        description="Escalate optional items (mandatory: false) like the others; by default "
        "only their own role is reminded, never the projektledare or the styrgrupp.",
    )
    votes: VotesDocument = Field(default_factory=VotesDocument)
    calendar: CalendarDocument = Field(default_factory=CalendarDocument)
    cadence: list[CadenceDocument] = Field(default_factory=list)


class WorkflowDocument(_Document):
    """A phase model: `kind: workflow`."""

    model_config = ConfigDict(title="gatekeeper workflow")

    kind: Literal["workflow"]
    id: Identifier
    version: int = Field(ge=1, description="Bump it when the content changes.")
    name: Text
    description: Text | None = None
    language: LanguageCode = Field(
        default="sv",
        description="The language of the workflow's people: sv, da or en. A project on a "
        "da workflow gets Danish pages (unless the reader chose a language) and e-mails.",
    )
    country: CountryCode = Field(
        default="SE",
        description="Whose public holidays are days off for reminders: SE or DK.",
    )
    roles: list[RoleDocument] = Field(min_length=1)
    initial: Identifier = Field(description="The phase a new project starts in.")
    phases: list[PhaseDocument] = Field(min_length=1)
    gates: list[GateDocument] = Field(default_factory=list)
    reminders: RemindersDocument | None = Field(
        default=None, description="Deadline reminders, escalation, votes and meeting cadence."
    )


class ItemDocument(_Document):
    """One line of a checklist template."""

    id: Identifier
    text: Text
    category: Text = Field(description="Free text, e.g. Planering or Utbildning.")
    responsible: Identifier = Field(description="A role of the workflows using the checklist.")
    mandatory: bool = Field(default=True, description="Obligatoriskt (true) or valbart (false).")
    evidence: bool = Field(default=False, description="Evidence (link or reference) required.")
    due: Due | None = Field(
        default=None,
        description="Days or weeks relative to the gate's target date, e.g. -90d, -52w, 0d.",
    )
    guidance: Text | None = None
    may_tick: list[Identifier] | None = Field(
        default=None,
        description="Roles that may tick the item besides its responsible role (replaces "
        "the checklist's may_tick and the default, the projektledare). Admins always may.",
    )


class ChecklistDocument(_Document):
    """A checklist template: `kind: checklist`."""

    model_config = ConfigDict(title="gatekeeper checklist")

    kind: Literal["checklist"]
    id: Identifier
    version: int = Field(ge=1, description="Bump it when the content changes.")
    name: Text
    description: Text | None = None
    may_tick: list[Identifier] | None = Field(
        default=None,
        description="Roles that may tick every item without a may_tick of its own, besides "
        "the item's responsible role (default: the projektledare).",
    )
    items: list[ItemDocument] = Field(min_length=1)


DOCUMENT_MODELS: dict[str, type[WorkflowDocument] | type[ChecklistDocument]] = {
    "workflow": WorkflowDocument,
    "checklist": ChecklistDocument,
}


def json_schema(kind: Literal["workflow", "checklist"]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a workflow or checklist document."""
    model = DOCUMENT_MODELS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


__all__ = [
    "DOCUMENT_MODELS",
    "IDENTIFIER_PATTERN",
    "ApprovalDocument",
    "ChecklistDocument",
    "GateDocument",
    "ItemDocument",
    "PhaseDocument",
    "RemindersDocument",
    "RoleDocument",
    "WorkflowDocument",
    "definition_error",
    "json_schema",
]
