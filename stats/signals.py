"""Saving or deleting a region, source or indicator (in the admin or in code) bumps the cache generation,
so every page shows the change at once: the pages' cached parts and data sets are keyed by it."""

from __future__ import annotations

from typing import Any

from stats.selectors import bump_cache_generation


def reference_changed(**_kwargs: Any) -> None:
    bump_cache_generation()
