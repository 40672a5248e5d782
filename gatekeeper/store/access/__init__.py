"""Tables of user accounts, web sessions, API tokens and idempotency records."""
