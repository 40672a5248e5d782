"""Creating the secret key file of web sessions (`gatekeeper new-secret-key`, `demo`).

A key file is made once and never overwritten: losing a key signs everyone
out, so an existing file is refused rather than replaced.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_secret_file(path: Path) -> None:
    """Create `path` holding a new random key, readable by its owner only.

    Raises FileExistsError rather than overwrite a key.
    """
    # Created 0600 atomically: never briefly world-readable.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")


__all__ = ["write_secret_file"]
