"""Every analyst page test starts with cold caches (the shared one and this process's copies)."""

import pytest

from stats.selectors import clear_caches


@pytest.fixture(autouse=True)
def _cold_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo users, quickly
    clear_caches()
    yield
    clear_caches()

