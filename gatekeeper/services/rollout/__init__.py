"""Rollouts: waves, units (kommun, förvaltning, enhet), unit checklists, imports, bulk
ticks and the readiness review.
"""
