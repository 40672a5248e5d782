"""The one escaping rule of every CSV and XLSX export (OWASP CSV injection)."""

from __future__ import annotations

import pytest

from gatekeeper.web.spreadsheet import safe_cell


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]
)
def test_a_text_that_starts_a_formula_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Borås kommun", "Våg 1 – pilot", "", None, 3, -4, 2.5])
def test_plain_text_and_numbers_stay_as_they_are(value: str | int | float | None) -> None:
    assert safe_cell(value) == value


def test_control_characters_xml_cannot_hold_are_dropped_from_an_xlsx_not_a_failure() -> None:
    import io

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from gatekeeper.web.spreadsheet import xlsx_bytes

    content = xlsx_bytes("Kommunikationsplan", ("Målgrupp",), [("Enhets\x0bchefer\x01",)])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "Enhetschefer"
