"""Delivery channels of reminders: e-mail over SMTP, and a recording channel for tests.

The in-app inbox and the webhook outbox are not channels of this family: they
are rows written in the dispatcher's own transaction (exactly once). The
channels here reach outside the database and are called with no transaction
open (at least once); see `gatekeeper.services.reminders.dispatch`.
"""

from __future__ import annotations

from gatekeeper.channels.base import Channel, DeliveryFailed, Digest, DigestItem, Mailer, Notice

__all__ = ["Channel", "DeliveryFailed", "Digest", "DigestItem", "Mailer", "Notice"]
