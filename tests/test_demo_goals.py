"""The demo's goals: IBIC's effektmål and nytta with measurements (seed 000), and the
Danish ICS project's implementeringsbarometer with its sigtepunkter, measured once
in each lap (seed 001); and "Vårdens medarbetare" with its delprojekt (seed 004)."""

from __future__ import annotations

from gatekeeper.core.followup.goal import GoalKind
from gatekeeper.services.context import Context
from gatekeeper.services.followup.goal_view import goals_view
from gatekeeper.services.gates.readiness import gate_readiness


def test_ibic_has_effektmal_measured_twice_and_a_nytta_of_the_receiving_forvaltning(
    demo: Context,
) -> None:
    view = goals_view(demo, "ibic-alingsas", "sara.holm@alingsas.example")

    assert [group.kind for group in view.groups] == [GoalKind.EFFEKTMAL, GoalKind.NYTTA]
    effektmal = view.groups[0].entries
    assert len(effektmal) == 2
    assert all(len(entry.measurements) == 2 for entry in effektmal)
    nytta = view.entry("dubbeldokumentation").goal
    assert nytta.organisation.startswith("Vård- och omsorgsförvaltningen")
    assert view.may_edit


def test_the_ics_barometer_and_its_sigtepunkter_are_measured_once_per_lap(
    demo: Context,
) -> None:
    view = goals_view(demo, "ics-forankring-skanderborg", "sofie.norgaard@skanderborg.example")

    barometer = view.entry("barometer")
    assert barometer.goal.unit == "1–5"
    assert [m.row.value for m in barometer.measurements] == ["2,6", "3"]
    sigtepunkter = [e for e in view.entries if e.parent is not None]
    assert len(sigtepunkter) == 2
    assert {e.parent.key for e in sigtepunkter if e.parent} == {"barometer"}
    # lap 2's measurement stands against lap 1's, per sigtepunkt
    for entry in (barometer, *sigtepunkter):
        first, second = entry.measurements
        assert first.row.measured_on.year == 2025 and second.row.measured_on.year == 2026
        assert second.comparison.change is not None and second.comparison.change > 0


def test_the_demo_ibic_project_is_judged_on_its_goals_in_uppfoljning_klar(
    demo: Context,
) -> None:
    verdict = gate_readiness(demo, "ibic-alingsas", "uppfoljning-klar").verdict
    result = next(r for r in verdict.results if r.kind == "goals_measured")

    # the training goal's mätpunkt of 15 November was measured on the 16th
    assert result.passed, result.details


def test_vardens_medarbetare_has_two_delprojekt_handing_over_to_their_own_forvaltning(
    demo: Context,
) -> None:
    from gatekeeper.services.projects.subproject import family

    parent = family(demo, "vardens-medarbetare")
    assert [(s.name, s.leaders, s.handed_over) for s in parent.subprojects] == [
        ("Delprojekt 1: Gemensamma villkor vid vidareutbildning", ("Ulla Berglöf",), False),
        ("Delprojekt 3: Gemensamma utbildningar", ("Åsa Nordin",), False),
    ]
    assert parent.subprojects[0].receiving_unit == "HR-avdelningarna i Skaraborgs kommuner"
    child = family(demo, "vardens-medarbetare-utbildningar")
    assert child.parent is not None and child.parent.key == "vardens-medarbetare"
