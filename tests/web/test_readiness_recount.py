"""The readiness review API answers what the unit items, counted one by one, say.

After random ticks (done with or without evidence, reopened, not applicable)
spread over the weeks, the summary that `GET …/readiness-review` answers (its
totals, categories, waves with their forecast, and kommun heatmap, which the
database sums from the read model and the items done lately) equals the
review built in Python from every item's own row. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.rollout.forecast import PACE_WEEKS
from gatekeeper.core.rollout.readiness import build_review
from gatekeeper.core.rollout.rows import CellCounts
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import GatekeeperError
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.rollout.readiness_review import ReadinessReview
from gatekeeper.services.rollout.readiness_scope import load_units, load_waves
from gatekeeper.services.rollout.unit_checklist import update_unit_item
from gatekeeper.store.rollout.unit_tables import UnitItem
from gatekeeper.web.schemas.rollout import ReadinessReviewPublic
from tests.factories import api_client
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, start_rollout

API = f"/api/v1/projects/{ROLLOUT_KEY}/readiness-review"
STATUSES = (ItemStatus.DONE, ItemStatus.DONE, ItemStatus.OPEN, ItemStatus.NOT_APPLICABLE)
COUNTED = ("totals", "categories", "by_category", "waves", "kommuner")


@pytest.fixture
def rollout(ctx: Context) -> Context:
    """Two kommuner, each with two förvaltningar and two enheter: 10 units, 18 items each."""
    start_rollout(ctx, kommuner=2, units_per_kommun=2)
    return ctx


def recounted(ctx: Context) -> dict[str, Any]:
    """The summary as the review's rules read every item's own row, item by item."""
    today, since = ctx.today(), ctx.clock.now() - timedelta(weeks=PACE_WEEKS)
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=ROLLOUT_KEY)
        assert project.id is not None
        units, waves = load_units(session, project.id), load_waves(session, project.id)
        items = session.exec(select(UnitItem).where(col(UnitItem.project_id) == project.id)).all()
        go_live = {u.id: w.go_live_on for u in units for w in waves if w.id == u.wave_id}
        sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * 7 + [10**9])
        for item in items:
            cell = sums[item.unit_id, item.category]
            cell[7] = min(cell[7], item.position)
            if item.status is ItemStatus.NOT_APPLICABLE:
                continue
            done = item.status is ItemStatus.DONE
            lacking = done and item.evidence_required and not item.evidence
            due = go_live.get(item.unit_id)
            late = (
                item.status is ItemStatus.OPEN
                and due is not None
                and item.due_offset_days is not None
                and due + timedelta(days=item.due_offset_days) < today
            )
            cell[0] += 1
            cell[1] += done
            if item.mandatory:
                cell[2] += 1
                cell[3] += done and not lacking
                cell[4] += lacking
                cell[5] += late
                cell[6] += done and item.updated_at > since
    first: dict[str, int] = {}
    for (_, category), counts in sums.items():
        first[category] = min(first.get(category, counts[7]), counts[7])
    review = build_review(
        today=today,
        waves=waves,
        units=units,
        cells=[CellCounts(uid, category, *counts) for (uid, category), counts in sums.items()],
        items=[],
        risks=[],
        category_order=sorted(first, key=lambda category: (first[category], category)),
        sort_key=swedish_sort_key,
    )
    view = ReadinessReview(ROLLOUT_KEY, project.name, project.organisation, review, None, None,
                           (), ())  # fmt: skip
    answer = ReadinessReviewPublic.of(view, with_units=False).model_dump(mode="json")
    return {key: answer[key] for key in COUNTED}


ticks = st.lists(
    st.tuples(
        st.integers(0, 99),  # a unit, by index
        st.integers(0, 99),  # an item, by index
        st.sampled_from(STATUSES),
        st.booleans(),  # with evidence
        st.integers(0, 15),  # days before the tick
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=ticks)
def test_the_api_answers_what_the_items_count_one_by_one(
    rollout: Context, sequence: list[tuple[int, int, ItemStatus, bool, int]]
) -> None:
    ctx = rollout
    assert isinstance(ctx.clock, FixedClock)
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=ROLLOUT_KEY)
        assert project.id is not None
        keys = sorted(u.key for u in load_units(session, project.id))
    item_ids = [item.id for item in ctx.catalog.checklist("cutover").items]
    for unit_index, item_index, status, with_evidence, days in sequence:
        ctx.clock.advance(timedelta(days=days))
        # Refused (done without the evidence the item demands, say): nothing changes.
        with contextlib.suppress(GatekeeperError):
            update_unit_item(
                ctx,
                PROJEKTLEDARE,
                project_key=ROLLOUT_KEY,
                unit_key=keys[unit_index % len(keys)],
                item_id=item_ids[item_index % len(item_ids)],
                status=status,
                evidence="Protokoll i diariet" if with_evidence else None,
            )
    client: TestClient = api_client(ctx)  # a token of today: the clock has moved on
    answer = client.get(API)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert {key: body[key] for key in COUNTED} == recounted(ctx)
