"""The key that signs web session cookies: where it comes from and when it will do.

GATEKEEPER_SECRET_KEY, else the key file (`gatekeeper new-secret-key` writes
one, readable by its owner only), else in demo mode a key made for the
process. A key that is short, repetitive or a well-known example is refused
outside demo mode.
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
from pathlib import Path
from typing import Protocol

from gatekeeper.errors import ValidationFailed

DEFAULT_SECRET_KEY_FILE = Path(".gatekeeper-secret")
MIN_SECRET_LENGTH = 32
# Secrets that appear in examples and tutorials: as good as public.
KNOWN_WEAK_SECRETS = frozenset(
    {
        "secret",
        "secret-key",
        "secretkey",
        "secret_key",
        "changeme",
        "change-me",
        "change_me",
        "please-change-me",
        "password",
        "gatekeeper",
        "development",
        "dev",
        "test",
        "testing",
        "insecure",
        "default",
        "demo",
    }
)
logger = logging.getLogger("gatekeeper.config")


class KeySettings(Protocol):
    """What of the settings (`gatekeeper.config.Settings`) says where the key is."""

    @property
    def secret_key(self) -> str | None: ...
    @property
    def secret_key_file(self) -> Path: ...
    @property
    def demo(self) -> bool: ...


def weak_secret_problem(secret: str) -> str | None:
    """Why a secret key is unsafe (a phrase), or None when it will do."""
    cleaned = secret.strip()
    if cleaned.lower() in KNOWN_WEAK_SECRETS:
        return "is a well-known example value; use at least 32 random characters"
    if len(cleaned) < MIN_SECRET_LENGTH:
        return f"is too short ({len(cleaned)} characters); use at least {MIN_SECRET_LENGTH}"
    if len(set(cleaned)) < 8:
        return "repeats too few characters to be random"
    return None


@functools.cache
def process_key() -> str:
    """A key made once per process, on first use (never at import)."""
    return secrets.token_urlsafe(32)


def session_secret(settings: KeySettings, *, strict: bool = True) -> str:
    """The key that signs session cookies.

    GATEKEEPER_SECRET_KEY, else the key file, else, in demo mode (or when not
    `strict`, as for apps built in tests), a key made for this process. Raises
    `ValidationFailed` with one line saying what to do when there is no usable
    key outside demo mode.
    """
    if settings.secret_key is not None:
        return settings.secret_key.strip()
    path = settings.secret_key_file
    if path.is_file():
        try:
            key = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ValidationFailed(
                f"Cannot read the secret key file {path}: {error.strerror}.", field="secret_key"
            ) from None
        problem = weak_secret_problem(key)
        if problem and not settings.demo:
            raise ValidationFailed(
                f"The secret key in {path} {problem}.", field="secret_key_file"
            ) from None
        if os.name == "posix" and path.stat().st_mode & 0o077:
            logger.warning("the secret key file %s is readable by others; chmod 600 it", path)
        return key
    if settings.demo or not strict:
        if not settings.demo:
            logger.warning(
                "no GATEKEEPER_SECRET_KEY: web sessions are signed with a key made for this "
                "process and end when it stops"
            )
        return process_key()
    raise ValidationFailed(
        "No secret key for web sessions: set GATEKEEPER_SECRET_KEY (32+ random characters) "
        f"or GATEKEEPER_SECRET_KEY_FILE (default {DEFAULT_SECRET_KEY_FILE}, made by "
        "`gatekeeper new-secret-key`), or GATEKEEPER_DEMO=1 to try gatekeeper out.",
        field="secret_key",
    )


def write_secret_file(path: Path) -> None:
    """Create `path` holding a new random key, readable by its owner only.

    Raises FileExistsError rather than overwrite a key.
    """
    # Created 0600 atomically: never briefly world-readable.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
