"""What a stored figure is (FORMATS.md): one enum for the reader, the database and the pages.

A StrEnum: each member equals (and hashes as) its text, so it compares with what the database and the
frames hold ("confidential") without conversion.
"""

from enum import StrEnum


class Flag(StrEnum):
    GIVEN = "given"  # a number as published
    DERIVED = "derived"  # computed here (per inhabitant, from the same year's population)
    CONFIDENTIAL = "confidential"  # "x": withheld by the publisher; never shown as a number
    ZERO = "zero"  # "-": exactly nothing
    MISSING = "missing"  # "..": not available, never zero
