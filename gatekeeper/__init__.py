"""gatekeeper: phase gates, readiness checklists and go/no-go decisions for
public-sector implementation projects (införandeprojekt)."""

from __future__ import annotations

__version__ = "0.1.0"
