"""The Enheter page's filters in its address: `visa`, `kommun`, `wave`, `beredskap`.

Plain GET parameters, so a filtered view can be shared and the back button
works; the page's forms post to the same address, so their answer keeps the
filters. A value that names nothing is not refused: the page says so and how
to widen the filter (`services.rollout.unit_overview`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Query

from gatekeeper.services.rollout.unit_overview import UnitOverview, UnitQuery


def unit_query(
    visa: Annotated[str, Query(max_length=20)] = "",
    kommun: Annotated[str, Query(max_length=200)] = "",
    wave: Annotated[str, Query(max_length=200)] = "",
    beredskap: Annotated[str, Query(max_length=20)] = "",
) -> UnitQuery:
    """The Enheter page's filters from its address (the forms post to the same address)."""
    return UnitQuery(show=visa, kommun=kommun, wave=wave, readiness=beredskap)


UnitQueryDep = Annotated[UnitQuery, Depends(unit_query)]


def filter_params(view: UnitOverview, **changes: str | None) -> dict[str, str]:
    """The filters in force as address parameters, with `changes` (None: left out)."""
    chosen = view.filter
    params: dict[str, str | None] = {
        "visa": "mina" if chosen.mine else "alla",
        "kommun": chosen.kommun,
        "wave": chosen.wave,
        "beredskap": chosen.readiness.value if chosen.readiness else None,
    }
    params.update(changes)
    return {name: value for name, value in params.items() if value}


def query_string(query: UnitQuery) -> str:
    """The filters as they came, for the forms' addresses: the answer keeps them."""
    params = {
        "visa": query.show,
        "kommun": query.kommun,
        "wave": query.wave,
        "beredskap": query.readiness,
    }
    text = urlencode({name: value for name, value in params.items() if value})
    return f"?{text}" if text else ""
