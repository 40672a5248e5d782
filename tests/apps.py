"""The web app of a test, from a pool of apps built once per worker process.

`create_app` is cheap, but an app's first request is not: FastAPI works out the
route table of every included router (each endpoint's dependencies and the
pydantic validators of its parameters) then, about 0.1 s on this machine, and
a suite that makes an app per client paid that some thousands of times. An app
holds nothing of a test's own but what `create_app` puts in its state (the
context and the post box of account letters), so a test borrows an app that
another test made and gets that state set to its own: one app per (context,
letters) while the test runs, returned to the pool when it ends
(`release_apps`, called by an autouse fixture of tests/conftest.py).
"""

from __future__ import annotations

from fastapi import FastAPI

from gatekeeper.channels.account_mail import LetterBox
from gatekeeper.services.context import Context
from gatekeeper.web.app import create_app, postbox

_free: list[FastAPI] = []
_lent: dict[tuple[int, int], FastAPI] = {}


def app_for(ctx: Context, letters: LetterBox | None = None) -> FastAPI:
    """The app of `ctx` (and `letters`) for this test: the same one each time it asks."""
    key = (id(ctx), id(letters))
    app = _lent.get(key)
    if app is None:
        app = _free.pop() if _free else create_app(context=ctx, letters=letters)
        _lent[key] = app
    app.state.context = ctx
    app.state.postbox = postbox(None, letters)
    return app


def release_apps() -> None:
    """The test is over: its apps go back to the pool, holding nothing of it."""
    for app in _lent.values():
        app.state.context = None
        app.state.postbox = None
    _free.extend(_lent.values())
    _lent.clear()
