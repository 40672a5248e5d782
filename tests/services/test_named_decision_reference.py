"""The diarienummer of a named decision (finansiering…), registered after the decision:
by the projektledare or an administrator, versioned, audited. Services, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from gatekeeper.errors import StaleVersion, ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import named_decision as named_decisions
from tests.factories import ADMIN, PROJEKTLEDARE, start_ibic

KEY = "ibic-alingsas"


@pytest.fixture
def finansiering(ctx: Context) -> Context:
    start_ibic(ctx)
    named_decisions.record_named_decision(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        key="finansiering",
        title="Finansiering beslutad av vård- och omsorgsnämnden",
        decided_on=date(2026, 10, 20),
    )
    return ctx


def _set(ctx: Context, reference: str, version: int | None = None) -> int:
    decision = named_decisions.set_named_decision_reference(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        key="finansiering",
        reference=reference,
        expected_version=version,
    )
    return decision.row_version


def test_the_projektledare_registers_and_changes_the_diarienummer(finansiering: Context) -> None:
    assert _set(finansiering, "  Dnr 2021.158 VON ", version=1) == 2
    assert _set(finansiering, "Dnr 2021.158 VON §53", version=2) == 3

    decision = named_decisions.get_named_decision(finansiering, KEY, "finansiering")
    assert decision.reference == "Dnr 2021.158 VON §53"
    events = [
        e
        for e in audit_log.list_events(finansiering, project_key=KEY, limit=500)
        if e.action == "decision.reference_set"
    ]
    assert [(e.object_id, e.before, e.after) for e in events] == [
        (f"{KEY}/finansiering", {"reference": ""}, {"reference": "Dnr 2021.158 VON"}),
        (
            f"{KEY}/finansiering",
            {"reference": "Dnr 2021.158 VON"},
            {"reference": "Dnr 2021.158 VON §53"},
        ),
    ]


def test_the_same_diarienummer_again_changes_nothing(finansiering: Context) -> None:
    _set(finansiering, "Dnr 2021.158 VON")
    count = len(audit_log.list_events(finansiering, limit=500))
    assert _set(finansiering, "Dnr 2021.158 VON") == 2
    assert len(audit_log.list_events(finansiering, limit=500)) == count


def test_an_administrator_may_register_it(finansiering: Context) -> None:
    from gatekeeper.services.access import account as accounts

    accounts.create_user(finansiering, ADMIN, email=ADMIN.id, name=ADMIN.name, is_admin=True)
    decision = named_decisions.set_named_decision_reference(
        finansiering, ADMIN, project_key=KEY, key="finansiering", reference="Dnr 2021.158 VON"
    )
    assert decision.reference == "Dnr 2021.158 VON"


def test_a_stale_version_is_refused_and_nothing_changes(finansiering: Context) -> None:
    _set(finansiering, "Dnr 2021.158 VON", version=1)
    with pytest.raises(StaleVersion):
        _set(finansiering, "Dnr 2021.999 VON", version=1)
    decision = named_decisions.get_named_decision(finansiering, KEY, "finansiering")
    assert (decision.reference, decision.row_version) == ("Dnr 2021.158 VON", 2)


@pytest.mark.parametrize("reference", ["", "   ", "D" * 201])
def test_an_empty_or_overlong_diarienummer_names_the_field(
    finansiering: Context, reference: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _set(finansiering, reference)
    assert refused.value.field == "reference"
