"""The demo's regional rollout: one system to Västra Götaland's 49 kommuner, in three waves.

Seed 003 (the VGR workshop) asks for "en plan för hur vi säkrar upp att
mottagarna är redo innan driftstart på verksamhetsnivå". This builds such a
rollout through the same services users call: the project, three waves with
go-live dates in the spring term of 2027, about 1,000 units (kommun →
förvaltning → enhet) imported from one CSV file, and the units' cut-over
checklists ticked in bulk over the past weeks, so that the readiness review
has something to say: some kommuner nearly ready, some late, some missing
evidence, one overdue item holding back many units, and high risks. The states
come from a seeded random generator, so every run builds the same rollout.
Each kommun's införandeansvarig is a demo user and a project member.
"""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ItemStatus
from gatekeeper.demo.project import build_project
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import risk as risks
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from gatekeeper.services.rollout import unit_import
from gatekeeper.services.rollout import wave as waves
from gatekeeper.services.rollout.import_row import COLUMNS

KEY = "vgr-verksamhetssystem"
NAME = "Införande av nytt verksamhetssystem i Västra Götaland"
LEADER = Actor.user("helena.berglund@vgregion.se", "Helena Berglund")
MEMBERS = (
    ("Helena Berglund", "helena.berglund@vgregion.se", "projektledare"),
    ("Anders Lindström", "anders.lindstrom@vgregion.se", "bestallare"),
    ("Maria Johansson", "maria.johansson@vgregion.se", "styrgrupp"),
    ("Omar Haddad", "omar.haddad@vgregion.se", "styrgrupp"),
    ("Lena Åkesson", "lena.akesson@vgregion.se", "forandringsledare"),
)
WAVES = (
    ("vag-1", "Våg 1 – Sjuhärad och pilotkommuner", date(2027, 1, 18)),
    ("vag-2", "Våg 2 – Göteborgsregionen och Fyrbodal", date(2027, 3, 15)),
    ("vag-3", "Våg 3 – Skaraborg", date(2027, 5, 17)),
)
# Västra Götalands 49 kommuner by delregion, with the number of enheter each rolls out to.
KOMMUNER: tuple[tuple[str, str, int], ...] = (
    ("Borås", "vag-1", 36), ("Alingsås", "vag-1", 22), ("Bollebygd", "vag-1", 12),
    ("Herrljunga", "vag-1", 13), ("Mark", "vag-1", 20), ("Svenljunga", "vag-1", 13),
    ("Tranemo", "vag-1", 13), ("Ulricehamn", "vag-1", 18), ("Vårgårda", "vag-1", 13),
    ("Göteborg", "vag-2", 60), ("Ale", "vag-2", 18), ("Härryda", "vag-2", 20),
    ("Kungälv", "vag-2", 22), ("Lerum", "vag-2", 20),
    ("Lilla Edet", "vag-2", 13), ("Mölndal", "vag-2", 24), ("Partille", "vag-2", 20),
    ("Stenungsund", "vag-2", 18), ("Tjörn", "vag-2", 14), ("Öckerö", "vag-2", 12),
    ("Bengtsfors", "vag-2", 13), ("Dals-Ed", "vag-2", 12), ("Färgelanda", "vag-2", 12),
    ("Lysekil", "vag-2", 14), ("Mellerud", "vag-2", 13), ("Munkedal", "vag-2", 13),
    ("Orust", "vag-2", 14), ("Sotenäs", "vag-2", 13), ("Strömstad", "vag-2", 14),
    ("Tanum", "vag-2", 14), ("Trollhättan", "vag-2", 26), ("Uddevalla", "vag-2", 26),
    ("Vänersborg", "vag-2", 22), ("Åmål", "vag-2", 14),
    ("Essunga", "vag-3", 12), ("Falköping", "vag-3", 20), ("Grästorp", "vag-3", 12),
    ("Gullspång", "vag-3", 12), ("Götene", "vag-3", 14), ("Hjo", "vag-3", 13),
    ("Karlsborg", "vag-3", 12), ("Lidköping", "vag-3", 22), ("Mariestad", "vag-3", 20),
    ("Skara", "vag-3", 16), ("Skövde", "vag-3", 26), ("Tibro", "vag-3", 14),
    ("Tidaholm", "vag-3", 14), ("Töreboda", "vag-3", 13), ("Vara", "vag-3", 16),
)  # fmt: skip
STADER = {"Göteborg", "Borås", "Trollhättan", "Mölndal", "Lidköping"}
FORVALTNINGAR = (("vo", "Vård- och omsorgsförvaltningen"), ("ifo", "Socialförvaltningen"))
ENHETER = (
    "Hemtjänst Norr", "Hemtjänst Söder", "Hemtjänst Centrum", "Hemtjänst Väster",
    "Särskilt boende Solgården", "Särskilt boende Björkhagen", "Särskilt boende Ekbacken",
    "Särskilt boende Lindgården", "Korttidsboende Ängen", "Hemsjukvård", "Rehabenheten",
    "Nattpatrullen", "Daglig verksamhet Verkstan", "Gruppbostad Linden",
    "Personlig assistans", "Biståndsenheten", "Mottagningsenheten", "Barn och unga",
    "Ekonomiskt bistånd", "Missbruk och beroende", "Familjebehandling", "Socialpsykiatri",
    "Boendestöd", "Familjehemsenheten",
)  # fmt: skip
FIRST = (
    "Anna", "Erik", "Karin", "Johan", "Sara", "Mikael", "Eva", "Ahmed", "Linnea", "Per",
    "Fatima", "Jonas", "Ingrid", "Daniel", "Emma", "Lars", "Sofia", "Nils", "Maja", "Ali",
)  # fmt: skip
LAST = (
    "Andersson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Hassan", "Holm",
    "Bergström", "Sandberg", "Lundqvist", "Ek", "Wallin", "Forsberg",
)  # fmt: skip
# How far each kind of kommun has come: the chance that an item is done when its deadline
# is near or passed, and when it is not; and in which of TICK_WEEKS (weeks back from today)
# its items were ticked, by weight (a late kommun has all but stopped: its pace is low).
TICK_WEEKS = (10, 6, 3, 1)
PROFILES = {
    "nara-redo": (1.0, 0.99, (3, 3, 2, 1)),
    "i-fas": (0.95, 0.45, (4, 3, 1, 1)),
    "sen": (0.55, 0.12, (6, 3, 1, 0)),
    "underlag": (0.95, 0.45, (3, 3, 1, 1)),  # as i-fas, but evidence is slow to come
}


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def _kommun_name(name: str) -> str:
    if name in STADER:
        return f"{name}{'' if name.endswith('s') else 's'} Stad"
    return f"{name}{'' if name.endswith(('s', 'x', 'z')) else 's'} kommun"


def inforandeansvariga() -> dict[str, str]:
    """E-mail → name of each kommun's införandeansvarig (demo users and project members)."""
    people = {}
    for number, (kommun, _, _) in enumerate(KOMMUNER):
        first, last = FIRST[number % len(FIRST)], LAST[(number * 7) % len(LAST)]
        people[f"{_slug(first)}.{_slug(last)}@{_slug(kommun)}.se"] = f"{first} {last}"
    return people


def people() -> dict[str, str]:
    """Every person of the rollout demo: e-mail → name."""
    return {email: name for name, email, _ in MEMBERS} | inforandeansvariga()


def _units_csv() -> bytes:
    rows = [";".join(COLUMNS)]
    for (kommun, wave, enheter), (email, person) in zip(
        KOMMUNER, inforandeansvariga().items(), strict=True
    ):
        key = _slug(kommun)
        rows.append(f"{key};{_kommun_name(kommun)};kommun;;{wave};{person};{email}")
        for short, name in FORVALTNINGAR:
            rows.append(f"{key}-{short};{name};förvaltning;{key};;;")
        for number in range(enheter):
            enhet = ENHETER[number % len(ENHETER)]
            suffix = f" {number // len(ENHETER) + 1}" if number >= len(ENHETER) else ""
            parent = FORVALTNINGAR[0][0] if number % 3 else FORVALTNINGAR[1][0]
            rows.append(f"{key}-{_slug(enhet + suffix)};{enhet}{suffix};enhet;{key}-{parent};;;")
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


def _profile(rng: random.Random, kommun: str, wave: str) -> str:
    if kommun in {"Göteborg", "Tanum"}:
        return "sen"
    if kommun in {"Mölndal", "Skövde"}:
        return "underlag"
    weights = {"vag-1": (4, 3, 2, 1), "vag-2": (3, 4, 2, 1), "vag-3": (1, 5, 2, 1)}[wave]
    return rng.choices(list(PROFILES), weights=weights)[0]


def _plan(ctx: Context, today: date) -> dict[tuple[int, str, ItemStatus], list[str]]:
    """Which units tick which item when: (weeks back, item, status) → unit keys."""
    rng = random.Random(2027)
    go_live = {key: day for key, _, day in WAVES}
    template = ctx.catalog.checklist("cutover")
    plan: dict[tuple[int, str, ItemStatus], list[str]] = defaultdict(list)
    for kommun, wave, enheter in KOMMUNER:
        profile = _profile(rng, kommun, wave)
        passed_p, ahead_p, weights = PROFILES[profile]
        key = _slug(kommun)
        keys = [key, *(f"{key}-{short}" for short, _ in FORVALTNINGAR)]
        keys += [
            f"{key}-{_slug(ENHETER[n % len(ENHETER)])}"
            + (f"-{n // len(ENHETER) + 1}" if n >= len(ENHETER) else "")
            for n in range(enheter)
        ]
        for item in template.items:
            offset = item.due.days if item.due is not None else 0
            due = go_live[wave] + timedelta(days=offset)
            chance = passed_p if due < today + timedelta(days=14) else ahead_p
            if not item.mandatory:
                chance *= 0.6
            if profile == "underlag" and item.evidence_required:
                chance = 0.15
            if item.id == "cutover-plan" and wave == "vag-1" and profile != "nara-redo":
                chance = 0.3  # the overdue item that holds wave 1 back
            for unit in keys:
                draw = rng.random()
                week = rng.choices(TICK_WEEKS, weights=weights)[0]
                if not item.mandatory and draw > 0.93:
                    plan[(week, item.id, ItemStatus.NOT_APPLICABLE)].append(unit)
                elif draw < chance:
                    plan[(week, item.id, ItemStatus.DONE)].append(unit)
    return plan


def build_rollout(ctx: Context) -> Iterator[str]:
    """Build the rollout unless it exists; yield lines saying what was made."""
    try:
        overviews.project_overview(ctx, KEY)
    except NotFound:
        pass
    else:
        yield f"{NAME}: finns redan, orörd"
        return
    now = ctx.clock.now()
    today = ctx.today()

    def at(moment: datetime) -> Context:
        return replace(ctx, clock=FixedClock(moment))

    start = at(now - timedelta(weeks=max(TICK_WEEKS) + 2))
    # The project walks through its gates to genomförande like the other demo projects.
    build_project(
        start,
        {
            "key": KEY,
            "name": NAME,
            "workflow": "inforande",
            "organisation": "Västra Götalandsregionen och de 49 kommunerna i Västra Götaland",
            "description": (
                "Regionalt breddinförande av ett gemensamt verksamhetssystem för vård och "
                "omsorg och socialtjänst: 49 kommuner och deras enheter i tre vågor våren 2027."
            ),
            "started_on": "2026-03-02",
            "gate_targets": {
                "forstudie-klar": "2026-05-29",
                "beslut-om-genomforande": "2026-08-31",
                "go-live": WAVES[0][2].isoformat(),
                "driftoverlamning-godkand": "2027-09-30",
            },
            "members": [
                *({"name": n, "email": e, "role": r} for n, e, r in MEMBERS),
                *(
                    {"name": name, "email": email, "role": "inforandeansvarig"}
                    for email, name in inforandeansvariga().items()
                ),
            ],
            "target_phase": "genomforande",
            "registry": "RS",
        },
    )
    for wave_key, name, go_live in WAVES:
        waves.create_wave(
            start, LEADER, project_key=KEY, key=wave_key, name=name, go_live_on=go_live
        )
    imported = unit_import.import_units(
        start, LEADER, project_key=KEY, data=_units_csv(), filename="enheter-vgr.csv"
    )
    ticked = 0
    plan = _plan(ctx, today)
    for weeks in sorted(TICK_WEEKS, reverse=True):
        then = at(now - timedelta(weeks=weeks))
        for (when, item_id, status), unit_keys in sorted(plan.items()):
            if when != weeks:
                continue
            result = unit_bulk.bulk_update_items(
                then,
                LEADER,
                project_key=KEY,
                item_id=item_id,
                unit_keys=unit_keys,
                status=status,
                evidence=f"https://samarbetsyta.vgregion.example/millennium/underlag/{item_id}"
                if status is ItemStatus.DONE
                else None,
            )
            ticked += len(result.done)
    for title, probability, consequence, owner in (
        ("Integrationen mot journalsystemet levereras sent", 4, 4, "Anders Lindström"),
        ("Utbildningsmiljön speglar inte den skarpa miljön", 3, 3, "Lena Åkesson"),
        ("Kommunerna hinner inte frigöra tid för superanvändare", 3, 2, "Helena Berglund"),
    ):
        risks.add_risk(
            ctx,
            LEADER,
            project_key=KEY,
            title=title,
            probability=probability,
            consequence=consequence,
            owner=owner,
        )
    yield (
        f"{NAME}: {len(KOMMUNER)} kommuner, {len(WAVES)} vågor, "
        f"{imported.units} enheter, {ticked} avbockade punkter"
    )
    email, name = next(iter(inforandeansvariga().items()))
    yield f"  införandeansvarig: {email} ({name}, {_kommun_name(KOMMUNER[0][0])})"
