"""Pages of a rollout: waves, units and the readiness review."""
