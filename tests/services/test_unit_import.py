"""Importing units from CSV and XLSX: encodings, delimiters, every bad row, all or nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from gatekeeper.errors import PermissionDenied
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.rollout import import_file, unit_import, unit_listing
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from tests.rollout_factories import (
    PROJEKTLEDARE,
    ROLLOUT_KEY,
    STYRGRUPP,
    rollout_csv,
    rollout_rows,
    start_rollout,
)

HEADER = "nyckel;namn;typ;överordnad;våg;införandeansvarig;epost"
LERUM = (
    "lerum;Lerums kommun;kommun;;vag-2;Åsa Öberg;asa.oberg@lerum.se\n"
    "lerum-vo;Vård och omsorg;förvaltning;lerum;;;\n"
    "lerum-solgarden;Särskilt boende Solgården;enhet;lerum-vo;;Pär Ängström;par.angstrom@lerum.se\n"
)


def _import(ctx: Context, data: bytes, filename: str = "enheter.csv") -> unit_import.ImportResult:
    return unit_import.import_units(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, data=data, filename=filename
    )


def _rejected(ctx: Context, data: bytes, filename: str = "enheter.csv") -> list[str]:
    with pytest.raises(import_file.ImportRejected) as rejected:
        _import(ctx, data, filename)
    return [str(error) for error in rejected.value.errors]


def _keys(ctx: Context) -> list[str]:
    return [row.unit.key for row in unit_listing.list_units(ctx, ROLLOUT_KEY)]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8-sig", ","), ("cp1252", ",")],
)
def test_csv_in_the_encodings_and_delimiters_excel_writes(
    ctx: Context, encoding: str, delimiter: str
) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    text = (HEADER + "\n" + LERUM).replace(";", delimiter).replace("\n", "\r\n")

    result = _import(ctx, text.encode(encoding))

    assert result.keys == ("lerum", "lerum-vo", "lerum-solgarden")
    rows = {row.unit.key: row for row in unit_listing.list_units(ctx, ROLLOUT_KEY)}
    assert rows["lerum-solgarden"].unit.name == "Särskilt boende Solgården"
    assert rows["lerum-solgarden"].unit.responsible_name == "Pär Ängström"
    assert rows["lerum-solgarden"].parent_key == "lerum-vo"
    assert rows["lerum-solgarden"].wave_key == "vag-2"  # inherited from the kommun
    assert rows["lerum"].unit.responsible_email == "asa.oberg@lerum.se"
    checklist = unit_checklists.unit_checklist(ctx, ROLLOUT_KEY, "lerum-solgarden")
    assert checklist.items and checklist.wave is not None


def test_xlsx_built_in_excel_with_a_parent_already_in_the_project(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nyckel", "Namn", "Typ", "Överordnad", "Våg", "Införandeansvarig", "E-post"])
    sheet.append(["boras-hemtjanst-vaster", "Hemtjänst Väster", "enhet", "boras-vo", "vag-3"])
    sheet.append(["boras-ekbacken", "Särskilt boende Ekbacken", "Enhet", "boras-vo", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = _import(ctx, buffer.getvalue(), "enheter.xlsx")

    assert result.units == 2
    rows = {row.unit.key: row for row in unit_listing.list_units(ctx, ROLLOUT_KEY)}
    assert rows["boras-hemtjanst-vaster"].wave_key == "vag-3"
    assert rows["boras-ekbacken"].wave_key == "vag-1"
    event = audit_log.list_events(ctx, project_key=ROLLOUT_KEY)[-1]
    assert event.action == "units.imported"
    assert event.after["units"] == ["boras-hemtjanst-vaster", "boras-ekbacken"]


def test_every_bad_row_is_reported_and_nothing_is_imported(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    before = _keys(ctx)
    text = "\n".join(
        [
            HEADER,
            "lerum;Lerums kommun;kommun;;vag-2;;",  # row 2: fine
            "lerum;Lerum igen;kommun;;;;",  # 3: duplicate in the file
            "boras;Borås;kommun;;;;",  # 4: already in the project
            "Ale Kommun;Ale;kommun;;;;",  # 5: bad key
            "ale;;stadsdel;;;;",  # 6: no name, bad kind
            "ale-vo;VO;förvaltning;ale-finns-inte;;;",  # 7: unknown parent
            "lerum-hs;Hemsjukvård;enhet;lerum;vag-9;;",  # 8: unknown wave
            "lerum-x;X;enhet;lerum;;Anna;anna.at.lerum.se",  # 9: bad e-mail
            "",  # 10: blank lines are skipped, but still counted
            "a;A;enhet;b;;;",  # 11: a cycle
            "b;B;enhet;a;;;",  # 12: the same cycle
            "lerum-vo;VO;förvaltning;lerum-hs;;;",  # 13: a förvaltning under an enhet
            "kungalv;Kungälvs kommun;kommun;kungalv;;;",  # 14: its own parent
            "x;X;;;;;",  # 15: no type
        ]
    ).encode("utf-8")

    errors = _rejected(ctx, text)

    numbers = [int(error.split(":")[0].removeprefix("rad ")) for error in errors]
    assert numbers == [3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]
    by_row = dict(zip(numbers, errors, strict=True))
    assert "finns redan på rad 2" in by_row[3]
    assert "finns redan i projektet" in by_row[4]
    assert "nyckeln" in by_row[5]
    assert "namn saknas" in by_row[6] and "stadsdel" in by_row[6]
    assert "ale-finns-inte" in by_row[7]
    assert "vag-9" in by_row[8]
    assert "e-postadress" in by_row[9]
    assert "cykel" in by_row[11] and "cykel" in by_row[12]
    assert "förvaltning kan inte ligga under en enhet" in by_row[13]
    assert "sig själv" in by_row[14]
    assert "typ saknas" in by_row[15]
    assert _keys(ctx) == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("nyckel;namn", "kolumnen 'typ' saknas"),
        ("nyckel;namn;typ;driftstart", "okänd kolumn 'driftstart'"),
        ("nyckel;namn;typ;typ", "kolumnen 'typ' finns två gånger"),
    ],
)
def test_wrong_columns_are_reported_on_row_1(ctx: Context, header: str, message: str) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    errors = _rejected(ctx, f"{header}\nlerum;Lerum;kommun;x\n".encode())
    assert any(error.startswith("rad 1: ") and message in error for error in errors)


def test_files_that_cannot_be_read(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    assert _rejected(ctx, b"")[0].startswith("rad 1: filen är tom")
    assert "inga enheter" in _rejected(ctx, (HEADER + "\n\n").encode())[0]
    assert "XLSX" in _rejected(ctx, b"PK\x03\x04 not really a zip", "enheter.xlsx")[0]
    # Bytes undefined in Windows-1252 (0x81) in a file that is not UTF-8 either.
    assert "UTF-8" in _rejected(ctx, HEADER.encode() + b"\nx;\x81\xff;enhet\n")[0]


def test_only_the_projektledare_imports(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    with pytest.raises(PermissionDenied):
        unit_import.import_units(
            ctx, STYRGRUPP, project_key=ROLLOUT_KEY, data=(HEADER + "\n" + LERUM).encode()
        )


def test_a_thousand_units_in_one_import(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    rows = [row for row in rollout_rows(49, 18) if not row["nyckel"].startswith("boras")]
    data = rollout_csv(49, 18)
    lines = data.decode("utf-8-sig").split("\r\n")
    kept = [lines[0], *(line for line in lines[1:] if line and not line.startswith("boras"))]

    result = _import(ctx, "\r\n".join(kept).encode("utf-8-sig"))

    assert result.units == len(rows) > 1000
    assert len(_keys(ctx)) == len(rows) + 4  # Borås: kommun, two förvaltningar, one enhet
