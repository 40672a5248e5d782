"""What every use case needs: the database, the loaded definitions, a clock, the
password hasher (whose cost is a setting: tests use argon2's cheapest profile) and
the rules for where webhooks may go (strict unless the settings say otherwise)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher

from gatekeeper.core.clock import Clock, SystemClock
from gatekeeper.core.egress import EgressPolicy
from gatekeeper.definitions import Catalog
from gatekeeper.store.database import Database

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class Context:
    """One installation's services: database, definitions, clock, password hasher and the
    webhook egress policy."""

    db: Database
    catalog: Catalog
    clock: Clock = field(default_factory=SystemClock)
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher, compare=False)
    webhook_egress: EgressPolicy = field(default_factory=EgressPolicy)

    def today(self) -> date:
        """Today's date in Sweden (deadlines are calendar days there)."""
        return self.clock.now().astimezone(LOCAL_ZONE).date()
