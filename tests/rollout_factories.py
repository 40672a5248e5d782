"""Seed-shaped rollout data: a regional införande to VGR kommuner, in waves.

Seed 003 (VGR workshop): one system rolled out to 49 municipalities and their
units, with "en plan för hur vi säkrar upp att mottagarna är redo innan
driftstart på verksamhetsnivå". Built through the public use cases so that
every row has its audit event. Shared by the unit, readiness and export tests.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from gatekeeper.core.actor import Actor
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.services.rollout import unit_import, unit_listing
from gatekeeper.services.rollout import wave as waves
from gatekeeper.services.rollout.import_row import COLUMNS
from gatekeeper.store.projects.tables import Project
from tests.factories import project_again
from tests.replay import replayed

ROLLOUT_KEY = "vgr-breddinforande"

PROJEKTLEDARE = Actor.user("karin.olsson@vgregion.se", "Karin Olsson")
STYRGRUPP = Actor.user("bengt.nilsson@vgregion.se", "Bengt Nilsson")
STYRGRUPP_2 = Actor.user("sara.ahmadi@vgregion.se", "Sara Ahmadi")
BESTALLARE = Actor.user("eva.strom@vgregion.se", "Eva Ström")

ROLLOUT_MEMBERS = (
    projects.MemberSpec("Karin Olsson", "karin.olsson@vgregion.se", "projektledare"),
    projects.MemberSpec("Eva Ström", "eva.strom@vgregion.se", "bestallare"),
    projects.MemberSpec("Bengt Nilsson", "bengt.nilsson@vgregion.se", "styrgrupp"),
    projects.MemberSpec("Sara Ahmadi", "sara.ahmadi@vgregion.se", "styrgrupp"),
)

# Västra Götalands 49 kommuner, the wave-1 pilots first.
KOMMUNER = (
    "Borås", "Alingsås", "Lerum", "Vårgårda", "Herrljunga", "Ulricehamn", "Mark",
    "Bollebygd", "Tranemo", "Svenljunga", "Göteborg", "Mölndal", "Partille", "Härryda",
    "Kungälv", "Ale", "Stenungsund", "Tjörn", "Orust", "Öckerö", "Lilla Edet", "Trollhättan",
    "Vänersborg", "Uddevalla", "Lysekil", "Sotenäs", "Munkedal", "Tanum", "Strömstad",
    "Färgelanda", "Mellerud", "Bengtsfors", "Åmål", "Dals-Ed", "Skövde", "Falköping",
    "Lidköping", "Mariestad", "Skara", "Tidaholm", "Hjo", "Tibro", "Töreboda", "Gullspång",
    "Karlsborg", "Vara", "Götene", "Grästorp", "Essunga",
)  # fmt: skip
FORVALTNINGAR = ("Vård och omsorg", "Individ- och familjeomsorg")
ENHETER = (
    "Hemtjänst Norr", "Hemtjänst Söder", "Särskilt boende Solgården", "Särskilt boende Björkhagen",
    "Korttidsboende Ängen", "Hemsjukvård", "Daglig verksamhet Verkstan", "Gruppbostad Linden",
    "Socialpsykiatri", "Mottagningsenheten", "Barn och unga", "Ekonomiskt bistånd",
    "Missbruk och beroende", "Familjebehandling", "Hemtjänst Centrum", "Särskilt boende Ekbacken",
    "Nattpatrullen", "Rehabenheten", "Biståndsenheten", "Personlig assistans",
)  # fmt: skip

WAVES = (
    ("vag-1", "Våg 1 – pilotkommuner", date(2027, 3, 1)),
    ("vag-2", "Våg 2", date(2027, 5, 3)),
    ("vag-3", "Våg 3", date(2027, 9, 6)),
)


def slug(text: str) -> str:
    """'Särskilt boende Solgården' → 'sarskilt-boende-solgarden'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def kommun_email(kommun: str, person: str = "inforande") -> str:
    return f"{person}@{slug(kommun)}.se"


def rollout_rows(kommuner: int, units_per_kommun: int) -> list[dict[str, str]]:
    """The units of `start_rollout`, as rows of the import file's columns.

    Per kommun (the first `kommuner` of VGR's 49): the kommun, two förvaltningar
    and `units_per_kommun` enheter shared between them. Kommun number i goes in
    wave 1 + i % 3. Each kommun's införandeansvarig is `inforande@<kommun>.se`;
    the first förvaltning's is `vo@<kommun>.se`. Keys: `<kommun>`,
    `<kommun>-vo`, `<kommun>-ifo` and `<kommun>-<enhet>` (`boras-hemtjanst-norr`).
    """
    if not 1 <= kommuner <= len(KOMMUNER):
        raise ValueError(f"kommuner must be 1–{len(KOMMUNER)}")
    rows: list[dict[str, str]] = []
    for index, kommun in enumerate(KOMMUNER[:kommuner]):
        kommun_key = slug(kommun)
        rows.append(
            {
                "nyckel": kommun_key,
                "namn": f"{kommun} kommun" if kommun.endswith("s") else f"{kommun}s kommun",
                "typ": "kommun",
                "överordnad": "",
                "våg": WAVES[index % len(WAVES)][0],
                "införandeansvarig": f"Införandeansvarig {kommun}",
                "epost": kommun_email(kommun),
            }
        )
        for short, name in zip(("vo", "ifo"), FORVALTNINGAR, strict=True):
            rows.append(
                {
                    "nyckel": f"{kommun_key}-{short}",
                    "namn": name,
                    "typ": "förvaltning",
                    "överordnad": kommun_key,
                    "våg": "",
                    "införandeansvarig": "",
                    "epost": kommun_email(kommun, short) if short == "vo" else "",
                }
            )
        half = units_per_kommun / 2
        for number in range(units_per_kommun):
            enhet = ENHETER[number % len(ENHETER)]
            round_ = number // len(ENHETER)
            rows.append(
                {
                    "nyckel": f"{kommun_key}-{slug(enhet)}" + (f"-{round_ + 1}" if round_ else ""),
                    "namn": enhet + (f" {round_ + 1}" if round_ else ""),
                    "typ": "enhet",
                    "överordnad": f"{kommun_key}-{'vo' if number < half else 'ifo'}",
                    "våg": "",
                    "införandeansvarig": "",
                    "epost": "",
                }
            )
    return rows


def rollout_csv(
    kommuner: int, units_per_kommun: int, *, delimiter: str = ";", encoding: str = "utf-8-sig"
) -> bytes:
    """`rollout_rows` as a CSV file the way Excel saves it (semicolons, BOM)."""
    lines = [delimiter.join(COLUMNS)]
    for row in rollout_rows(kommuner, units_per_kommun):
        lines.append(delimiter.join(row[column] for column in COLUMNS))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _start_rollout(
    ctx: Context,
    *,
    kommuner: int,
    units_per_kommun: int,
    key: str = ROLLOUT_KEY,
) -> Project:
    """A rollout project on the inforande workflow with waves vag-1..vag-3 and the
    units of `rollout_rows` (imported through the CSV import, in one transaction)."""
    project = projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=key,
        name="Breddinförande av nytt verksamhetssystem i VGR",
        workflow_id="inforande",
        organisation="Västra Götalandsregionen och kommunerna i VGR",
        description="Ett system till 49 kommuner och deras enheter, i tre vågor.",
        started_on=date(2026, 9, 1),
        gate_targets={"go-live": WAVES[0][2]},
        members=ROLLOUT_MEMBERS,
    )
    for wave_key, name, go_live in WAVES:
        waves.create_wave(
            ctx, PROJEKTLEDARE, project_key=key, key=wave_key, name=name, go_live_on=go_live
        )
    unit_import.import_units(
        ctx,
        PROJEKTLEDARE,
        project_key=key,
        data=rollout_csv(kommuner, units_per_kommun),
        filename="enheter.csv",
    )
    return project


# Through the use cases once per worker process and size; replayed in a fresh database
# after that (tests/replay.py).
start_rollout = replayed(_start_rollout, reread=project_again)


def enhet_keys(project_key: str, ctx: Context) -> list[str]:
    """Keys of every enhet of the rollout, in tree order."""
    return [
        row.unit.key
        for row in unit_listing.list_units(ctx, project_key)
        if row.unit.kind == "enhet"
    ]
