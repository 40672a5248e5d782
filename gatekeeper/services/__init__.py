"""Use cases: each public function is one transaction.

A service opens its own write transaction (`Database.write`), makes the change,
records the audit event in the same transaction, and commits. Routes and CLI
commands call exactly one service function each and run no SQL of their own.
"""
