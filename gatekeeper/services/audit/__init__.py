"""Audit: reading and verifying the audit log, and webhook subscriptions and deliveries."""
