"""What every use case needs: the database, the loaded definitions and a clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from gatekeeper.core.clock import Clock, SystemClock
from gatekeeper.definitions import Catalog
from gatekeeper.store.database import Database

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class Context:
    """One installation's services: database, definitions and clock."""

    db: Database
    catalog: Catalog
    clock: Clock = field(default_factory=SystemClock)

    def today(self) -> date:
        """Today's date in Sweden (deadlines are calendar days there)."""
        return self.clock.now().astimezone(LOCAL_ZONE).date()
