"""Settings, declared once: every `GATEKEEPER_` variable with its default and help.

`Settings()` reads the environment (and a `.env` file if present); tests build
`Settings(...)` directly and never touch the environment. Nothing here runs at
import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from gatekeeper.core.egress import IPNetwork, parse_networks
from gatekeeper.session_key import DEFAULT_SECRET_KEY_FILE, weak_secret_problem

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
    extra_workflows_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Folders of own workflow YAML (':'-separated) loaded next to those of "
        "GATEKEEPER_WORKFLOWS_DIR or the shipped ones; an id defined in both is refused.",
    )
    extra_checklists_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="Like GATEKEEPER_EXTRA_WORKFLOWS_DIRS, for checklists."
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
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="How `gatekeeper serve` writes its log lines: text, or json (one JSON object "
        "a line with time, level, logger and message, for a log shipper).",
    )
    max_concurrent_requests: int = Field(
        default=32,
        ge=0,
        le=10_000,
        description="Requests one server process handles at once (0: no limit). One over the "
        "limit waits GATEKEEPER_REQUEST_QUEUE_SECONDS for a place, then gets 503 with "
        "Retry-After, having changed nothing. Health checks and /metrics are not counted.",
    )
    request_queue_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="How long a request over GATEKEEPER_MAX_CONCURRENT_REQUESTS waits for a place.",
    )
    metrics: bool = Field(
        default=True,
        description="Serve GET /metrics (Prometheus text format: request latency, ticks, "
        "decisions, reminder backlog, webhook failures).",
    )
    metrics_token: str | None = Field(
        default=None,
        repr=False,
        description="If set, GET /metrics demands 'Authorization: Bearer <token>' (from any "
        "address); if unset, it answers GATEKEEPER_METRICS_ALLOWED_NETWORKS only.",
    )
    metrics_allowed_networks: Annotated[list[IPNetwork], NoDecode] = Field(
        default_factory=lambda: list(parse_networks("127.0.0.0/8,::1/128")),
        description="Client networks (CIDRs, separated by commas) that may read /metrics "
        "without GATEKEEPER_METRICS_TOKEN. Default: this host only.",
    )
    secret_key: str | None = Field(
        default=None,
        repr=False,
        description=(
            "Secret that signs the web UI's session cookies: at least 32 random characters. "
            "Alternatively GATEKEEPER_SECRET_KEY_FILE. `gatekeeper serve` refuses to start "
            "without one, or with a short or well-known one, unless GATEKEEPER_DEMO is on."
        ),
    )
    secret_key_file: Path = Field(
        default=DEFAULT_SECRET_KEY_FILE,
        description=(
            "File holding the session secret key (read when secret_key is unset; relative "
            "paths from the working directory). `gatekeeper demo` creates it (mode 0600) if "
            "missing; `gatekeeper new-secret-key` makes one."
        ),
    )
    demo: bool = Field(
        default=False,
        description=(
            "Demo mode: without a secret key, sessions are signed with a key made for this "
            "process (everyone is signed out when it stops). Never in production."
        ),
    )
    cookie_secure: bool = Field(
        default=False,
        description=(
            "Mark the session cookie Secure (sent over HTTPS only). Turn on wherever the web "
            "UI is reached over HTTPS; off by default for http://127.0.0.1."
        ),
    )
    session_idle_minutes: int = Field(
        default=480,
        ge=5,
        le=7 * 24 * 60,
        description="Minutes without a request after which a web session ends (default 8 h).",
    )
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
    webhook_allowed_networks: Annotated[list[IPNetwork], NoDecode] = Field(
        default_factory=list,
        description=(
            "Networks (CIDRs, separated by commas) where webhook receivers may be although "
            "they are private or internal, e.g. '10.20.0.0/16,2001:db8::/32' for an on-premise "
            "receiver. Elsewhere webhooks reach public addresses only (never loopback, "
            "link-local such as the metadata service, multicast or reserved ones), over "
            "https:// (http:// also in demo mode)."
        ),
    )
    webhook_concurrency: int = Field(
        default=8,
        ge=1,
        le=64,
        description=(
            "How many webhook receivers the dispatcher sends to at once. Deliveries to one "
            "receiver (scheme, host and port) go one at a time, so a receiver that hangs "
            "holds up only its own deliveries."
        ),
    )
    retention_purge: bool = Field(
        default=True,
        description=(
            "Whether `gatekeeper serve` runs the hourly retention job, which deletes webhook "
            "deliveries, outbox events and idempotency records older than the retention "
            "settings (`gatekeeper purge` does it once). Several processes may run it at once."
        ),
    )
    retention_delivered_days: int = Field(
        default=30,
        ge=1,
        le=36_500,
        description=(
            "Days a delivered webhook delivery stays in the delivery log after it was "
            "delivered; an outbox event goes when the last of its deliveries has gone."
        ),
    )
    retention_dead_days: int = Field(
        default=90,
        ge=1,
        le=36_500,
        description=(
            "Days a dead webhook delivery (attempts used up, or its subscription removed) stays "
            "in the delivery log after its last attempt, to be looked into or sent again."
        ),
    )
    retention_idempotency_hours: int = Field(
        default=24,
        ge=24,
        le=24 * 365,
        description=(
            "Hours an Idempotency-Key record is kept after its request; never less than the 24 "
            "hours in which a retry gets the first answer replayed."
        ),
    )
    password_hash_profile: Literal["RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST"] = (
        Field(
            default="RFC_9106_LOW_MEMORY",
            description=(
                "Cost of the argon2id password hashes, as one of argon2's profiles: "
                "RFC_9106_LOW_MEMORY (64 MiB, 3 passes), RFC_9106_HIGH_MEMORY (2 GiB) or "
                "CHEAPEST, which is for tests and throwaway demo data only, never for real "
                "accounts. Existing hashes of another profile are re-hashed at the next "
                "sign-in."
            ),
        )
    )
    smtp_host: str | None = Field(
        default=None,
        description=(
            "SMTP server that sends reminder e-mails. Unset: no e-mail; reminders still reach "
            "the in-app inbox (Inkorg) and webhooks."
        ),
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_username: str | None = Field(
        default=None, description="User name for SMTP login (unset: no login)."
    )
    smtp_password: str | None = Field(
        default=None,
        repr=False,
        description="Password for SMTP login. Never logged or shown.",
    )
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls",
        description=(
            "How the SMTP connection is protected: starttls (upgrade a plain connection, port "
            "587), ssl (TLS from the start, port 465) or none (only for a relay on localhost)."
        ),
    )
    smtp_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=120,
        description="How long one SMTP conversation may take before it counts as failed.",
    )
    mail_from: str = Field(
        default="gatekeeper@localhost",
        description="Sender address of reminder e-mails, e.g. 'Gatekeeper <gatekeeper@kommun.se>'.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description=(
            "The web UI's address as people reach it; links in e-mails and webhook payloads "
            "start with it."
        ),
    )
    reminder_dispatch: bool = Field(
        default=True,
        description=(
            "Whether `gatekeeper serve` runs the reminder jobs: dispatch (also once at start, "
            "for reminders that fell due while no server ran), the daily digest and the daily "
            "re-planning. Any number of processes may dispatch; each reminder is claimed by one."
        ),
    )
    reminder_interval_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="How often the dispatcher looks for due reminders, in seconds.",
    )
    reminder_batch: int = Field(
        default=200,
        ge=1,
        le=10_000,
        description="How many due reminders one dispatcher claims at a time.",
    )
    reminder_max_attempts: int = Field(
        default=8,
        ge=1,
        le=50,
        description=(
            "Delivery attempts per reminder before it is marked failed (visible in the UI and "
            "API). Retries wait 60 s × 2^(attempts − 1), at most 6 hours."
        ),
    )
    reminder_lease_seconds: float = Field(
        default=300.0,
        ge=10,
        le=86_400,
        description=(
            "How long a dispatcher holds the reminders it claimed. A dispatcher that dies "
            "leaves them to be sent by another once the lease has run out."
        ),
    )
    digest_hour: int = Field(
        default=7,
        ge=0,
        le=23,
        description=(
            "Local hour (the person's time zone) from which the daily digest e-mail goes to "
            "people who chose one instead of single reminder e-mails."
        ),
    )

    _PATHS = ("workflows_dir", "checklists_dir", "extra_workflows_dirs", "extra_checklists_dirs")

    @field_validator(*_PATHS, mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(part) for part in value.split(":") if part.strip()]
        if isinstance(value, Path):
            return [value]
        return value

    @field_validator("webhook_allowed_networks", "metrics_allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return list(parse_networks(value))
        return value

    @model_validator(mode="after")
    def _no_weak_secret(self) -> Self:
        if self.secret_key is not None and not self.demo:
            problem = weak_secret_problem(self.secret_key)
            if problem:
                raise ValueError(f"GATEKEEPER_SECRET_KEY {problem}")
        return self

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
        if isinstance(default, Path):
            default = str(default)
        elif isinstance(default, list) and default:
            default = ",".join(str(part) for part in default)
        rows.append((f"GATEKEEPER_{name.upper()}", repr(default), field.description or ""))
    return rows
