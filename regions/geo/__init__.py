"""One-off, hand-run builders for the map assets under ``static/geo/`` (not imported by the app)."""
