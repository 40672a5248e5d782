"""API routes for gate reviews, votes and gate decisions, for a project or one wave."""
