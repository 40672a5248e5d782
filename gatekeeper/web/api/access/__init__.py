"""API routes for API tokens."""
