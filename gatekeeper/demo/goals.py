"""Demo goals, nyttor and measurements, from the users' own documents.

The IBIC project in Alingsås (seed 000) gets two effektmål from its
uppföljningsmått (mätetal, metod, mätpunkt, ansvarig) with a couple of
measurements each, and one nytta of the nyttoregister followed up by the
receiving förvaltning. The Danish ICS project (seed 001) gets its
implementeringsbarometer as a goal on the 1–5 scale with two sigtepunkter as
delmål, each measured once per lap: in lap 1 (September 2025) and in lap 2
(September 2026), so each lap's measurement stands against the previous one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gatekeeper.core.actor import Actor
from gatekeeper.core.followup.goal import GoalKind
from gatekeeper.services.context import Context
from gatekeeper.services.followup import goal as goals
from gatekeeper.services.followup import measurement as measurements
from gatekeeper.services.followup.goal_fields import GoalFields

_D = date.fromisoformat

# project key -> goals: (key, parent key, fields, measurements (date, value, källa, kommentar))
DEMO_GOALS: dict[
    str, list[tuple[str, str | None, dict[str, Any], list[tuple[str, str, str, str]]]]
] = {
    "ibic-alingsas": [
        (
            "utbildade",
            None,
            {
                "kind": GoalKind.EFFEKTMAL,
                "title": "Alla som arbetar med IBIC har gått utbildningen",
                "purpose": "Likvärdig hantering av ansökan, utredning, planering och uppföljning.",
                "indicator": "Andel anställda som gått utbildning i IBIC (chefer, handläggare, "
                "IBIC-ombud, utförarpersonal)",
                "method": "Uppföljning av deltagarlistor; utvärderingar förvaras i Alfresco",
                "unit": "%",
                "baseline": "0",
                "baseline_on": _D("2026-03-01"),
                "target": "90",
                "target_on": _D("2027-06-30"),
                "responsible": "Sara Holm",
                "measure_points": (_D("2026-08-31"), _D("2026-11-15"), _D("2027-03-31")),
            },
            [
                ("2026-08-31", "38", "Deltagarlistor", "Cheferna och handläggarna klara."),
                ("2026-11-16", "64", "Deltagarlistor", "Utförarpersonalen i hemtjänsten kvar."),
            ],
        ),
        (
            "genomforandeplaner",
            None,
            {
                "kind": GoalKind.EFFEKTMAL,
                "title": "Nya genomförandeplaner skrivs enligt IBIC",
                "purpose": "Bättre möjlighet till delaktighet för individen.",
                "indicator": "Andel nya genomförandeplaner enligt IBIC",
                "method": "Kontroll av alla nya genomförandeplaner i verksamhetssystemet",
                "unit": "%",
                "baseline": "12",
                "baseline_on": _D("2026-06-30"),
                "target": "95",
                "target_on": _D("2027-12-31"),
                "responsible": "Sara Holm",
                "measure_points": (_D("2026-10-31"), _D("2027-01-31"), _D("2027-06-30")),
            },
            [
                ("2026-07-15", "18", "Verksamhetssystemet", ""),
                ("2026-10-31", "41", "Verksamhetssystemet", "Återkopplat till lokal projektgrupp."),
            ],
        ),
        (
            "dubbeldokumentation",
            None,
            {
                "kind": GoalKind.NYTTA,
                "title": "Mindre dubbeldokumentation med en enhetlig terminologi",
                "indicator": "Minuter per dag och handläggare för dokumentation",
                "method": "Tidsstudie två veckor per halvår",
                "unit": "minuter",
                "baseline": "55",
                "baseline_on": _D("2026-04-30"),
                "target": "35",
                "target_on": _D("2028-06-30"),
                "responsible": "Lena Åkesson",
                "organisation": "Vård- och omsorgsförvaltningen, Alingsås kommun",
                "measure_points": (_D("2027-10-31"), _D("2028-04-30")),
            },
            [("2026-10-15", "52", "Tidsstudie v. 41–42", "Före driftstart; nollmätning två.")],
        ),
    ],
    "ics-forankring-skanderborg": [
        (
            "barometer",
            None,
            {
                "kind": GoalKind.EFFEKTMAL,
                "title": "ICS er forankret i praksis på børne- og ungeområdet",
                "purpose": "Det nye, man skal gøre, bliver til det, vi plejer at gøre.",
                "indicator": "Implementeringsbarometeret, samlet score",
                "method": "Måling med implementeringsbarometeret",
                "unit": "1–5",
                "baseline": "2,6",
                "baseline_on": _D("2025-09-30"),
                "target": "3,5",
                "target_on": _D("2027-12-09"),
                "responsible": "Sofie Nørgaard",
                "measure_points": (_D("2025-09-30"), _D("2026-09-30"), _D("2027-12-09")),
            },
            [
                (
                    "2025-09-30",
                    "2,6",
                    "Rapport fra implementeringsbarometeret",
                    "Måling 1 (runde 1).",
                ),
                (
                    "2026-09-30",
                    "3,0",
                    "Rapport fra implementeringsbarometeret",
                    "Måling 2 (runde 2).",
                ),
            ],
        ),
        (
            "sigtepunkt-faelles-sprog",
            "barometer",
            {
                "kind": GoalKind.DELMAL,
                "title": "Sigtepunkt: fælles sprog om barnets udvikling i tværfagligt samarbejde",
                "indicator": "Barometerets score for sigtepunktet",
                "unit": "1–5",
                "baseline": "2,1",
                "baseline_on": _D("2025-09-30"),
                "target": "3,2",
                "target_on": _D("2027-09-30"),
                "responsible": "Anders Højgaard",
                "measure_points": (_D("2025-09-30"), _D("2026-09-30"), _D("2027-12-09")),
            },
            [
                (
                    "2025-09-30",
                    "2,1",
                    "Rapport fra implementeringsbarometeret",
                    "Måling 1 (runde 1).",
                ),
                (
                    "2026-09-30",
                    "2,8",
                    "Rapport fra implementeringsbarometeret",
                    "Måling 2 (runde 2).",
                ),
            ],
        ),
        (
            "sigtepunkt-underretninger",
            "barometer",
            {
                "kind": GoalKind.DELMAL,
                "title": "Sigtepunkt: underretninger bruger ICS-trekanten",
                "indicator": "Barometerets score for sigtepunktet",
                "unit": "1–5",
                "baseline": "2,4",
                "baseline_on": _D("2025-09-30"),
                "target": "3,5",
                "target_on": _D("2027-09-30"),
                "responsible": "Sofie Nørgaard",
                "measure_points": (_D("2025-09-30"), _D("2026-09-30"), _D("2027-12-09")),
            },
            [
                (
                    "2025-09-30",
                    "2,4",
                    "Rapport fra implementeringsbarometeret",
                    "Måling 1 (runde 1).",
                ),
                (
                    "2026-09-30",
                    "2,7",
                    "Rapport fra implementeringsbarometeret",
                    "Måling 2 (runde 2).",
                ),
            ],
        ),
    ],
}


def add_demo_goals(ctx: Context, actor: Actor, project_key: str) -> None:
    """The demo goals and measurements of `project_key` (none for the other projects)."""
    for key, parent, fields, values in DEMO_GOALS.get(project_key, []):
        goals.add_goal(
            ctx, actor, project_key=project_key, fields=GoalFields(**fields), key=key, parent=parent
        )
        for measured_on, value, source, comment in values:
            measurements.record_measurement(
                ctx,
                actor,
                project_key=project_key,
                goal=key,
                measured_on=_D(measured_on),
                value=value,
                source=source,
                comment=comment,
            )
