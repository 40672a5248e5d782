"""schemathesis against the OpenAPI document: no input makes the server answer 500,
and every answer matches what the document promises (status, content type, schema).

Left out: schemathesis' "schema-valid request rejected" check. A body can fit
the schema and still be refused by the domain (an unknown project in a token's
scope, a recycle to a phase never visited) with a 4xx problem; that is correct.

One test per operation, a bounded number of generated requests each, in-process
on SQLite with a seed-shaped project and an admin token, so that paths which
exist are reached as well as the ones that do not.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from gatekeeper.core.clock import FixedClock
from gatekeeper.definitions import (
    Catalog,
    load_catalog,
    shipped_checklists_dir,
    shipped_workflows_dir,
)
from gatekeeper.services.context import Context
from gatekeeper.store.database import Database
from gatekeeper.web.app import create_app
from tests.conftest import DEMO_NOW
from tests.factories import bearer, start_ibic

EXAMPLES_PER_OPERATION = 15


def _labels() -> list[str]:
    """Every operation of the document (the document needs no database)."""
    catalog = load_catalog([shipped_workflows_dir()], [shipped_checklists_dir()])
    app = create_app(context=Context(db=Database("sqlite://"), catalog=catalog))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    return sorted(result.ok().label for result in schema.get_all_operations())


@pytest.fixture(scope="module")
def fuzz_target(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> Iterator[tuple[Any, dict[str, str]]]:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    shutil.copy(sqlite_template, path)  # migrated once for the session
    database = Database(f"sqlite:///{path}")
    ctx = Context(db=database, catalog=catalog, clock=FixedClock(DEMO_NOW))
    start_ibic(ctx)
    headers = bearer(ctx, "registrator@alingsas.se", admin=True)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(context=ctx))
    yield schema, headers
    database.dispose()


@pytest.mark.parametrize("label", _labels())
def test_no_input_breaks_the_api_or_its_promises(
    fuzz_target: tuple[Any, dict[str, str]], label: str
) -> None:
    schema, headers = fuzz_target
    [operation] = [
        result.ok() for result in schema.get_all_operations() if result.ok().label == label
    ]

    @given(operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()
