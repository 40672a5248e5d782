"""`gatekeeper demo`: projects shaped like the seed documents, built through the use cases.

The demo goes through the same services as users do, so its data carries a
complete audit trail and every gate it passes really met its criteria. The
content itself (names, risks, activities, dates) is in `projects.yaml` beside
this module; `project` builds one project, `rollout` the 49-kommun rollout.
Every demo account gets the same web password, `DEMO_PASSWORD`, printed with
one example login per role: demo only, never for real data.
"""

from __future__ import annotations

from collections.abc import Iterator

from gatekeeper.core.actor import Actor
from gatekeeper.core.status import TokenScope
from gatekeeper.demo.content import demo_projects
from gatekeeper.demo.project import build_project
from gatekeeper.demo.rollout import build_rollout
from gatekeeper.demo.rollout import people as rollout_people
from gatekeeper.errors import Conflict, NotFound
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import overview as overviews

DEMO_ADMIN = "admin@gatekeeper.example"
DEMO_PASSWORD = "gatekeeper-demo"  # printed by the demo; for demo data only


def _accounts(ctx: Context) -> int:
    """An account for every demo member (and the demo admin), each with the demo
    password unless it has one already; how many accounts were new."""
    people = {DEMO_ADMIN: "Demo-administratör"}
    for spec in demo_projects():
        people.update({m["email"]: m["name"] for m in spec["members"]})
    people.update(rollout_people())
    made = 0
    for email, name in people.items():
        try:
            accounts.create_user(
                ctx, Actor.system("demo"), email=email, name=name, is_admin=email == DEMO_ADMIN
            )
            made += 1
        except Conflict:
            pass
    logins.set_passwords(
        ctx, Actor.system("demo"), emails=list(people), password=DEMO_PASSWORD, only_unset=True
    )
    return made


def example_logins() -> list[tuple[str, str, str]]:
    """(role, e-mail, project name): the first demo member in each role."""
    seen: dict[str, tuple[str, str, str]] = {}
    for spec in demo_projects():
        for member in spec["members"]:
            seen.setdefault(member["role"], (member["role"], member["email"], spec["name"]))
    return list(seen.values())


def build_demo(ctx: Context) -> Iterator[str]:
    """Build every demo project that does not exist yet; yield a line for each,
    then a fresh API token of the demo admin (shown once)."""
    for spec in demo_projects():
        try:
            overviews.project_overview(ctx, spec["key"])
        except NotFound:
            yield build_project(ctx, spec)
        else:
            yield f"{spec['name']}: finns redan, orörd"
    yield from build_rollout(ctx)
    made = _accounts(ctx)
    token = accounts.create_token(
        ctx,
        Actor.system("demo"),
        owner_email=DEMO_ADMIN,
        name="demo",
        scope=TokenScope.WRITE,
        days=30,
    )
    yield f"{made} nya konton för projektens medlemmar och {DEMO_ADMIN} (administratör)."
    yield (
        f"Webbinloggning på /login, samma lösenord för alla demokonton (bara för demon): "
        f"{DEMO_PASSWORD}"
    )
    yield f"  administratör: {DEMO_ADMIN} (ser alla projekt)"
    for role, email, project in example_logins():
        yield f"  {role}: {email} ({project})"
    yield f"API-token för {DEMO_ADMIN} (visas bara nu, gäller 30 dagar):"
    yield f"  export GATEKEEPER_TOKEN={token.plaintext}"
