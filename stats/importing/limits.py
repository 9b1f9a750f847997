"""Sizes the importer accepts, checked before a grid is built, and the lengths of the stored texts."""

UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024  # settings.UPLOAD_MAX_BYTES' default
# An .xlsx unpacks to a few times its size; a sheet that unpacks to far more is a zip bomb.
UNPACKED_FACTOR = 4
MAX_UNPACKED_BYTES = UNPACKED_FACTOR * UPLOAD_LIMIT_BYTES
MAX_COLUMNS = 2_000        # a wide table of every year since 1900 by a few categories fits
MAX_ROWS = 3_000_000
MAX_CELLS = 12_000_000     # a full 50 MB CSV of short cells; a grid this size takes about 1 GB

# The database columns the importer fills with text (stats.models.Observation; a test keeps them equal).
STORED_TEXT_LENGTHS = {"firm_size": 10, "sector": 100, "flag": 12}
