"""Rollout readiness: rows, readiness per unit, kommun and wave, and the forecast."""
