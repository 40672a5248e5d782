"""Server-rendered pages (Jinja2), on the same app as the API."""
