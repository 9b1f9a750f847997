"""One module per analyst page: read (the cached data sets and reference data) and build (charts, tables,
sentences) from a parsed PageQuery. The views (dashboard/views.py) parse and render."""
