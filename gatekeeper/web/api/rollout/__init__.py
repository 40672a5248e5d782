"""API routes for waves, units and the readiness review of a rollout."""
