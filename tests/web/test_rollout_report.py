"""The steering group's readiness report for the demo's 49 kommuner: a table per kommun in each
wave, the units not ready grouped under their kommun, and the same as a PDF of a few pages."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.rollout.report import kommuner_in_wave
from gatekeeper.demo.rollout import KEY, build_rollout
from gatekeeper.services.context import Context
from gatekeeper.services.rollout import overview_card
from gatekeeper.services.rollout import readiness_review as rollout_review
from tests.factories import api_client
from tests.replay import replayed

REPORT = f"/projects/{KEY}/readiness/report"


def _the_rollout(ctx: Context) -> list[str]:
    return list(build_rollout(ctx))


# The demo's 1,000-unit rollout through the use cases once per worker, then its rows
# (tests/replay.py): both tests here read it, on each database kind.
the_rollout = replayed(_the_rollout, reread=lambda _ctx, lines: lines)


def sections(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'<section class="rr-wave" aria-labelledby="wave-([\w-]+)">(.*?)</section>', html, re.S
        )
    )


def test_the_report_has_a_table_per_kommun_and_groups_the_units_not_ready(ctx: Context) -> None:
    the_rollout(ctx)
    client: TestClient = api_client(ctx)
    html = client.get(REPORT).text
    review = rollout_review.readiness_review(ctx, KEY).review
    found = sections(html)
    # Översikt's card counts the same units ready, evidence lacking and all.
    card = overview_card.rollout_cards(ctx, [KEY])[KEY]
    assert (card.ready, card.units) == (review.totals.ready, review.totals.units)
    assert list(found) == ["vag-1", "vag-2", "vag-3"]
    for wave in review.waves:
        body = found[wave.wave.key]
        rows = kommuner_in_wave(wave, review.units, swedish_sort_key)
        table = re.search(r'<table class="rr-kommuner">.*?</table>', body, re.S)
        assert table, wave.wave.key
        names = re.findall(r'<tr><th scope="row">([^<]+)</th>', table.group(0))
        assert names == [k.kommun.name for k in rows]
        # The kommun rows add up to the wave's figure: one definition of ready.
        assert sum(k.counts.ready for k in rows) == wave.counts.ready
        assert sum(k.counts.units for k in rows) == wave.counts.units
        for k in rows:
            assert f"{k.counts.ready} av {k.counts.units} (" in table.group(0)
        # Units not ready under their kommun, never one comma-separated wall.
        listing = re.search(r'<ul class="rr-notready">(.*)</ul>', body, re.S)
        assert listing
        groups = re.findall(r"<li><strong>([^<]+)</strong>", listing.group(1))
        assert groups == [k.kommun.name for k in rows if k.not_ready]
    boras = next(
        k for k in kommuner_in_wave(review.waves[0], review.units) if "Borås" in k.kommun.name
    )
    for unit in boras.not_ready:
        assert (
            f"<li>{unit.unit.name} – {unit.mandatory_satisfied} av {unit.mandatory} punkter</li>"
            in html
        )
    assert re.search(
        r"<strong>Alingsås kommun</strong> \(0 av \d+ redo\):\s*alla \d+ enheter\.", html
    )
    assert f'href="{REPORT}.pdf"' in html


def test_the_report_as_pdf_is_under_six_pages_and_reads_back(ctx: Context) -> None:
    the_rollout(ctx)
    answer = api_client(ctx).get(REPORT + ".pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert "beredskapsrapport-vgr-verksamhetssystem.pdf" in answer.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) < 6
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Beredskapsrapport inför driftstart" in text
    assert "Våg 1 – Sjuhärad och pilotkommuner" in text and "Borås Stad" in text
    assert "Förslag till beslut" in text and "Per kommun" in text
    filtered = api_client(ctx).get(REPORT + ".pdf", params={"kommun": "boras"})
    assert filtered.status_code == 200 and len(PdfReader(io.BytesIO(filtered.content)).pages) <= 2
    unknown = api_client(ctx).get(REPORT + ".pdf", params={"kommun": "finns-inte"})
    assert unknown.status_code == 422
