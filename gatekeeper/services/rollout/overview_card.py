"""A rollout project's row on Översikt speaks of its units: "412 av 1 004 enheter redo,
våg 1 om 12 dagar", by the one readiness definition (`core.rollout.unit_readiness`).

`overview_with_rollouts` is the Översikt page's one read use case: the
projects' rows (`services.projects.dashboard`, which knows nothing of units)
and, for those that roll out to units, their units ready of their units,
counted by the review's definition in one pass per unit
(`readiness_count.units_ready`), without its blockers and kritisk linje.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col

from gatekeeper.core.access import Principal
from gatekeeper.core.rollout.rows import share_of
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects import dashboard as dashboards
from gatekeeper.services.projects.dashboard import Dashboard, SortKey
from gatekeeper.services.rollout.readiness_count import units_ready
from gatekeeper.services.rollout.readiness_scope import load_waves, select_columns
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit


@dataclass(frozen=True)
class RolloutCard:
    """A rollout's units ready of its units, and its next wave to go live."""

    units: int
    ready: int
    next_wave: str | None = None  # the wave's name
    next_go_live: date | None = None
    days_left: int | None = None  # to the next wave's go-live, 0 on the day

    @property
    def share(self) -> float:
        return share_of(self.ready, self.units)


def rollout_cards(ctx: Context, project_keys: list[str]) -> dict[str, RolloutCard]:
    """The card of each of `project_keys` that rolls out to units (others are left out)."""
    if not project_keys:
        return {}
    today = ctx.today()
    cards: dict[str, RolloutCard] = {}
    with ctx.db.read() as session:
        rolling = session.exec(
            select_columns(Project.key)
            .where(col(Project.key).in_(project_keys))
            .where(col(Project.id).in_(select_columns(Unit.project_id).distinct()))
        ).all()
        for (key,) in rolling:
            project = project_by_key(session=session, key=key)
            assert project.id is not None
            waves = load_waves(session, project.id)
            # The review's own definition, counted per unit in one pass.
            ready, counted = units_ready(session, project.id)
            upcoming = [w for w in waves if w.status != "live" and w.go_live_on >= today]
            nxt = min(upcoming, key=lambda w: (w.go_live_on, w.position), default=None)
            cards[key] = RolloutCard(
                units=counted,
                ready=ready,
                next_wave=nxt.name if nxt else None,
                next_go_live=nxt.go_live_on if nxt else None,
                days_left=(nxt.go_live_on - today).days if nxt else None,
            )
    return cards


def overview_with_rollouts(
    ctx: Context,
    principal: Principal,
    *,
    phase: str | None = None,
    waiting_only: bool = False,
    text: str = "",
    sort: SortKey = "name",
    descending: bool = False,
) -> tuple[Dashboard, dict[str, RolloutCard]]:
    """Översikt's rows as `dashboard.dashboard` gives them, and the rollout cards of those
    shown."""
    view = dashboards.dashboard(
        ctx,
        principal,
        phase=phase,
        waiting_only=waiting_only,
        text=text,
        sort=sort,
        descending=descending,
    )
    return view, rollout_cards(ctx, [row.key for row in view.rows])
