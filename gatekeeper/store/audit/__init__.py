"""The audit chain and its tables, the webhook outbox and its tables."""
