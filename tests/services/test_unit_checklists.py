"""Unit checklists: ticking one unit's item, ticking many units at once, and races between them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from gatekeeper.core.actor import Actor
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from tests.rollout_factories import (
    PROJEKTLEDARE,
    ROLLOUT_KEY,
    STYRGRUPP,
    enhet_keys,
    kommun_email,
    start_rollout,
)

EVIDENCE = "https://intranat.boras.se/inforande/deltagarlista.xlsx"
BORAS = Actor.user(kommun_email("Borås"), "Införandeansvarig Borås")
BORAS_VO = Actor.user(kommun_email("Borås", "vo"), "Införandeansvarig VO Borås")


def _item(ctx: Context, unit_key: str, item_id: str) -> unit_checklists.UnitItemView:
    checklist = unit_checklists.unit_checklist(ctx, ROLLOUT_KEY, unit_key)
    return next(view for view in checklist.items if view.row.item_id == item_id)


def test_the_inforandeansvarig_of_an_ancestor_ticks_a_unit_item(ctx: Context) -> None:
    start_rollout(ctx, kommuner=2, units_per_kommun=2)

    item = unit_checklists.update_unit_item(
        ctx,
        BORAS,
        project_key=ROLLOUT_KEY,
        unit_key="boras-hemtjanst-norr",
        item_id="behorigheter",
        status=ItemStatus.DONE,
        comment="Alla beställda via IT-portalen.",
    )

    assert item.status is ItemStatus.DONE and item.row_version == 2
    assert item.updated_by == str(BORAS)
    event = audit_log.list_events(ctx, project_key=ROLLOUT_KEY)[-1]
    assert event.action == "unit.item.updated"
    assert event.object_id == f"{ROLLOUT_KEY}/boras-hemtjanst-norr/cutover/behorigheter"
    assert event.before["status"] == "open" and event.after["status"] == "done"


def test_others_may_not_tick_a_unit_item(ctx: Context) -> None:
    start_rollout(ctx, kommuner=2, units_per_kommun=2)
    for actor, unit_key in (
        (STYRGRUPP, "boras-hemtjanst-norr"),  # a member, but not responsible
        (BORAS, "alingsas-hemtjanst-norr"),  # responsible for another kommun
        (BORAS_VO, "boras-hemtjanst-soder"),  # under the other förvaltning
    ):
        with pytest.raises(PermissionDenied):
            unit_checklists.update_unit_item(
                ctx,
                actor,
                project_key=ROLLOUT_KEY,
                unit_key=unit_key,
                item_id="behorigheter",
                status=ItemStatus.DONE,
            )


def test_an_item_that_demands_evidence_is_not_done_without_it(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    with pytest.raises(ValidationFailed) as refused:
        unit_checklists.update_unit_item(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            unit_key="boras-hemtjanst-norr",
            item_id="utbildning-genomford",
            status=ItemStatus.DONE,
        )
    assert refused.value.field == "evidence"

    done = unit_checklists.update_unit_item(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        unit_key="boras-hemtjanst-norr",
        item_id="utbildning-genomford",
        status=ItemStatus.DONE,
        evidence=EVIDENCE,
        expected_version=1,
    )
    assert done.evidence == EVIDENCE
    # N/A and untick need none.
    unit_checklists.update_unit_item(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        unit_key="boras-hemtjanst-norr",
        item_id="migrering",
        status=ItemStatus.NOT_APPLICABLE,
        comment="Inga pågående ärenden att flytta.",
    )


def test_a_tick_on_a_stale_copy_is_refused(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    kwargs: dict[str, Any] = {
        "project_key": ROLLOUT_KEY,
        "unit_key": "boras-hemtjanst-norr",
        "item_id": "behorigheter",
    }
    unit_checklists.update_unit_item(
        ctx, PROJEKTLEDARE, status=ItemStatus.DONE, expected_version=1, **kwargs
    )
    with pytest.raises(StaleVersion):
        unit_checklists.update_unit_item(
            ctx, PROJEKTLEDARE, status=ItemStatus.OPEN, expected_version=1, **kwargs
        )
    with pytest.raises(NotFound):
        unit_checklists.update_unit_item(
            ctx, PROJEKTLEDARE, status=ItemStatus.DONE, **{**kwargs, "item_id": "finns-inte"}
        )


def test_bulk_tick_refuses_per_unit_and_does_the_rest(ctx: Context) -> None:
    start_rollout(ctx, kommuner=2, units_per_kommun=4)
    boras_enheter = [k for k in enhet_keys(ROLLOUT_KEY, ctx) if k.startswith("boras-")]
    alingsas = "alingsas-hemtjanst-norr"
    # One Borås unit already done by hand; one asked for twice.
    unit_checklists.update_unit_item(
        ctx,
        BORAS,
        project_key=ROLLOUT_KEY,
        unit_key=boras_enheter[0],
        item_id="utbildning-genomford",
        status=ItemStatus.DONE,
        evidence=EVIDENCE,
    )

    result = unit_bulk.bulk_update_items(
        ctx,
        BORAS,
        project_key=ROLLOUT_KEY,
        item_id="utbildning-genomford",
        unit_keys=[*boras_enheter, boras_enheter[1], alingsas, "goteborg-hemtjanst"],
        status=ItemStatus.DONE,
        evidence=EVIDENCE,
    )

    assert result.already == (boras_enheter[0],)
    assert result.done == tuple(boras_enheter[1:])
    refused = {r.unit_key: r.reason for r in result.refused}
    assert set(refused) == {alingsas, "goteborg-hemtjanst"}
    assert "införandeansvarig" in refused[alingsas]
    assert "finns inte" in refused["goteborg-hemtjanst"]
    assert _item(ctx, boras_enheter[2], "utbildning-genomford").row.status is ItemStatus.DONE
    assert _item(ctx, alingsas, "utbildning-genomford").row.status is ItemStatus.OPEN
    assert _item(ctx, boras_enheter[2], "utbildning-genomford").row.row_version == 2
    event = audit_log.list_events(ctx, project_key=ROLLOUT_KEY)[-1]
    assert event.action == "unit.items.bulk_updated"
    assert event.after["units"] == list(result.done)


def test_bulk_tick_without_evidence_refuses_the_units_that_have_none(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=2)
    first, second = enhet_keys(ROLLOUT_KEY, ctx)[:2]
    unit_checklists.update_unit_item(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        unit_key=first,
        item_id="utbildning-genomford",
        status=ItemStatus.OPEN,
        evidence=EVIDENCE,  # evidence uploaded, not yet ticked
    )

    result = unit_bulk.bulk_update_items(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        item_id="utbildning-genomford",
        unit_keys=[first, second],
        status=ItemStatus.DONE,
    )

    assert result.done == (first,)
    assert [r.unit_key for r in result.refused] == [second]
    assert "underlag" in result.refused[0].reason


def test_bulk_tick_of_an_unknown_item_or_no_units_is_refused(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    with pytest.raises(NotFound):
        unit_bulk.bulk_update_items(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            item_id="finns-inte",
            unit_keys=["boras"],
            status=ItemStatus.DONE,
        )
    with pytest.raises(ValidationFailed) as empty:
        unit_bulk.bulk_update_items(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            item_id="behorigheter",
            unit_keys=[" "],
            status=ItemStatus.DONE,
        )
    assert empty.value.field == "unit_keys"


def test_bulk_tick_of_a_thousand_units(ctx: Context) -> None:
    start_rollout(ctx, kommuner=49, units_per_kommun=18)  # 49 × 21 = 1,029 units
    keys = [row for row in enhet_keys(ROLLOUT_KEY, ctx)]
    assert len(keys) == 49 * 18

    result = unit_bulk.bulk_update_items(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        item_id="behorigheter",
        unit_keys=keys,
        status=ItemStatus.DONE,
    )

    assert len(result.done) == len(keys) and not result.refused
    again = unit_bulk.bulk_update_items(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        item_id="behorigheter",
        unit_keys=keys,
        status=ItemStatus.DONE,
    )
    assert len(again.already) == len(keys) and not again.done


def _race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once in threads; their results or raised errors, in order."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = calls[index]()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_bulk_ticks_at_once_are_serialised(ctx: Context) -> None:
    """Both wait on the project lock; the second sees the first's result, so every
    unit is written once: `done` by one and `already` by the other."""
    start_rollout(ctx, kommuner=3, units_per_kommun=6)
    keys = enhet_keys(ROLLOUT_KEY, ctx)

    def bulk() -> unit_bulk.BulkResult:
        return unit_bulk.bulk_update_items(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            item_id="behorigheter",
            unit_keys=keys,
            status=ItemStatus.DONE,
        )

    first, second = _race(bulk, bulk)

    assert sorted([len(first.done), len(second.done)]) == [0, len(keys)]
    assert sorted([len(first.already), len(second.already)]) == [0, len(keys)]
    versions = {_item(ctx, key, "behorigheter").row.row_version for key in keys}
    assert versions == {2}  # written exactly once
    bulk_events = [
        e
        for e in audit_log.list_events(ctx, project_key=ROLLOUT_KEY)
        if e.action == "unit.items.bulk_updated"
    ]
    assert len(bulk_events) == 1


def test_a_single_tick_racing_a_bulk_tick(ctx: Context) -> None:
    """Serialised on the project lock. If the single tick (If-Match version 1) goes
    first, the bulk tick reports that unit as `already`; if the bulk goes first, the
    single tick's version is stale and it is refused (412), never silently lost."""
    start_rollout(ctx, kommuner=1, units_per_kommun=4)
    keys = enhet_keys(ROLLOUT_KEY, ctx)
    target = keys[0]

    def single() -> Any:
        return unit_checklists.update_unit_item(
            ctx,
            BORAS,
            project_key=ROLLOUT_KEY,
            unit_key=target,
            item_id="utrustning",
            status=ItemStatus.DONE,
            expected_version=1,
        )

    def bulk() -> unit_bulk.BulkResult:
        return unit_bulk.bulk_update_items(
            ctx,
            PROJEKTLEDARE,
            project_key=ROLLOUT_KEY,
            item_id="utrustning",
            unit_keys=keys,
            status=ItemStatus.DONE,
        )

    single_result, bulk_result = _race(single, bulk)

    if isinstance(single_result, StaleVersion):
        assert target in bulk_result.done
    else:
        assert single_result.status is ItemStatus.DONE
        assert bulk_result.already == (target,)
        assert target not in bulk_result.done
    assert set(bulk_result.done) | set(bulk_result.already) == set(keys)
    assert _item(ctx, target, "utrustning").row.row_version == 2
