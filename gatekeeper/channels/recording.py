"""A channel that records what it delivers instead of sending it (tests and benchmarks).

In memory (`notices`, `digests`), and optionally appended to a file as one
line per reminder id, written with a single `os.write` on an `O_APPEND`
descriptor: the line is in the file as soon as `deliver` returns, even if the
process dies on the next instruction, so other processes can count exactly
what was delivered. `after_deliver` is called after each delivery (a test
uses it to kill the process between a delivery and its record).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from gatekeeper.channels.base import DeliveryFailed, Digest, Notice


class RecordingChannel:
    """Records deliveries; fails on demand with `failure` (a reason) set."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        name: str = "email",
        digestible: bool = True,
        keep: bool = True,
        after_deliver: Callable[[Notice], None] | None = None,
    ) -> None:
        self._name = name
        self._digestible = digestible
        self.keep = keep
        self.after_deliver = after_deliver
        self.failure: str | None = None
        self.count = 0
        self.notices: list[Notice] = []
        self.digests: list[Digest] = []
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if path else None

    @property
    def name(self) -> str:
        return self._name

    @property
    def digestible(self) -> bool:
        return self._digestible

    @property
    def timeout_seconds(self) -> float:
        return 1.0

    def deliver(self, notice: Notice) -> None:
        """Record `notice` (or raise `DeliveryFailed` when `failure` is set)."""
        if self.failure is not None:
            raise DeliveryFailed(self.failure)
        if self._fd is not None:
            os.write(self._fd, f"{notice.reminder_id}\n".encode())
        self.count += 1
        if self.keep:
            self.notices.append(notice)
        if self.after_deliver is not None:
            self.after_deliver(notice)

    def send_digest(self, digest: Digest) -> None:
        """Record `digest` (or raise `DeliveryFailed` when `failure` is set)."""
        if self.failure is not None:
            raise DeliveryFailed(self.failure)
        self.digests.append(digest)

    def close(self) -> None:
        """Close the file, if any."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @staticmethod
    def read_ids(path: Path) -> list[int]:
        """The reminder ids recorded in `path`, in the order they were delivered."""
        if not path.exists():
            return []
        return [int(line) for line in path.read_text(encoding="ascii").split()]
