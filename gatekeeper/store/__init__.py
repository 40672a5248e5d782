"""Persistence: SQLModel tables, the database handle, the audit chain and migrations.

Helpers here take `session` as a keyword-only argument and never commit: the
use case in `gatekeeper.services` owns the transaction.
"""
