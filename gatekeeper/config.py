"""Settings, declared once: every `GATEKEEPER_` variable with its default and help.

`Settings()` reads the environment (and a `.env` file if present); tests build
`Settings(...)` directly and never touch the environment. Nothing here runs at
import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///gatekeeper.db"


class Settings(BaseSettings):
    """Configuration of one gatekeeper installation."""

    model_config = SettingsConfigDict(
        env_prefix="GATEKEEPER_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description=(
            "SQLAlchemy URL of the database. Default: an SQLite file gatekeeper.db in the "
            "working directory. PostgreSQL: postgresql://user@host:5432/dbname."
        ),
    )
    workflows_dir: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description=(
            "Folders of workflow YAML files, separated by ':' in the environment. "
            "Default: the workflows shipped with gatekeeper."
        ),
    )
    checklists_dir: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description=(
            "Folders of checklist YAML files, separated by ':' in the environment. "
            "Default: the checklists shipped with gatekeeper."
        ),
    )
    audit_key: str | None = Field(
        default=None,
        repr=False,
        description=(
            "Secret used to sign audit checkpoints (HMAC-SHA256). Keep it outside the "
            "database. Alternatively set GATEKEEPER_AUDIT_KEY_FILE."
        ),
    )
    audit_key_file: Path | None = Field(
        default=None,
        description="File holding the audit checkpoint key (read when audit_key is unset).",
    )
    host: str = Field(default="127.0.0.1", description="Address `gatekeeper serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `gatekeeper serve` uses.")
    log_level: str = Field(default="info", description="Log level: debug, info, warning, error.")
    webhook_dispatch: bool = Field(
        default=True,
        description=(
            "Whether `gatekeeper serve` sends webhook deliveries from the outbox (a background "
            "job). Any number of processes may dispatch at once; each delivery is claimed by one."
        ),
    )
    webhook_interval_seconds: float = Field(
        default=5.0,
        gt=0,
        le=3600,
        description="How often the dispatcher looks for due webhook deliveries, in seconds.",
    )
    webhook_max_attempts: int = Field(
        default=8,
        ge=1,
        le=50,
        description=(
            "Attempts per webhook delivery before it is given up (dead). Retries wait "
            "30 s × 2^attempts, at most 6 hours."
        ),
    )
    webhook_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        le=60,
        description="How long one webhook POST may take before it counts as failed, in seconds.",
    )

    @field_validator("workflows_dir", "checklists_dir", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(part) for part in value.split(":") if part.strip()]
        if isinstance(value, Path):
            return [value]
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.lower()
        if level not in {"debug", "info", "warning", "error", "critical"}:
            raise ValueError("log_level must be debug, info, warning, error or critical")
        return level


def describe_settings() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, for docs and `--help`."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        rows.append((f"GATEKEEPER_{name.upper()}", repr(default), field.description or ""))
    return rows
