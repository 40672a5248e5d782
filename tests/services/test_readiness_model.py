"""The readiness read models are what the unit items count, after any writes.

After any sequence of ticks, unticks, bulk ticks, units added, imported, moved
and removed, the stored cells (`readiness_cell`) equal the cells counted afresh
from the items, with each unit's kommun as `core.rollout.unit_readiness.kommun_of`
finds it, and the wave × item rows (`readiness_item`) the open items; the
review's summary (summed by the database from the cells) agrees with the
review built from its unit rows; and concurrent writers never lose a count.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import threading
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from gatekeeper import store
from gatekeeper.core.rollout.readiness import Review
from gatekeeper.core.rollout.rows import UnitRow
from gatekeeper.core.rollout.unit_readiness import kommun_of
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import GatekeeperError
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.rollout import (
    bulk_tick,
    readiness_item_model,
    readiness_model,
    unit,
    unit_import,
    unit_move,
)
from gatekeeper.services.rollout import readiness_review as rollout_review
from gatekeeper.services.rollout.readiness_scope import load_units
from gatekeeper.services.rollout.unit_checklist import update_unit_item
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, WAVES, start_rollout

KEY = ROLLOUT_KEY
STATUSES = (ItemStatus.DONE, ItemStatus.OPEN, ItemStatus.NOT_APPLICABLE)
_SERIAL = itertools.count()  # keys of added units: never the same twice


@pytest.fixture
def rollout(ctx: Context) -> Context:
    """Two kommuner with two förvaltningar and three enheter each: 12 units, 18 items each."""
    start_rollout(ctx, kommuner=2, units_per_kommun=3)
    return ctx


def _units(ctx: Context) -> list[UnitRow]:
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        return load_units(session, project.id)


def _unit_keys(ctx: Context) -> list[str]:
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        return sorted(u.key for u in load_units(session, project.id))


def _parent_keys(ctx: Context) -> list[str]:
    """The kommuner and förvaltningar: the units an enhet may be imported under."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        return sorted(u.key for u in load_units(session, project.id) if u.kind != "enhet")


def _import(ctx: Context, n: int, *, wave_key: str, parent_key: str) -> None:
    """A kommun with a förvaltning and an enhet in `wave_key`, an enhet under `parent_key`
    (in its wave) and a förvaltning without a wave."""
    rows = [
        "nyckel;namn;typ;överordnad;våg;införandeansvarig;epost",
        f"ny-kommun-{n};Ny kommun {n};kommun;;{wave_key};;",
        f"ny-kommun-{n}-vo;Vård och omsorg;förvaltning;ny-kommun-{n};;;",
        f"ny-kommun-{n}-boende;Särskilt boende;enhet;ny-kommun-{n}-vo;;;",
        f"importerad-{n};Hemtjänst {n};enhet;{parent_key};;;",
        f"fristaende-{n};Fristående förvaltning {n};förvaltning;;;;",
    ]
    unit_import.import_units(
        ctx, PROJEKTLEDARE, project_key=KEY, data="\n".join(rows).encode(), filename="enheter.csv"
    )


def _item_ids(ctx: Context) -> list[str]:
    return [item.id for item in ctx.catalog.checklist("cutover").items]


def assert_model_is_counted(ctx: Context) -> None:
    """The stored cells are the items counted afresh, each with its unit's kommun."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        stored = readiness_model.cells_of(session, project.id)
        afresh = readiness_model.counted_afresh(session, project.id)
        units = load_units(session, project.id)
        kommun = {uid: top.id for uid, top in kommun_of({u.id: u for u in units}).items()}
        kommun_ids = dict(readiness_model.kommun_ids(session, project.id))
        open_items = readiness_item_model.open_items(session, project.id)
        open_afresh = readiness_item_model.counted_afresh(session, project.id)
    assert {(u, c): (t, d, m, s, p) for u, c, t, d, m, s, p in stored} == afresh
    assert kommun_ids == {uid: kommun[uid] for uid in kommun_ids}
    assert {tuple(row[:6]): (row[6], row[7]) for row in open_items} == open_afresh
    summary = rollout_review.readiness_review(ctx, KEY, with_units=False).review
    full = rollout_review.readiness_review(ctx, KEY, with_units=True).review
    assert summary.kommuner == full.kommuner
    assert summary.totals == full.totals
    assert _waves(summary) == _waves(full)
    assert summary.by_category == full.by_category
    assert summary.blockers == full.blockers


def _waves(review: Review) -> list[tuple[object, ...]]:
    """The waves as both forms of the review give them (the summary's units come without
    their cells)."""
    return [
        (w.wave, w.counts, w.forecast, w.suggestion, [replace(u, cells={}) for u in w.not_ready])
        for w in review.waves
    ]


Step = tuple[str, int, int, int]
steps = st.lists(
    st.tuples(
        st.sampled_from(("tick", "tick", "bulk", "move", "add", "import", "remove")),
        st.integers(0, 99),  # a unit, by index
        st.integers(0, 99),  # an item or a wave, by index
        st.integers(0, 2),  # a status
    ),
    min_size=1,
    max_size=6,
)


def _apply(ctx: Context, step: Step) -> None:
    kind, unit_index, other, status_index = step
    keys = _unit_keys(ctx)
    if not keys:
        return
    unit_key = keys[unit_index % len(keys)]
    items = _item_ids(ctx)
    item_id = items[other % len(items)]
    status = STATUSES[status_index]
    evidence = "https://intranat.vgregion.se/bevis.pdf" if status is ItemStatus.DONE else None
    if kind == "tick":
        update_unit_item(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            unit_key=unit_key,
            item_id=item_id,
            status=status,
            evidence=evidence,
        )
    elif kind == "bulk":
        bulk_tick.bulk_update_items(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            item_id=item_id,
            unit_keys=keys[unit_index % len(keys) :][:4],
            status=status,
            evidence=evidence,
        )
    elif kind == "move":
        unit_move.move_unit(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            unit_key=unit_key,
            wave_key=WAVES[other % len(WAVES)][0],
            motivation="Flyttad i ett test.",
        )
    elif kind == "add":
        n = next(_SERIAL)
        unit.add_unit(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            key=f"ny-enhet-{n}",
            name=f"Ny enhet {n}",
            kind="enhet",
            parent_key=unit_key,
        )
    elif kind == "import":
        parents = _parent_keys(ctx)
        _import(
            ctx,
            next(_SERIAL),
            wave_key=WAVES[other % len(WAVES)][0],
            parent_key=parents[unit_index % len(parents)] if parents else "ingen",
        )
    else:
        unit.remove_unit(ctx, PROJEKTLEDARE, project_key=KEY, unit_key=unit_key, with_children=True)


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_the_model_equals_the_items_counted_afresh_after_any_writes(
    rollout: Context, sequence: list[Step]
) -> None:
    for step in sequence:
        # Refused (an enhet under an enhet, a move to its own wave...): nothing changes.
        with contextlib.suppress(GatekeeperError):
            _apply(rollout, step)
        assert_model_is_counted(rollout)


def _open_per_wave(ctx: Context) -> dict[int | None, int]:
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        rows = readiness_item_model.open_items(session, project.id)
    found: dict[int | None, int] = {}
    for row in rows:
        found[row[0]] = found.get(row[0], 0) + row[6]
    return found


def test_an_import_adds_to_the_waves_it_joins_and_starts_those_it_opens(
    rollout: Context,
) -> None:
    """Borås (vag-1) and Alingsås (vag-2) are there; the import puts an enhet under
    Borås's förvaltning (vag-1, whose wave × item rows grow), a kommun with two units
    in vag-3 (rows of its own) and a förvaltning without a wave."""
    waves = {u.key: u.wave_id for u in _units(rollout)}
    before = _open_per_wave(rollout)
    items = len(_item_ids(rollout))

    _import(rollout, next(_SERIAL), wave_key="vag-3", parent_key="boras-vo")

    after = _open_per_wave(rollout)
    imported = {u.key: u.wave_id for u in _units(rollout) if u.key not in waves}
    vag_3 = imported[next(k for k in imported if k.startswith("ny-kommun-"))]
    assert vag_3 not in before and after[vag_3] == 3 * items
    assert after[waves["boras"]] == before[waves["boras"]] + items
    assert after[waves["alingsas"]] == before[waves["alingsas"]]
    assert after[None] == items
    assert_model_is_counted(rollout)


def test_a_recount_rebuilds_what_the_writes_kept(rollout: Context) -> None:
    keys = _unit_keys(rollout)
    bulk_tick.bulk_update_items(
        rollout,
        PROJEKTLEDARE,
        project_key=KEY,
        item_id=_item_ids(rollout)[0],
        unit_keys=keys,
        status=ItemStatus.DONE,
        evidence="https://intranat.vgregion.se/bevis.pdf",
    )
    with rollout.db.read() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        kept = readiness_model.cells_of(session, project.id)
    with rollout.db.write() as session:
        assert project.id is not None
        readiness_model.recount_project(session=session, project_id=project.id)
    with rollout.db.read() as session:
        assert sorted(readiness_model.cells_of(session, project.id)) == sorted(kept)
    assert_model_is_counted(rollout)


def _migration() -> ModuleType:
    # Found by its name, not its number: numbers are re-chained when branches merge.
    (path,) = (Path(store.__file__).parent / "migrations" / "versions").glob("*_readiness_cell.py")
    spec = importlib.util.spec_from_file_location("migration_0021", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migrations_back_fill_counts_what_the_writes_keep(rollout: Context) -> None:
    """An existing rollout upgraded: the back-fill's SQL gives the rows the writes keep."""
    keys = _unit_keys(rollout)
    for n, item_id in enumerate(_item_ids(rollout)[:3]):
        bulk_tick.bulk_update_items(
            rollout,
            PROJEKTLEDARE,
            project_key=KEY,
            item_id=item_id,
            unit_keys=keys[n:],
            status=STATUSES[n],
            evidence="https://intranat.vgregion.se/bevis.pdf" if n == 0 else None,
        )
    with rollout.db.read() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        cells = sorted(readiness_model.cells_of(session, project.id))
        kommuner = sorted(readiness_model.kommun_ids(session, project.id))
        items = sorted(readiness_item_model.open_items(session, project.id))
    migration = _migration()
    with rollout.db.write() as session:
        session.execute(text("DELETE FROM readiness_cell"))
        session.execute(text("DELETE FROM readiness_item"))
        session.execute(text(migration.BACKFILL))
        session.execute(text(migration.BACKFILL_ITEMS))
    with rollout.db.read() as session:
        assert sorted(readiness_model.cells_of(session, project.id)) == cells
        assert sorted(readiness_model.kommun_ids(session, project.id)) == kommuner
        assert sorted(readiness_item_model.open_items(session, project.id)) == items


def test_concurrent_ticks_keep_every_count(rollout: Context) -> None:
    """Two threads tick different items of the same units at once: no count is lost."""
    keys = _unit_keys(rollout)[:4]
    items = _item_ids(rollout)
    errors: list[BaseException] = []

    def worker(mine: list[str]) -> None:
        try:
            for item_id in mine:
                for unit_key in keys:
                    update_unit_item(
                        rollout,
                        PROJEKTLEDARE,
                        project_key=KEY,
                        unit_key=unit_key,
                        item_id=item_id,
                        status=ItemStatus.NOT_APPLICABLE,
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(items[n:6:2],)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_model_is_counted(rollout)


def test_concurrent_shifts_of_one_cell_add_up(rollout: Context) -> None:
    """The increment is atomic even without the project lock the use cases take: two
    transactions shifting one cell at once both count (PostgreSQL: the row lock of an
    UPDATE ... SET n = n + 1; SQLite: BEGIN IMMEDIATE)."""
    with rollout.db.read() as session:
        project = project_by_key(session=session, key=KEY)
        assert project.id is not None
        unit_id, category, total, *_ = readiness_model.cells_of(session, project.id)[0]
    rounds = 15
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(rounds):
                with rollout.db.write() as session:
                    readiness_model.shift(
                        session=session,
                        changes=[
                            (unit_id, category, ItemStatus.NOT_APPLICABLE, True, ItemStatus.DONE)
                        ],
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with rollout.db.read() as session:
        after = {(u, c): t for u, c, t, *_ in readiness_model.cells_of(session, project.id)}
    assert after[unit_id, category] == total + 2 * rounds
