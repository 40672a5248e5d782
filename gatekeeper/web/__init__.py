"""The web layer: one FastAPI app serving the JSON API (and later the web UI)."""
