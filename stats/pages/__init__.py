"""Page logic of the analyst dashboard: parse the query, read through selectors, build charts and tables.

Views stay thin (stats/dashboard_views.py, regions/views.py); everything here is cached by the
database's cache generation, so an import shows at once and a repeat request reads no statistics.
"""
