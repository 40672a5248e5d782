"""The rollout's unit criteria: a share of a wave's units ready, and its named units ready."""

from __future__ import annotations

from pydantic import TypeAdapter

from gatekeeper.core.criteria import AnyCriterion, GateContext
from gatekeeper.core.criteria.base import UnitScope, UnitState
from gatekeeper.core.criteria.named_units_ready import NamedUnitsReady
from gatekeeper.core.criteria.units_ready_share import UnitsReadyShare

BORAS = UnitState("boras", "Borås kommun", ready=False)
HEMTJANST = UnitState("boras-hemtjanst-norr", "Hemtjänst Norr", ready=True)
SOLGARDEN = UnitState("boras-sarskilt-boende-solgarden", "Särskilt boende Solgården", ready=True)
VARGARDA = UnitState("vargarda", "Vårgårdas kommun", ready=True)


def _wave(*units: UnitState, required: tuple[UnitState, ...] = ()) -> GateContext:
    return GateContext(items=(), units=UnitScope("Våg 1", tuple(units), required))


def test_units_ready_share_counts_the_wave_and_names_who_is_not_ready() -> None:
    criterion = UnitsReadyShare(min_share=0.8)
    failing = criterion.evaluate(_wave(BORAS, HEMTJANST, SOLGARDEN, VARGARDA))
    assert not failing.passed
    assert failing.measured == "3 av 4 (75 %)"
    assert failing.message_sv == (
        "3 av 4 enheter i Våg 1 är redo (75 %), vilket inte når kravet på minst 80 %."
    )
    assert failing.details == ("Inte redo: Borås kommun",)
    passing = UnitsReadyShare(min_share=0.75).evaluate(_wave(BORAS, HEMTJANST, SOLGARDEN, VARGARDA))
    assert passing.passed and "vilket når kravet på minst 75 %" in passing.message_sv


def test_unit_criteria_do_not_apply_without_units_and_pass_on_an_empty_wave() -> None:
    none = GateContext(items=())
    for criterion in (UnitsReadyShare(min_share=0.9), NamedUnitsReady()):
        result = criterion.evaluate(none)
        assert result.passed and not result.applies  # shown as "Gäller inte", not as met
        assert result.message_sv == "Projektet har inga enheter i vågor; kriteriet gäller inte."
    empty = UnitsReadyShare(min_share=0.9).evaluate(_wave())
    assert empty.passed and empty.applies
    assert empty.message_sv == "Inga enheter att bedöma i Våg 1."


def test_named_units_ready_fails_on_each_named_unit_not_ready() -> None:
    criterion = NamedUnitsReady()
    failing = criterion.evaluate(_wave(BORAS, HEMTJANST, VARGARDA, required=(BORAS, VARGARDA)))
    assert not failing.passed
    assert failing.measured == "1 av 2"
    assert failing.message_sv == (
        "1 av 2 namngivna enheter i Våg 1 är redo; inte redo: Borås kommun."
    )
    passing = criterion.evaluate(_wave(BORAS, VARGARDA, required=(VARGARDA,)))
    assert passing.passed and passing.message_sv == "Alla 1 namngivna enheter i Våg 1 är redo."
    nobody = criterion.evaluate(_wave(BORAS))
    assert nobody.passed
    assert nobody.message_sv == "Inga enheter är namngivna som krav för Våg 1."


def test_the_unit_criteria_load_from_yaml_shaped_data() -> None:
    adapter: TypeAdapter[AnyCriterion] = TypeAdapter(AnyCriterion)
    assert adapter.validate_python({"kind": "units_ready_share", "min_share": 0.8}) == (
        UnitsReadyShare(min_share=0.8)
    )
    assert adapter.validate_python({"kind": "named_units_ready"}) == NamedUnitsReady()
