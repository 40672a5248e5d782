"""Signed checkpoints of the audit chains: every chain's length and last hash at a moment.

A chain alone cannot see its newest events cut off (with its head rewound), a
chain deleted whole with its head, nor a chain rebuilt from scratch. A
checkpoint, signed (HMAC-SHA256) with a key kept outside the database, vouches
for every chain's (count, last hash); `verify_chains(..., checkpoint=...)` holds
the database to it. A chain that began after the checkpoint is not in it and is
checked on its own.

A checkpoint written before chains were split (version 1: one count and hash)
still reads: it vouches for the `legacy` chain, which migration 0021 kept as
it was.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from gatekeeper.store.audit.chain import GENESIS_HASH, LEGACY, canonical
from gatekeeper.store.audit.tables import ChainHead

Heads = dict[str, tuple[int, str]]  # chain → (count, last hash)


def fingerprint(heads: Heads) -> str:
    """One hash over every chain's head: what the log looks like, in 64 characters."""
    return hashlib.sha256(canonical(sorted(heads.items()))).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of every chain's length and last hash at a moment."""

    chains: Heads
    count: int  # events vouched for, over every chain
    at: str
    signature: str
    version: int = 2
    digest: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "digest", fingerprint(self.chains))

    def payload(self) -> bytes:
        if self.version == 1:
            count, head = self.chains.get(LEGACY, (0, GENESIS_HASH))
            return f"{count}:{head}:{self.at}".encode()
        return canonical(
            {
                "version": self.version,
                "at": self.at,
                "count": self.count,
                "chains": {chain: list(head) for chain, head in sorted(self.chains.items())},
            }
        )

    def document(self) -> dict[str, object]:
        """The checkpoint file's contents."""
        return {
            "version": self.version,
            "at": self.at,
            "count": self.count,
            "chains": {
                chain: {"count": count, "hash": head}
                for chain, (count, head) in sorted(self.chains.items())
            },
            "signature": self.signature,
        }


def _sign(key: bytes, checkpoint: Checkpoint) -> str:
    return hmac.new(key, checkpoint.payload(), hashlib.sha256).hexdigest()


def sign_checkpoint(heads: Heads, at: datetime, key: bytes) -> Checkpoint:
    total = sum(count for count, _ in heads.values())
    unsigned = Checkpoint(dict(heads), total, at.isoformat(timespec="seconds"), "")
    return Checkpoint(unsigned.chains, total, unsigned.at, _sign(key, unsigned))


def current_heads(session: Session) -> Heads:
    """Every chain's head as the database records it (one consistent read)."""
    return {head.chain: (head.count, head.hash) for head in session.exec(select(ChainHead)).all()}


def write_checkpoint(*, session: Session, path: Path, key: bytes, at: datetime) -> Checkpoint:
    """Write every chain's head, signed with `key`, to `path` (JSON)."""
    checkpoint = sign_checkpoint(current_heads(session), at, key)
    path.write_text(json.dumps(checkpoint.document(), indent=2) + "\n", encoding="utf-8")
    return checkpoint


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read or whose signature is wrong."""


def _parse(raw: dict[str, object]) -> Checkpoint:
    if "version" not in raw:  # written before chains were split: one chain, now `legacy`
        count, head = int(str(raw["count"])), str(raw["hash"])
        chains: Heads = {LEGACY: (count, head)} if count else {}
        return Checkpoint(chains, count, str(raw["at"]), str(raw["signature"]), version=1)
    listed = raw["chains"]
    if not isinstance(listed, dict):
        raise TypeError("chains is not an object")
    chains = {str(name): (int(v["count"]), str(v["hash"])) for name, v in listed.items()}
    version = int(str(raw["version"]))
    if version != 2:
        raise ValueError(f"version {version} is not one this gatekeeper writes")
    return Checkpoint(chains, int(str(raw["count"])), str(raw["at"]), str(raw["signature"]))


def read_checkpoint(path: Path, key: bytes) -> Checkpoint:
    """Read and authenticate a checkpoint file; raise CheckpointError if it is not genuine."""
    try:
        checkpoint = _parse(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointError(f"{path}: not a readable audit checkpoint ({error})") from None
    if not hmac.compare_digest(_sign(key, checkpoint), checkpoint.signature):
        raise CheckpointError(
            f"{path}: the checkpoint's signature does not match: the file was altered "
            "or signed with another key"
        )
    return checkpoint
