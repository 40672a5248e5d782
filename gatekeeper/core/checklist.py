"""Checklist templates (definitions) and the state of their items in a project.

A template is read from YAML once and never changes; a project copies the
template's items when it starts so that later edits of the YAML never alter
what a running project has to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from gatekeeper.core.deadline import RelativeDeadline
from gatekeeper.core.status import ItemStatus


@dataclass(frozen=True)
class ItemTemplate:
    """One line of a checklist template."""

    id: str
    text: str
    category: str
    responsible: str
    mandatory: bool = True
    evidence_required: bool = False
    due: RelativeDeadline | None = None
    guidance: str | None = None
    may_tick: tuple[str, ...] | None = None  # None: the default of `tick_roles`


MANAGER_ROLE = "projektledare"


def tick_roles(responsible: str, may_tick: Sequence[str] | None) -> frozenset[str]:
    """The roles that may tick an item: its responsible role, and the roles its definition
    names (`may_tick`) or, by default, the projektledare. (Administrators always may; that is
    the caller's part, as it is not a role in the project.)"""
    others = (MANAGER_ROLE,) if may_tick is None else tuple(may_tick)
    return frozenset((responsible, *others))


@dataclass(frozen=True)
class ChecklistTemplate:
    """A named, versioned list of readiness items."""

    id: str
    version: int
    name: str
    items: tuple[ItemTemplate, ...]
    description: str | None = None
    content_hash: str = ""

    def item(self, item_id: str) -> ItemTemplate:
        for candidate in self.items:
            if candidate.id == item_id:
                return candidate
        raise KeyError(item_id)


@dataclass(frozen=True)
class ItemState:
    """What the gate criteria need to know about one item in a project."""

    checklist_id: str
    item_id: str
    text: str
    category: str
    mandatory: bool
    evidence_required: bool
    status: ItemStatus
    has_evidence: bool = False
    due_on: date | None = None

    @property
    def done(self) -> bool:
        return self.status is ItemStatus.DONE

    @property
    def counts(self) -> bool:
        """Items marked not applicable are left out of shares."""
        return self.status is not ItemStatus.NOT_APPLICABLE

    @property
    def satisfied(self) -> bool:
        """Done, and with evidence where the item demands it."""
        return self.done and (self.has_evidence or not self.evidence_required)

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and not self.done and self.counts and self.due_on < today


def evidence_missing(
    *, status: ItemStatus, evidence_required: bool, evidence: str | None, stored: str | None
) -> bool:
    """Whether setting `status` would leave an item that demands evidence without any.

    The one rule for project items and unit items alike: an item with
    `evidence_required` is ticked done only with evidence (a link or a document
    reference). `evidence` is what the change brings (None: keep `stored`).
    """
    if status is not ItemStatus.DONE or not evidence_required:
        return False
    kept = evidence if evidence is not None else stored
    return not (kept and kept.strip())
