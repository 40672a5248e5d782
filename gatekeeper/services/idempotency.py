"""Idempotency keys: the first answer to a POST is replayed for 24 hours.

A client that sends `Idempotency-Key` on a POST may retry it safely: the
first request claims the key (a row with status 0, committed on its own so
that the unique constraint on principal and key stops a concurrent twin),
runs, and its answer is stored; a retry with the same method, path and body
gets that answer back without running again, and the same key on another
request is refused. Keys belong to the token that used them, so two callers
never see each other's answers. 4xx answers are stored like 2xx (a retry of a
refused request is refused the same way); a 5xx, an exception, an answer
over `MAX_STORED_BODY`, one that is not UTF-8 text or one marked
`Cache-Control: no-store` (it carries a secret, such as a new token) forgets
the key so that the retry runs anew. Only the token's public id is stored,
never its secret.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select

from gatekeeper.errors import Conflict, Unauthenticated, ValidationFailed
from gatekeeper.services.access import account as accounts
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import IdempotencyRecord

KEY_HEADER = "Idempotency-Key"
REPLAY_WINDOW = timedelta(hours=24)
# A claim older than this that never got an answer belongs to a request that
# died with its process; a retry may take it over rather than wait 24 hours.
IN_PROGRESS_LEASE = timedelta(minutes=5)
MAX_STORED_BODY = 1024 * 1024
REPLAYED_HEADERS = ("content-type", "etag", "location")
_MAX_PATH = 500
_KEY = re.compile(r"[\x21-\x7e]{1,200}")

BAD_KEY = f"{KEY_HEADER} ska vara 1–200 synliga ASCII-tecken (till exempel ett UUID)."
KEY_REUSED = (
    f"{KEY_HEADER} har redan använts för en annan begäran (annan metod, sökväg eller kropp); "
    "skicka en ny nyckel för en ny begäran."
)
IN_PROGRESS = f"En begäran med samma {KEY_HEADER} behandlas fortfarande; försök igen om en stund."


@dataclass(frozen=True)
class Fingerprint:
    """What makes a retry the same request: method, path and a hash of the body."""

    method: str
    path: str
    body_hash: str

    @classmethod
    def of(cls, method: str, path: str, body: bytes) -> Fingerprint:
        return cls(method.upper(), path[:_MAX_PATH], hashlib.sha256(body).hexdigest())

    def matches(self, record: IdempotencyRecord) -> bool:
        return (self.method, self.path, self.body_hash) == (
            record.method,
            record.path,
            record.body_hash,
        )


@dataclass(frozen=True)
class Claim:
    """The key is ours: run the request, then `complete` (or `abandon`) the claim."""

    record_id: int


@dataclass(frozen=True)
class StoredResponse:
    """The first answer, to be sent again as it was."""

    status_code: int
    headers: dict[str, str]
    body: bytes


def check_key(values: Iterable[str]) -> str:
    """The one well-formed key among the header's values; `ValidationFailed` otherwise."""
    keys = list(values)
    if len(keys) != 1 or _KEY.fullmatch(keys[0]) is None:
        raise ValidationFailed(BAD_KEY, field=KEY_HEADER)
    return keys[0]


def principal_of(ctx: Context, authorization: str | None) -> str | None:
    """The public id of a live bearer token, or None (the request is then not ours).

    The token is checked, not just parsed: a forged `gk_<someone's id>_…` must
    not claim keys in someone else's name.
    """
    if authorization is None:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    try:
        return accounts.authenticate(ctx, credentials).token_id
    except Unauthenticated:
        return None


def claim(
    ctx: Context, *, principal: str, key: str, fingerprint: Fingerprint
) -> Claim | StoredResponse:
    """Claim `key` for a first request, or find the answer to replay.

    Raises `ValidationFailed` when the key was used for another request and
    `Conflict` while the first request with the key is still running.
    """
    try:
        return _claim_once(ctx, principal, key, fingerprint)
    except IntegrityError:
        pass
    # A twin inserted the key between our read and our insert (PostgreSQL reads
    # do not block); its row is committed now, so a second look decides.
    try:
        return _claim_once(ctx, principal, key, fingerprint)
    except IntegrityError:
        raise Conflict(IN_PROGRESS) from None


def _claim_once(
    ctx: Context, principal: str, key: str, fingerprint: Fingerprint
) -> Claim | StoredResponse:
    now = ctx.clock.now()
    with ctx.db.write() as session:
        session.exec(
            delete(IdempotencyRecord).where(
                col(IdempotencyRecord.principal) == principal,
                col(IdempotencyRecord.created_at) <= now - REPLAY_WINDOW,
            )
        )
        record = session.exec(
            select(IdempotencyRecord)
            .where(IdempotencyRecord.principal == principal, IdempotencyRecord.key == key)
            .with_for_update()
        ).one_or_none()
        if record is None:
            record = IdempotencyRecord(
                principal=principal,
                key=key,
                method=fingerprint.method,
                path=fingerprint.path,
                body_hash=fingerprint.body_hash,
                status_code=0,
                created_at=now,
            )
            session.add(record)
            session.flush()
            assert record.id is not None
            return Claim(record.id)
        if not fingerprint.matches(record):
            raise ValidationFailed(KEY_REUSED, field=KEY_HEADER)
        if record.status_code == 0:
            if now - record.created_at < IN_PROGRESS_LEASE:
                raise Conflict(IN_PROGRESS)
            record.created_at = now
            session.add(record)
            assert record.id is not None
            return Claim(record.id)
        return StoredResponse(
            status_code=record.status_code,
            headers={str(name): str(value) for name, value in record.response_headers.items()},
            body=record.response_body.encode(),
        )


def complete(
    ctx: Context, claimed: Claim, *, status_code: int, headers: dict[str, str], body: bytes
) -> bool:
    """Store the first answer for replay; whether it was kept (else the key is freed).

    `headers` are the answer's, names in lower case; only `REPLAYED_HEADERS` are kept.
    """
    text = _storable(status_code, headers, body)
    if text is None:
        abandon(ctx, claimed)
        return False
    kept = {name: value for name, value in headers.items() if name in REPLAYED_HEADERS}
    with ctx.db.write() as session:
        record = session.get(IdempotencyRecord, claimed.record_id)
        if record is None:
            return False
        record.status_code = status_code
        record.response_body = text
        record.response_headers = kept
        session.add(record)
    return True


def _storable(status_code: int, headers: dict[str, str], body: bytes) -> str | None:
    if not 100 <= status_code < 500 or len(body) > MAX_STORED_BODY:
        return None
    if "no-store" in headers.get("cache-control", "").lower():
        return None  # the answer carries a secret (a new token): never keep a copy
    try:
        return body.decode()
    except UnicodeDecodeError:
        return None


def abandon(ctx: Context, claimed: Claim) -> None:
    """Free the key after a failed request, so that a retry runs anew."""
    with ctx.db.write() as session:
        session.exec(
            delete(IdempotencyRecord).where(col(IdempotencyRecord.id) == claimed.record_id)
        )
