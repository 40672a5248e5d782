"""API routes for audit events and webhook subscriptions."""
