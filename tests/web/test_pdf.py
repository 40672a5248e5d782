"""PDF documents, read back: the beslutsprotokoll as the diarium files it.

Each PDF is opened with pypdf and checked for its text (å, ä, ö as letters,
not boxes), its page count, its PDF/A-2b identification and its title; a PDF
never fetches an address outside gatekeeper's own static files.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from gatekeeper.services.context import Context
from gatekeeper.web.pdf import RefusedFetch, _static_file, pdf_bytes
from tests.web.test_decision_screen import KEY, _open_review, _vote
from tests.web.test_gate_page import ANIKO, LARS, STRANGER, client_for, ibic  # noqa: F401


def read_pdf(content: bytes) -> tuple[PdfReader, str]:
    """The document and its text, pages joined."""
    assert content.startswith(b"%PDF-"), content[:40]
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def all_fonts_embedded(reader: PdfReader) -> bool:
    """Every font of every page carries its font file (PDF/A asks for it)."""
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})  # type: ignore[union-attr]
        for ref in fonts.values():
            font = ref.get_object()
            for part in font.get("/DescendantFonts", [font]):
                descriptor = part.get_object()["/FontDescriptor"].get_object()
                if not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor):
                    return False
                seen += 1
    return seen > 0


def is_pdf_a_2b(reader: PdfReader) -> bool:
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    return 'pdfaid:part="2"' in raw or "<pdfaid:part>2</pdfaid:part>" in raw


def test_a_small_page_becomes_an_archival_pdf_with_swedish_letters() -> None:
    html = (
        '<!doctype html><html lang="sv"><head><title>Beslutsprotokoll – Förstudie klar</title>'
        '<link rel="stylesheet" href="/static/gatekeeper.css"></head>'
        "<body><h1>Beslutsprotokoll</h1><p>Åsa Öberg, Växjö kommun, æ ø å</p></body></html>"
    )
    reader, text = read_pdf(pdf_bytes(html))
    assert len(reader.pages) == 1
    assert "Åsa Öberg, Växjö kommun, æ ø å" in text
    assert reader.metadata is not None and reader.metadata.title == (
        "Beslutsprotokoll – Förstudie klar"
    )
    assert is_pdf_a_2b(reader)
    assert all_fonts_embedded(reader)


@pytest.mark.parametrize(
    "address",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://intranat.alingsas.se/ibic/logo.png",
        "file:///etc/passwd",
        "https://gatekeeper.invalid/static/../pdf.py",
    ],
)
def test_a_pdf_fetches_nothing_but_gatekeepers_own_static_files(address: str) -> None:
    with pytest.raises(RefusedFetch):
        _static_file(address)
    html = f'<html lang="sv"><body><img src="{address}" alt="bild"><p>Text</p></body></html>'
    _reader, text = read_pdf(pdf_bytes(html))
    assert "Text" in text


def test_the_protocol_page_links_its_pdf_and_the_pdf_reads_back_as_the_decision(
    ibic: Context,  # noqa: F811
) -> None:
    screen = _open_review(ibic)
    _vote(client_for(ibic, LARS), screen, outcome="go", motivation="Förstudien håller.")
    aniko = client_for(ibic, ANIKO)
    _vote(aniko, screen, outcome="go", motivation="Instämmer.")
    decided = aniko.get(screen).text
    protocol = re.search(rf'href="(/projects/{KEY}/decisions/\d+/protocol)"', decided)
    assert protocol is not None
    page = aniko.get(protocol.group(1)).text
    assert f'href="{protocol.group(1)}.pdf"' in page

    answer = aniko.get(protocol.group(1) + ".pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="beslutsprotokoll-')
    reader, text = read_pdf(answer.content)
    assert 1 <= len(reader.pages) <= 3
    assert is_pdf_a_2b(reader)
    assert "Beslutsprotokoll" in text and "Förstudie klar" in text
    assert "Lars Carlsson" in text and "Förstudien håller." in text
    assert "Lägg en sen röst" not in text and "Ladda ner som PDF" not in text  # print only


def test_someone_outside_the_project_gets_no_pdf(ibic: Context) -> None:  # noqa: F811
    screen = _open_review(ibic)
    _vote(client_for(ibic, LARS), screen, outcome="go", motivation="Förstudien håller.")
    _vote(client_for(ibic, ANIKO), screen, outcome="go", motivation="Instämmer.")
    decided = client_for(ibic, ANIKO).get(screen).text
    protocol = re.search(rf'href="(/projects/{KEY}/decisions/\d+/protocol)"', decided)
    assert protocol is not None
    assert client_for(ibic, STRANGER).get(protocol.group(1) + ".pdf").status_code == 404
