"""PDF files of gatekeeper's printable pages: the one way to PDF.

A printable page (the beslutsprotokoll, a meeting's protocol, the follow-up
report, the slutrapport, the rollout report) is rendered as HTML by its page
as usual, and `pdf_response` turns that HTML into a PDF with WeasyPrint: the
page's own print stylesheet (`@media print` in gatekeeper.css) lays it out on
A4, so the PDF and the printed page are the same document.

- **PDF/A-2b** (`pdf_variant="pdf/a-2b"`), the archival profile a diarium asks
  for: fonts embedded (DejaVu from Debian's fonts-dejavu-core, chosen through
  fontconfig, which carries å, ä, ö, æ, ø), an sRGB output intent, XMP
  metadata with the page's `<title>` as the document's title and its `lang`.
- **Nothing is fetched from outside.** The HTML holds text that people typed
  (a motivation, a link as evidence). WeasyPrint would fetch any `src` or
  stylesheet address it meets; `_local_only_fetcher` serves the package's own static
  files and refuses every other address, so a PDF never calls the network.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) and a font
(fonts-dejavu-core); `.ci/run` installs them where they are missing.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi.responses import Response

STATIC_DIR = Path(__file__).parent / "static"
_ORIGIN = "https://gatekeeper.invalid/"
PDF_MEDIA_TYPE = "application/pdf"

# WeasyPrint reports every refused fetch and unsupported CSS property as a warning;
# the screen-only CSS is expected to be partly ignored in print.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class RefusedFetch(ValueError):
    """An address a PDF may not fetch: anything but gatekeeper's own static files."""


def _static_file(url: str) -> Path:
    """The package's static file `url` names, or `RefusedFetch` for any other address."""
    parts = urlsplit(url)
    if url.startswith(_ORIGIN) and parts.path.startswith("/static/"):
        path = (STATIC_DIR / parts.path.removeprefix("/static/")).resolve()
        if path.is_relative_to(STATIC_DIR.resolve()) and path.is_file():
            return path
    raise RefusedFetch(f"a PDF fetches only gatekeeper's own static files, not {parts.scheme}:…")


def _local_only_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    class LocalOnly(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types
        """Serves gatekeeper's static files and refuses every other address."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _static_file(url)
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path)})

    return LocalOnly(allowed_protocols=("https",), allow_redirects=False)


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(
        path.suffix, "application/octet-stream"
    )


def pdf_bytes(html: str) -> bytes:
    """`html` (a whole page of gatekeeper) as an A4 PDF/A-2b document."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # loads Pango: only when used

    document = HTML(string=html, base_url=_ORIGIN, url_fetcher=_local_only_fetcher())
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile's file and leaves it unclosed; the file
        # goes (with a harmless ResourceWarning) as soon as the profile has read it,
        # inside write_pdf, so the warning is ignored here.
        warnings.simplefilter("ignore", ResourceWarning)
        result = document.write_pdf(pdf_variant="pdf/a-2b", uncompressed_pdf=False)
    assert result is not None
    return bytes(result)


def pdf_response(html: str | bytes | memoryview, *, filename: str) -> Response:
    """A download of the page `html` as `filename` (which should end in .pdf)."""
    text = html if isinstance(html, str) else bytes(html).decode("utf-8")
    return Response(
        pdf_bytes(text),
        media_type=PDF_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
