"""The cut-over readiness review of a rollout (beredskapsgenomgång), built on every call.

Built for 49 kommuner × 20 units × 40 items on every call, without a cache: the
database counts, Python only judges. The scope (units, waves, a wave and/or
kommun filter) is `gatekeeper.services.rollout.readiness_scope`, the unit ×
category counts `readiness_count`, the wave × item counts `readiness_item`;
`gatekeeper.core.rollout.readiness` turns the counts into the review, or into
the summary without the unit rows. The export tables are
`gatekeeper.services.rollout.readiness_export`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import literal
from sqlmodel import Session, col

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.rollout.readiness import Review, build_review, build_summary
from gatekeeper.core.rollout.rows import (
    HIGH_RISK_SCORE,
    HighRisk,
    UnitRow,
    WaveRow,
)
from gatekeeper.core.rollout.unit_readiness import kommun_of
from gatekeeper.core.status import RiskStatus
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.rollout.readiness_count import (
    category_order,
    cell_counts,
    cell_rows,
    lacking_items,
    summed,
    with_lacking,
)
from gatekeeper.services.rollout.readiness_item import item_counts
from gatekeeper.services.rollout.readiness_scope import (
    choose_scope,
    load_units,
    load_waves,
    select_columns,
)
from gatekeeper.services.rollout.readiness_summary import summary_sums
from gatekeeper.store.projects.tables import Project, Risk
from gatekeeper.store.rollout.unit_tables import Unit


@dataclass(frozen=True)
class ReadinessReview:
    """The review of one project, what it is filtered on, and what it could be filtered on."""

    project_key: str
    project_name: str
    organisation: str
    review: Review
    wave: str | None  # the wave key filtered on
    kommun: str | None  # the kommun key filtered on
    waves: tuple[WaveRow, ...]  # every wave of the project
    kommuner: tuple[UnitRow, ...]  # every top-level unit, in Swedish order


def _risks(session: Session, project_id: int) -> list[HighRisk]:
    return [
        HighRisk(title, score)
        for title, score in session.exec(
            select_columns(Risk.title, Risk.score).where(
                col(Risk.project_id) == project_id,
                col(Risk.status) == RiskStatus.OPEN,
                col(Risk.score) >= literal(HIGH_RISK_SCORE),
            )
        ).all()
    ]


def readiness_review(
    ctx: Context,
    project_key: str,
    *,
    wave: str | None = None,
    kommun: str | None = None,
    with_units: bool = True,
) -> ReadinessReview:
    """The project's cut-over readiness review, of one wave and/or one kommun if asked.
    Without `with_units` the review's unit rows are left out (`review.units` is empty and
    the units a wave lists as not ready come without their cells): the summary, built
    without ten thousand unit cells.

    Built from the database on every call (no cache): what a reader sees right after a
    tick is what the figures are measured on."""
    now = ctx.clock.now()
    today = ctx.today()
    with ctx.db.read() as session:
        project: Project = project_by_key(session=session, key=project_key)
        return build_in(session, project, now, today, wave, kommun, with_units)


def readiness_review_in(
    *,
    session: Session,
    project: Project,
    now: datetime,
    today: date,
    wave: str | None = None,
    kommun: str | None = None,
    with_units: bool = True,
) -> ReadinessReview:
    """`readiness_review` inside the caller's transaction (the Enheter page's read)."""
    return build_in(session, project, now, today, wave, kommun, with_units)


def build_in(
    session: Session,
    project: Project,
    now: datetime,
    today: date,
    wave: str | None,
    kommun: str | None,
    with_units: bool = True,
) -> ReadinessReview:
    """`readiness_review` inside the caller's read transaction."""
    assert project.id is not None
    pid = project.id
    waves = load_waves(session, pid)
    units = load_units(session, pid)
    tops = kommun_of({u.id: u for u in units})
    chosen_wave, chosen_kommun, ids = choose_scope(units, waves, tops, wave, kommun)
    scope = (chosen_wave, ids)
    lacking = lacking_items(session, pid, scope)
    in_scope = waves
    if chosen_wave is not None:
        in_scope = [chosen_wave]
    elif ids is not None:
        wave_ids = {u.wave_id for u in units if u.id in set(ids)}
        in_scope = [w for w in waves if w.id in wave_ids]
    counted = None
    if chosen_wave is not None or ids is not None:
        allowed = set(ids) if ids is not None else None
        counted = {
            u.id
            for u in units
            if (chosen_wave is None or u.wave_id == chosen_wave.id)
            and (allowed is None or u.id in allowed)
        }
    if with_units:
        rows = cell_rows(session, pid, now, today, waves, counted)
        cells = with_lacking(cell_counts(rows), lacking)
        items = item_counts(session, pid, scope, lacking)
        review = build_review(
            today=today,
            waves=in_scope,
            units=units,
            cells=cells,
            items=items,
            risks=_risks(session, pid),
            category_order=category_order(cells),
            sort_key=swedish_sort_key,
            tops=tops,
        )
    else:
        if counted is None:
            sums = summary_sums(session, pid, now, today, waves, units, tops, lacking)
        else:
            sums = summed(cell_rows(session, pid, now, today, waves, counted), tops, lacking)
        unit_sums, kommun_sums, categories = sums
        review = build_summary(
            today=today,
            waves=in_scope,
            units=units,
            unit_sums=unit_sums,
            kommun_sums=kommun_sums,
            categories=categories,
            items=item_counts(session, pid, scope, lacking),
            risks=_risks(session, pid),
            sort_key=swedish_sort_key,
            tops=tops,
        )
    return ReadinessReview(
        project_key=project.key,
        project_name=project.name,
        organisation=project.organisation,
        review=review,
        wave=chosen_wave.key if chosen_wave else None,
        kommun=chosen_kommun.key if chosen_kommun else None,
        waves=tuple(sorted(waves, key=lambda w: (w.position, w.go_live_on, w.key))),
        kommuner=tuple(
            sorted(
                (u for u in units if tops[u.id].id == u.id),
                key=lambda u: (swedish_sort_key(u.name), u.id),
            )
        ),
    )


def has_units(ctx: Context, project_key: str) -> bool:
    """Whether the project rolls out to units (so that a readiness review makes sense)."""
    with ctx.db.read() as session:
        return has_units_in(
            session=session, project=project_by_key(session=session, key=project_key)
        )


def has_units_in(*, session: Session, project: Project) -> bool:
    """`has_units` inside the caller's transaction."""
    found = session.exec(
        select_columns(Unit.id).where(col(Unit.project_id) == project.id).limit(1)
    ).first()
    return found is not None
