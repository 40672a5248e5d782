"""Oversized request bodies are refused with a 413 problem, before anything reads them."""

from __future__ import annotations

from gatekeeper.services.context import Context
from tests.factories import api_client, start_ibic


def test_oversized_body_is_a_413_problem_and_changes_nothing(ctx: Context) -> None:
    start_ibic(ctx)
    client = api_client(ctx)
    huge = {"name": "x" * (2 * 1024 * 1024)}

    response = client.patch("/api/v1/projects/ibic-alingsas", json=huge)

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "för stor" in response.json()["detail"]
    assert client.get("/api/v1/projects/ibic-alingsas").json()["name"] == "Införande av IBIC"


def test_ordinary_bodies_pass(ctx: Context) -> None:
    start_ibic(ctx)
    response = api_client(ctx).patch(
        "/api/v1/projects/ibic-alingsas", json={"description": "Införande av IBIC 2027."}
    )
    assert response.status_code == 200
